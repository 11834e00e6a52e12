"""Answering: tokens (single use, expiry, unknown), partial saves, ranges, follow-ups, insights."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from plaint.complaints.models import Complaint
from plaint.core.actors import Actor
from plaint.core.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from plaint.insights.models import AnswerCount
from plaint.surveys import services
from plaint.surveys.models import Answer, CallbackTask, Response
from tests.factories import advance, make_complaint
from tests.surveys.factories import invite, make_survey

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_unknown_token_is_not_found_and_says_nothing(manager):
    make_survey(manager)
    for token in ("nope", "", "x" * 500):
        with pytest.raises(NotFound) as exc:
            services.response_open(token=token)
        assert exc.value.message == "This survey link is not valid."


def test_partial_save_then_submit_once(manager):
    survey = make_survey(manager)
    invitation, token = invite(manager, survey)
    response = services.response_save(
        token=token, answers={"speed": "4", "liked": ["tone", "speed"]}, page=1
    )
    assert response.submitted_at is None and response.page == 1
    _inv, partial = services.response_open(token=token)
    assert partial.pk == response.pk
    services.response_save(token=token, answers={"speed": "", "comment": "Fine."}, page=2)
    assert {a.question.code for a in response.answers.select_related("question")} == {
        "liked",
        "comment",
    }
    with pytest.raises(ValidationFailed) as exc:  # the required overall question is missing
        services.response_save(token=token, answers={}, page=2, submit=True)
    assert "q_overall" in exc.value.fields
    response = services.response_save(token=token, answers={"overall": "5"}, page=2, submit=True)
    assert response.submitted_at is not None and response.source == "web"
    invitation.refresh_from_db()
    assert invitation.state == "responded" and invitation.responded_at
    with pytest.raises(InvalidTransition) as exc:
        services.response_save(token=token, answers={"overall": "1"}, submit=True)
    assert exc.value.reason == "used"
    assert Answer.objects.get(response=response, question__code="overall").value == 5
    assert Response.objects.count() == 1


def test_expired_link(manager):
    with time_machine.travel(T0, tick=False):
        survey = make_survey(manager, expiry_days=5)
        _invitation, token = invite(manager, survey)
    with time_machine.travel(T0 + dt.timedelta(days=5, seconds=1), tick=False):
        with pytest.raises(InvalidTransition) as exc:
            services.response_open(token=token)
        assert exc.value.reason == "expired"


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("overall", "6", "Choose a whole number from 1 to 5."),
        ("overall", "0", "Choose a whole number from 1 to 5."),
        ("overall", "four", "Choose a whole number from 1 to 5."),
        ("nps", "11", "Choose a whole number from 0 to 10."),
        ("nps", "-1", "Choose a whole number from 0 to 10."),
        ("effort", "8", "Choose a whole number from 1 to 7."),
        ("contact", "fax", "Choose one of: web, phone."),
        ("liked", ["tone", "price"], "Choose among: tone, speed, outcome."),
        ("comment", "x" * 5001, "At most 5000 characters."),
    ],
)
def test_out_of_range_answers_name_the_allowed_range(manager, code, value, message):
    survey = make_survey(manager)
    _invitation, token = invite(manager, survey)
    with pytest.raises(ValidationFailed) as exc:
        services.response_save(token=token, answers={code: value})
    assert exc.value.fields[f"q_{code}"] == [message]
    assert not Answer.objects.exists()


def test_nps_bounds_are_accepted(manager):
    survey = make_survey(manager)
    _invitation, token = invite(manager, survey)
    services.response_save(
        token=token, answers={"overall": "1", "nps": "0", "effort": "7"}, submit=True
    )
    assert sorted(Answer.objects.values_list("value", flat=True)) == [0, 1, 7]


def test_submit_records_in_insights_aggregates(manager):
    survey = make_survey(manager)
    _invitation, token = invite(manager, survey)
    services.response_save(token=token, answers={"overall": "4", "speed": "3"}, page=1)
    assert not AnswerCount.objects.exists()  # a partial response is not counted
    services.response_save(token=token, answers={}, submit=True)
    overall = AnswerCount.objects.get(question__code="overall", dimension="all")
    assert (overall.value, overall.count) == (4, 1)


def test_low_score_opens_a_callback_task(manager):
    survey = make_survey(manager, followup="callback", followup_max_score=2)
    _inv, low = invite(manager, survey, email="low@example.org")
    _inv, high = invite(manager, survey, email="high@example.org")
    services.response_save(token=low, answers={"overall": "2", "comment": "Too slow."}, submit=True)
    services.response_save(token=high, answers={"overall": "3"}, submit=True)
    task = CallbackTask.objects.get()
    assert (task.email, task.score, task.comment, task.state) == (
        "low@example.org",
        2,
        "Too slow.",
        "open",
    )
    with pytest.raises(NotAllowed):
        services.callback_done(actor=Actor.staff(_handler(manager)), callback_id=task.pk)
    services.callback_done(actor=Actor.staff(manager), callback_id=task.pk, note="Called, sorted.")
    task.refresh_from_db()
    assert task.state == "done" and task.done_by == manager
    with pytest.raises(InvalidTransition):
        services.callback_done(actor=Actor.staff(manager), callback_id=task.pk)


def _handler(manager):
    from tests.factories import UserFactory

    return UserFactory(username="hilda", role="handler")


def test_low_score_on_the_handling_survey_opens_a_complaint_about_the_process(manager, handler):
    make_survey(manager, followup="complaint", followup_max_score=2, delay_hours=0)
    complaint, _ = make_complaint(language="sv")
    complaint = advance(complaint, "closed", by=handler)
    services.surveys_process_due()
    invitation = complaint.survey_invitations.get()
    token = services.invitation_token(invitation.token_salt)
    services.response_save(
        token=token, answers={"overall": "1", "comment": "Nobody listened."}, submit=True
    )
    follow = Complaint.objects.exclude(pk=complaint.pk).get()
    assert follow.about_process is True and follow.channel == "email"
    # in the complainant's language, whatever the language of the request or job that saves it
    assert follow.subject == f"Låg nöjdhet med handläggningen av {complaint.reference}"
    assert follow.description.startswith("Öppnat automatiskt utifrån ett enkätsvar")
    assert "Nobody listened." in follow.description
    assert follow.complainant.email == "mari@example.org" and follow.complainant.language == "sv"


def test_a_low_score_in_a_general_survey_names_it_in_the_respondents_language(manager):
    survey = make_survey(
        manager,
        key="relationship",
        kind="relationship",
        followup="complaint",
        followup_max_score=2,
    )  # titled "Your complaint" in English, "Teie kaebus" in Estonian
    _inv, token = invite(manager, survey, email="kaja@example.org", language="et")
    services.response_save(token=token, answers={"overall": "1"}, submit=True)
    follow = Complaint.objects.get()
    assert follow.subject == "Madal hinne küsitluses „Teie kaebus“"
    assert follow.complainant.language == "et"


IMPORT_CSV = "id,score,comment\nold-1,1,Nobody called\nold-2,2,\nold-3,5,Fine\nold-4,9,bad row\n"
IMPORT_MAP = {"id": "external_id", "score": "question:overall", "comment": "question:comment"}


def test_import_opens_no_follow_up_unless_asked(manager):
    from plaint.core.models import AuditEvent

    survey = make_survey(manager, followup="callback", followup_max_score=2)
    report = services.responses_import_csv(
        actor=Actor.staff(manager), survey_id=survey.pk, data=IMPORT_CSV, mapping=IMPORT_MAP
    )
    assert (report.imported, report.rejected, report.followed_up) == (3, 1, 0)
    assert not CallbackTask.objects.exists()
    event = AuditEvent.objects.filter(action="responses_imported").latest("pk")
    assert event.data["follow_up"] is False and event.data["followed_up"] == 0


def test_import_with_follow_up_opens_one_callback_per_low_score(
    manager, django_assert_max_num_queries
):
    survey = make_survey(manager, followup="callback", followup_max_score=2)
    report = services.responses_import_csv(
        actor=Actor.staff(manager),
        survey_id=survey.pk,
        data=IMPORT_CSV,
        mapping=IMPORT_MAP,
        follow_up=True,
    )
    assert (report.imported, report.followed_up) == (3, 2)
    tasks = {t.response.external_id: t for t in CallbackTask.objects.select_related("response")}
    assert set(tasks) == {"old-1", "old-2"}
    assert tasks["old-1"].score == 1 and tasks["old-1"].comment == "Nobody called"
    assert tasks["old-1"].name == "Imported response, external id old-1"
    assert tasks["old-1"].email == "" and tasks["old-2"].comment == ""


def test_import_with_complaint_follow_up_opens_none_without_an_address(manager):
    survey = make_survey(manager, followup="complaint", followup_max_score=2)
    before = Complaint.objects.count()
    report = services.responses_import_csv(
        actor=Actor.staff(manager),
        survey_id=survey.pk,
        data=IMPORT_CSV,
        mapping=IMPORT_MAP,
        follow_up=True,
    )
    assert (report.imported, report.followed_up) == (3, 0)
    assert Complaint.objects.count() == before


def test_an_imported_answer_time_out_of_range_rejects_its_row(manager):
    survey = make_survey(manager)
    data = (
        "id,when,score\n"
        "far-past,0001-01-01T00:00:00+01:00,4\n"
        "old,1999-12-31,4\n"
        "future,2999-01-01T00:00:00Z,4\n"
        "fine,2026-01-15T10:00:00+02:00,4\n"
    )
    mapping = {"id": "external_id", "when": "submitted_at", "score": "question:overall"}
    report = services.responses_import_csv(
        actor=Actor.staff(manager), survey_id=survey.pk, data=data, mapping=mapping
    )
    assert (report.imported, report.rejected) == (1, 3)
    assert [line for line, _ in report.errors] == [2, 3, 4]
    assert all("when: Give a time from 2000-01-01 up to now." in m for _, m in report.errors)
    assert Response.objects.get().external_id == "fine"
