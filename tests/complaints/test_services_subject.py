"""A subject made from the complaint's text: whole when short, else cut at a word with "…"."""

from __future__ import annotations

import pytest

from plaint.complaints.models import Complaint
from plaint.complaints.services.intake import SUBJECT_FROM_TEXT_LENGTH, subject_from_text
from plaint.core.limits import max_length
from tests.factories import make_complaint

LIMIT = SUBJECT_FROM_TEXT_LENGTH


def test_a_short_text_is_kept_whole():
    assert subject_from_text("The parcel arrived late.") == "The parcel arrived late."


def test_a_text_of_exactly_the_limit_is_kept_whole():
    text = "word " * ((LIMIT - 5) // 5) + "words"
    assert len(text) == LIMIT
    assert subject_from_text(text) == text
    assert subject_from_text(text + "!").endswith("word…")


def test_a_short_text_on_several_lines_becomes_one_line():
    assert subject_from_text("Hello,\n\nthe parcel\tarrived late.") == (
        "Hello, the parcel arrived late."
    )


def test_a_long_text_is_cut_at_a_word_boundary_with_an_ellipsis():
    text = (
        "The parcel arrived two weeks late and the box was crushed, so the vase inside "
        "was broken into pieces."
    )
    subject = subject_from_text(text)
    assert subject == (
        "The parcel arrived two weeks late and the box was crushed, so the vase inside…"
    )
    assert len(subject) <= LIMIT
    # the text before the ellipsis is whole words of the text
    assert text.startswith(subject.removesuffix("…"))
    assert text[len(subject.removesuffix("…"))] == " "


def test_the_cut_never_leaves_half_a_word():
    text = "a" * 10 + " " + "b" * (LIMIT + 5)
    assert subject_from_text(text) == "a" * 10 + "…"


def test_no_punctuation_just_before_the_ellipsis():
    text = "x" * (LIMIT - 10) + " crushed, and then some more words follow"
    assert subject_from_text(text) == "x" * (LIMIT - 10) + " crushed…"


def test_one_very_long_word_is_cut_inside_it():
    word = "https://example.org/" + "a" * 300
    subject = subject_from_text(word)
    assert len(subject) == LIMIT
    assert subject == word[: LIMIT - 1] + "…"


def test_a_long_persian_text_is_cut_between_words():
    text = "بسته دو هفته دیر رسید و جعبه له شده بود و گلدان داخل آن شکسته بود. " * 3
    subject = subject_from_text(text)
    assert subject.endswith("…") and len(subject) <= LIMIT
    kept = subject.removesuffix("…")
    assert text.startswith(kept) and text[len(kept)] == " "


def test_a_combining_mark_stays_with_its_letter():
    word = "e\u0301" * 60  # é as e + combining acute
    subject = subject_from_text(word)
    assert len(subject) <= LIMIT
    assert subject.removesuffix("…")[-1] == "\u0301"


def test_the_limit_fits_the_subject_field():
    assert max_length(Complaint, "subject") >= LIMIT


@pytest.mark.django_db
def test_intake_makes_the_subject_from_the_text_when_none_is_given():
    text = (
        "The parcel arrived two weeks late and the box was crushed, so the vase inside "
        "was broken into pieces."
    )
    complaint, _ = make_complaint(subject="", description=text)
    assert complaint.subject.endswith("inside…")
    short, _ = make_complaint(subject="", description="Late parcel.")
    assert short.subject == "Late parcel."
    given, _ = make_complaint(subject="My own title", description=text)
    assert given.subject == "My own title"
