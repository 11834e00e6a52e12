"""The public answer page: accessible, paged, partial saves, one submit, RTL for Persian, clear
pages for bad links, opt-out."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from plaint.surveys.models import Answer, Invitation, Response, Suppression
from tests.surveys.factories import invite, make_survey

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def survey(manager):
    return make_survey(manager, questions_per_page=3)


def test_page_one_shows_accessible_scales(client, manager, survey):
    _inv, token = invite(manager, survey)
    page = client.get(f"/survey/{token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert page["Referrer-Policy"] == "same-origin" and "no-store" in page["Cache-Control"]
    assert '<html lang="en" dir="ltr">' in html
    assert "Page 1 of 3" in html
    assert '<fieldset class="question" id="q_overall"' in html
    assert "<legend>Overall, how satisfied are you?" in html
    assert 'for="q_overall_1"' in html and 'id="q_overall_1"' in html
    assert "Very satisfied" in html
    assert 'name="q_nps"' in html and 'value="10"' in html
    assert 'name="q_effort"' not in html  # page 2
    assert "survey.css" in html and 'name="viewport"' in html


def test_persian_page_is_right_to_left_with_persian_labels(client, manager, survey):
    _inv, token = invite(manager, survey, language="fa")
    html = client.get(f"/survey/{token}/").content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert "شکایت شما" in html and "در مجموع چقدر راضی هستید؟" in html and "بسیار راضی" in html
    # the scale is in document order low -> high; dir=rtl lays it out from the right
    assert html.index('id="q_overall_1"') < html.index('id="q_overall_5"')


def test_switching_language_keeps_the_answers_language(client, manager, survey):
    _inv, token = invite(manager, survey, language="en")
    html = client.get(f"/survey/{token}/?lang=fa").content.decode()
    assert 'dir="rtl"' in html
    client.post(
        f"/survey/{token}/", {"page": "1", "lang": "fa", "q_overall": "3", "action": "save"}
    )
    assert Response.objects.get().language == "fa"


def test_css_uses_logical_properties_only():
    from pathlib import Path

    import plaint.surveys

    css = (Path(plaint.surveys.__file__).parent / "static/surveys/survey.css").read_text()
    assert not re.search(
        r"(margin|padding|border)-(left|right)|text-align:\s*(left|right)|float:", css
    )


def test_walk_pages_save_later_resume_and_submit_once(client, manager, survey):
    _invitation, token = invite(manager, survey)
    url = f"/survey/{token}/"
    r = client.post(url, {"page": "1", "q_overall": "4", "q_speed": "5", "action": "next"})
    assert r.status_code == 302 and "page=2" in r["Location"]
    r = client.post(url, {"page": "2", "q_effort": "6", "q_contact": "phone", "action": "save"})
    assert r.status_code == 200 and "Your answers are saved" in r.content.decode()
    response = Response.objects.get()
    assert response.submitted_at is None and response.page == 2
    html = client.get(url).content.decode()  # resumes where it stopped, with the answers
    assert "Page 2 of 3" in html and 'value="6" checked' in html and 'value="phone" checked' in html
    r = client.post(
        url,
        {
            "page": "2",
            "q_effort": "6",
            "q_contact": "phone",
            "q_liked": ["tone", "outcome"],
            "action": "next",
        },
    )
    r = client.post(
        url,
        {
            "page": "3",
            "q_comment": "Kind people.",
            "action": "submit",
        },
    )
    assert r.status_code == 302 and r["Location"].startswith("/survey/thanks/")
    response.refresh_from_db()
    assert response.submitted_at is not None
    assert Answer.objects.get(question__code="liked").choices == ["tone", "outcome"]
    again = client.post(url, {"page": "3", "q_comment": "again", "action": "submit"})
    assert again.status_code == 410
    assert "already been answered" in again.content.decode()
    assert Answer.objects.get(question__code="comment").text == "Kind people."


def test_out_of_range_is_refused_naming_the_range_and_linked(client, manager, survey):
    _inv, token = invite(manager, survey)
    r = client.post(
        f"/survey/{token}/", {"page": "1", "q_overall": "9", "q_nps": "12", "action": "next"}
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert 'href="#q_overall"' in html and "Choose a whole number from 1 to 5." in html
    assert "Choose a whole number from 0 to 10." in html
    assert 'aria-describedby="q_overall_error"' in html and 'id="q_overall_error"' in html
    assert not Answer.objects.exists()


def test_missing_required_answer_on_an_earlier_page_is_named(client, manager, survey):
    _inv, token = invite(manager, survey)
    url = f"/survey/{token}/"
    client.post(url, {"page": "1", "action": "next"})
    client.post(url, {"page": "2", "action": "next"})
    r = client.post(url, {"page": "3", "q_comment": "x", "action": "submit"})
    assert r.status_code == 422
    assert "Page 1: “Overall, how satisfied are you?” needs an answer." in r.content.decode()


@pytest.mark.parametrize("token", ["unknown-token", "x" * 150])
def test_unknown_link_reveals_nothing(client, manager, survey, token):
    invite(manager, survey)
    r = client.get(f"/survey/{token}/")
    assert r.status_code == 404
    html = r.content.decode()
    assert "not valid" in html and "Your complaint" not in html and "Kaja" not in html


def test_expired_link_page(client, manager):
    with time_machine.travel(T0, tick=False):
        survey = make_survey(manager, expiry_days=3)
        _inv, token = invite(manager, survey)
    with time_machine.travel(T0 + dt.timedelta(days=4), tick=False):
        r = client.get(f"/survey/{token}/")
    assert r.status_code == 410 and "expired" in r.content.decode()
    assert "Your complaint" not in r.content.decode()


def test_opt_out_asks_then_suppresses_for_good(client, manager, survey):
    invitation, token = invite(manager, survey, email="kaja@example.org", language="et")
    r = client.get(f"/survey/{token}/opt-out/")
    assert r.status_code == 200 and '<html lang="et"' in r.content.decode()
    assert not Suppression.objects.exists()  # a mail scanner following the link changes nothing
    r = client.post(f"/survey/{token}/opt-out/")
    assert r.status_code == 200
    assert Suppression.objects.filter(email="kaja@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.state == "opted_out"
    assert client.get(f"/survey/{token}/").status_code == 410
    assert Invitation.objects.count() == 1


def test_page_queries_do_not_grow_with_questions(client, manager, django_assert_max_num_queries):
    small = make_survey(manager, key="a", questions_per_page=2)
    big = make_survey(manager, key="b", kind="relationship", questions_per_page=7)
    _i, t1 = invite(manager, small, email="s@example.org")
    _i, t2 = invite(manager, big, email="b@example.org")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/survey/{t1}/")
    with django_assert_max_num_queries(len(ctx)):
        client.get(f"/survey/{t2}/")


@pytest.mark.parametrize(
    ("language", "title", "direction"),
    [
        ("fa", "به این نظرسنجی قبلاً پاسخ داده شده است", "rtl"),
        ("et", "Sellele küsitlusele on juba vastatud", "ltr"),
    ],
)
def test_already_answered_page_is_in_the_invitees_language(
    client, manager, survey, language, title, direction
):
    invitation, token = invite(manager, survey, language=language)
    Invitation.objects.filter(pk=invitation.pk).update(state="responded")
    # an English browser does not change it: the link names the invitation and its language
    r = client.get(f"/survey/{token}/", HTTP_ACCEPT_LANGUAGE="en")
    html = r.content.decode()
    assert r.status_code == 410
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert f"<h1>{title}</h1>" in html
    assert "already been answered" not in html
    assert 'class="language-switcher"' not in html  # it would not change this page
    # the answer page's own choice of language (?lang=) is still honoured
    english = client.get(f"/survey/{token}/?lang=en").content.decode()
    assert "<h1>This survey has already been answered</h1>" in english


def test_unknown_link_page_keeps_the_visitors_language_and_switcher(client, manager, survey):
    r = client.get("/survey/unknown-token/", HTTP_ACCEPT_LANGUAGE="et")
    html = r.content.decode()
    assert r.status_code == 404
    assert "<h1>See küsitluse link ei kehti</h1>" in html
    assert 'class="language-switcher"' in html


def test_a_yes_no_question_is_two_choices_yes_first_in_the_respondents_language(client, manager):
    from plaint.core.actors import Actor
    from plaint.surveys import services

    survey = make_survey(manager, activate=False, questions_per_page=20)
    services.question_add(
        actor=Actor.staff(manager),
        survey_id=survey.pk,
        code="solved",
        kind="yesno",
        text={"en": "Was your problem solved?", "fa": "آیا مشکل شما حل شد؟"},
        required=True,
    )
    services.survey_activate(actor=Actor.staff(manager), survey_id=survey.pk)
    _inv, token = invite(manager, survey, language="fa")
    html = client.get(f"/survey/{token}/").content.decode()
    yes, no = html.index('id="q_solved_1" value="1"'), html.index('id="q_solved_2" value="0"')
    assert yes < no and 'type="radio" name="q_solved"' in html
    assert "بله" in html and "خیر" in html
    assert "0 to 1" not in html


def test_a_free_text_answer_that_is_not_utf8_is_refused_not_stored(client, manager, survey):
    _invitation, token = invite(manager, survey)
    # "Pärnu" sent as ISO-8859-1: the lone byte E4 is not UTF-8 (Django would read U+FFFD).
    raw = "page=3&action=save&q_comment=P%E4rnu"
    r = client.post(f"/survey/{token}/", raw, content_type="application/x-www-form-urlencoded")
    assert r.status_code == 422
    assert "could not be read (it was not sent as UTF-8)" in r.content.decode()
    assert not Answer.objects.filter(question__code="comment").exists()
    ok = "page=3&action=save&q_comment=P%C3%A4rnu"
    r = client.post(f"/survey/{token}/", ok, content_type="application/x-www-form-urlencoded")
    assert r.status_code == 200
    assert Answer.objects.get(question__code="comment").text == "Pärnu"
