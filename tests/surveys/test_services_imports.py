"""Response files from other tools: 8-bit encodings, the RFC 4180 dialect, missing-value tokens,
and rows that keep their good answers when one answer is bad."""

from __future__ import annotations

import pytest

from plaint.core.actors import Actor
from plaint.core.errors import ValidationFailed
from plaint.surveys import services
from plaint.surveys.models import Answer, Response
from tests.surveys.factories import make_survey

MAP = {"id": "external_id", "overall": "question:overall", "speed": "question:speed"}


def _import(manager, survey, data, mapping=MAP, **kw):
    return services.responses_import_csv(
        actor=Actor.staff(manager), survey_id=survey.pk, data=data, mapping=mapping, **kw
    )


def _answers(code):
    return dict(
        Answer.objects.filter(question__code=code).values_list("response__external_id", "value")
    )


def test_an_eight_bit_file_goes_in_with_its_letters(manager):
    survey = make_survey(manager)
    text = "id,overall,comment\nÅ-1,5,Björn ringde tillbaka\nÖ-2,4,Svar på två dagar\n"
    mapping = {"id": "external_id", "overall": "question:overall", "comment": "question:comment"}
    report = _import(manager, survey, text.encode("cp1252"), mapping)
    assert (report.imported, report.rejected) == (2, 0)
    comments = Answer.objects.filter(question__code="comment").values_list("text", flat=True)
    assert set(comments) == {"Björn ringde tillbaka", "Svar på två dagar"}
    assert set(Response.objects.values_list("external_id", flat=True)) == {"Å-1", "Ö-2"}


def test_a_file_with_doubled_quotes_is_read_whole(manager):
    survey = make_survey(manager)
    rows = ["id,overall,comment\n"] + [
        f'r{i},{i % 5 + 1},"They said ""soon"", then nothing"\n' for i in range(300)
    ]
    mapping = {"id": "external_id", "overall": "question:overall", "comment": "question:comment"}
    report = _import(manager, survey, "".join(rows), mapping)
    assert (report.imported, report.rejected) == (300, 0)
    texts = set(Answer.objects.filter(question__code="comment").values_list("text", flat=True))
    assert texts == {'They said "soon", then nothing'}


def test_missing_value_tokens_are_not_answered_and_counted(manager):
    survey = make_survey(manager)
    data = "id,overall,speed\na,5,NA\nb,4,n/a\nc,3,-\nd,2,99\ne,1,4\n"
    report = _import(manager, survey, data)
    assert (report.imported, report.missing_values) == (5, 3)
    assert _answers("speed") == {"e": 4}
    assert report.errors == []
    assert report.skipped == [(5, "speed: Choose a whole number from 1 to 5.")]
    # a token of the organisation's own ("99 = don't know"), and none of the defaults
    survey2 = make_survey(manager, key="paper")
    report = _import(manager, survey2, data, missing_tokens=["99"])
    assert report.missing_values == 1
    assert len(report.skipped) == 3  # NA, n/a and - are now bad answers, left out


def test_a_bad_answer_leaves_the_question_unanswered_but_a_required_one_refuses_the_row(manager):
    survey = make_survey(manager)
    data = "id,overall,speed\nkeep,4,7\nrefuse,9,3\nnothing,,x\n"
    report = _import(manager, survey, data)
    assert report.imported == 1
    assert _answers("overall") == {"keep": 4} and _answers("speed") == {}
    assert report.skipped == [(2, "speed: Choose a whole number from 1 to 5.")]
    lines = dict(report.errors)
    assert "overall: Choose a whole number from 1 to 5." in lines[3]  # overall is required
    assert "overall" in lines[4]  # no answer to the required question


def test_a_wrongly_chosen_encoding_is_a_clear_error(manager):
    with pytest.raises(ValidationFailed, match="not utf-8 text"):
        services.decode_upload("Åsa".encode("cp1252"), "utf-8")


def test_recoding_reads_the_organisations_own_codes_and_counts_each_rule(manager):
    survey = make_survey(manager)
    # speed on a 0-6 paper form: 0 = not applicable, 6 = "very satisfied" on our 1-5 scale
    data = "id,overall,speed\na,5,0\nb,4,6\nc,3,2\nd,2,0\n"
    report = _import(
        manager, survey, data, recode={"speed": {"0": "", "6": "5"}, "overall": {"9": ""}}
    )
    assert (report.imported, report.rejected, report.skipped) == (4, 0, [])
    assert _answers("speed") == {"b": 5, "c": 2}
    assert report.recoded == {("speed", "0", ""): 2, ("speed", "6", "5"): 1}


def test_recoding_a_column_that_is_not_a_question_is_a_mapping_error(manager):
    survey = make_survey(manager)
    with pytest.raises(ValidationFailed) as exc:
        _import(
            manager,
            survey,
            "id,overall\na,5\n",
            {"id": "external_id", "overall": "question:overall"},
            recode={"id": {"a": "b"}},
        )
    assert "recode" in exc.value.fields
