"""The audit checklists shipped as data: each standard's main clauses, stable question codes, and
every question and heading translated into the four other languages."""

from __future__ import annotations

import pytest
from django.utils import translation

from plaint.improvement import checklists

MAIN_CLAUSES = {
    "iso10002": ["4", "5", "6", "7", "8"],
    "iso10003": ["4", "5", "6", "7"],
    "iso10001": ["4", "5", "6", "7", "8"],
}


@pytest.mark.parametrize("standard", checklists.STANDARDS)
def test_each_standard_has_its_main_clauses_each_with_questions(standard):
    checklist = checklists.load(standard)
    assert checklist.standard == standard
    assert checklist.clause_numbers() == MAIN_CLAUSES[standard]
    for clause in checklist.clauses:
        assert clause.title and clause.questions, (standard, clause.number)
        assert all(q.text.endswith("?") for q in clause.questions)


def test_the_dispute_checklist_asks_about_provider_selection_referral_participation_and_compliance():
    text = " ".join(q.text for q in checklists.load("iso10003").questions()).lower()
    for topic in ("provider selected", "referred", "take part", "complied with"):
        assert topic in text


def test_question_codes_are_unique_and_name_their_clause():
    questions = checklists.every_question()
    assert len(questions) == sum(len(checklists.load(s).questions()) for s in checklists.STANDARDS)
    assert questions["iso10002/7/1"].clause == "7"
    only_seven = checklists.load("iso10002").questions(frozenset({"7"}))
    assert {q.clause for q in only_seven} == {"7"}


@pytest.mark.parametrize("lang", ["et", "uk", "sv", "fa"])
def test_every_question_title_and_heading_is_translated(lang):
    texts = [q.text for q in checklists.every_question().values()]
    for standard in checklists.STANDARDS:
        checklist = checklists.load(standard)
        texts += [checklist.title, *(c.title for c in checklist.clauses)]
    with translation.override(lang):
        untranslated = [t for t in texts if checklists.translated(t) == t]
    assert untranslated == []


def test_an_unknown_standard_is_refused():
    with pytest.raises(KeyError):
        checklists.load("iso9001")
