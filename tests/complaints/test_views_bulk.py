"""Bulk actions on the queue: tick cases, choose assign / change team / internal note, confirm.
Each case changes through its own service with its own audit event; cases that cannot change
are reported by reference with the reason, and the others still change."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaint.accounts.models import Team
from plaint.complaints.models import Complaint, Message
from plaint.complaints.services import complaint_assign, complaint_decline_decision
from plaint.core.actors import Actor
from plaint.core.models import AuditEvent
from tests.factories import advance, make_complaint

pytestmark = pytest.mark.django_db


def _cases(n: int) -> list[Complaint]:
    return [make_complaint(subject=f"Case {i}")[0] for i in range(n)]


def _post(client, cases, action: str, confirm: bool = False, **fields):
    data = {"bulk-case": [c.reference for c in cases], "bulk-action": action}
    data.update({f"bulk-{key}": value for key, value in fields.items()})
    response = client.post("/staff/bulk/", data)
    if not confirm:
        return response
    # the confirmation page's form, as the browser would send it back
    assert response.status_code == 200, response.content.decode()
    selection = response.context["selection"]
    data = {"bulk-case": selection, "bulk-action": action, "confirm": "yes"}
    data.update({f"bulk-{key}": value for key, value in fields.items()})
    return client.post("/staff/bulk/", data, follow=True)


def _assigned_events(complaint) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(case_type="complaint", case_id=complaint.pk, action="assigned")
    )


def test_the_confirmation_page_says_what_will_happen_and_changes_nothing(
    client, handler, other_handler
):
    cases = _cases(3)
    client.force_login(handler)
    response = _post(client, cases, "assign", assignee=other_handler.pk)
    body = response.content.decode()
    assert response.status_code == 200
    assert "3 complaints will be assigned to olga." in body
    for c in cases:
        assert c.reference in body
    assert not Complaint.objects.filter(assignee=other_handler).exists()
    assert not AuditEvent.objects.filter(action="assigned").exists()


def test_assign_many_each_audited_and_keeping_its_team(client, handler, other_handler):
    care = Team.objects.create(name="Care")
    cases = _cases(3)
    complaint_assign(
        complaint_id=cases[0].pk, actor=Actor.staff(handler), assignee_id=None, team_id=care.pk
    )
    client.force_login(handler)
    response = _post(client, cases, "assign", confirm=True, assignee=other_handler.pk)
    assert "3 complaints changed." in response.content.decode()
    for c in cases:
        c.refresh_from_db()
        assert c.assignee == other_handler
        events = _assigned_events(c)
        assert events[-1].data["after"]["assignee_id"] == other_handler.pk
        assert events[-1].actor_id == handler.pk
    assert cases[0].team == care  # the team stays


def test_change_team_keeps_each_assignee(client, handler, other_handler):
    care = Team.objects.create(name="Care")
    cases = _cases(2)
    complaint_assign(complaint_id=cases[0].pk, actor=Actor.staff(handler), assignee_id=handler.pk)
    client.force_login(handler)
    _post(client, cases, "team", confirm=True, team=care.pk)
    first, second = (Complaint.objects.get(pk=c.pk) for c in cases)
    assert (first.team, first.assignee) == (care, handler)
    assert (second.team, second.assignee) == (care, None)


def test_an_internal_note_on_each_case(client, handler):
    cases = _cases(3)
    client.force_login(handler)
    response = _post(client, cases, "note", confirm=True, body="Checked with the courier.")
    assert "Internal note added to 3 complaints." in response.content.decode()
    notes = Message.objects.filter(direction=Message.Direction.INTERNAL)
    assert sorted(notes.values_list("complaint_id", flat=True)) == sorted(c.pk for c in cases)
    assert set(notes.values_list("body", flat=True)) == {"Checked with the courier."}
    assert AuditEvent.objects.filter(action="message_note").count() == 3


def test_cases_that_cannot_change_are_reported_by_reference_and_the_others_change(
    client, handler, other_handler
):
    open_one, open_two, finished = _cases(3)
    advance(finished, "closed", by=handler)
    client.force_login(handler)
    preview = _post(client, [open_one, finished, open_two], "assign", assignee=other_handler.pk)
    body = preview.content.decode()
    assert "2 complaints will be assigned to olga." in body
    refused = body.split('id="bulk-refused"')[1]
    assert finished.reference in refused
    assert "A finished complaint cannot be reassigned." in refused
    response = _post(
        client, [open_one, finished, open_two], "assign", confirm=True, assignee=other_handler.pk
    )
    body = response.content.decode()
    assert "2 complaints changed." in body
    assert f"Not changed: {finished.reference} — A finished complaint cannot be reassigned." in body
    assert set(Complaint.objects.filter(assignee=other_handler)) == {open_one, open_two}


def test_already_so_is_said_not_redone(client, handler, other_handler):
    done, todo = _cases(2)
    complaint_assign(complaint_id=done.pk, actor=Actor.staff(handler), assignee_id=other_handler.pk)
    client.force_login(handler)
    response = _post(client, [done, todo], "assign", confirm=True, assignee=other_handler.pk)
    assert f"Not changed: {done.reference} — Already assigned to olga." in (
        response.content.decode()
    )
    assert len(_assigned_events(done)) == 1


def test_a_case_changed_after_the_confirmation_page_is_reported(client, handler, other_handler):
    first, second = _cases(2)
    client.force_login(handler)
    preview = _post(client, [first, second], "assign", assignee=other_handler.pk)
    complaint_assign(complaint_id=second.pk, actor=Actor.staff(handler), assignee_id=handler.pk)
    response = client.post(
        "/staff/bulk/",
        {
            "bulk-case": preview.context["selection"],
            "bulk-action": "assign",
            "bulk-assignee": other_handler.pk,
            "confirm": "yes",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "1 complaint changed." in body
    assert f"Not changed: {second.reference} — Someone else changed this complaint" in body
    assert Complaint.objects.get(pk=second.pk).assignee == handler


def test_the_internal_review_cannot_go_to_the_person_who_decided(client, handler, manager):
    case = advance(_cases(1)[0], "decision_communicated", by=handler)
    complaint_decline_decision(complaint_id=case.pk, actor=Actor.complainant(), reason="Too small.")
    case.refresh_from_db()
    assert case.decided_by == handler
    client.force_login(manager)
    response = _post(client, [case], "assign", assignee=case.decided_by_id)
    body = response.content.decode()
    assert "someone other than the person who decided" in body
    assert 'id="confirm-bulk-button"' not in body  # nothing left to confirm


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"bulk-action": "assign"}, "Select at least one complaint."),
        ({"bulk-action": "assign", "bulk-case": ["C-1 OR 1=1"]}, "The selection is not valid."),
        ({"bulk-action": "fly", "bulk-case": ["C-2026-000001"]}, "Select a valid choice"),
        (
            {"bulk-action": "note", "bulk-case": ["C-2026-000001"], "bulk-body": " "},
            "Write the note to add.",
        ),
        (
            {"bulk-action": "assign", "bulk-case": ["C-2026-000001"], "bulk-assignee": "999"},
            "valid choice",
        ),
        (
            {"bulk-action": "assign", "bulk-case": [f"C-2026-{i:06d}" for i in range(1, 202)]},
            "Select at most 200 complaints at once.",
        ),
    ],
)
def test_bad_input_is_a_clear_message_not_an_error_page(client, handler, data, message):
    client.force_login(handler)
    response = client.post("/staff/bulk/", data)
    assert response.status_code == 422
    assert message in response.content.decode()


def test_an_unknown_case_is_reported_by_its_reference(client, handler, other_handler):
    case = _cases(1)[0]
    client.force_login(handler)
    response = client.post(
        "/staff/bulk/",
        {
            "bulk-case": [case.reference, "C-2026-987654"],
            "bulk-action": "assign",
            "bulk-assignee": other_handler.pk,
        },
    )
    assert "C-2026-987654</span> — No such complaint." in response.content.decode()


def test_auditors_and_visitors_may_not(client, auditor, handler):
    case = _cases(1)[0]
    client.force_login(auditor)
    response = client.post(
        "/staff/bulk/",
        {"bulk-case": [case.reference], "bulk-action": "note", "bulk-body": "x", "confirm": "yes"},
    )
    assert response.status_code == 403
    assert not Message.objects.exists()
    assert 'name="bulk-case"' not in client.get("/staff/?sort=newest").content.decode()
    client.logout()
    assert client.post("/staff/bulk/", {}).status_code == 302  # to the login page


# --- statements ----------------------------------------------------------------------------------


def _count(client, cases, other_handler, *, confirm: bool) -> int:
    data = {
        "bulk-case": [c.reference for c in cases],
        "bulk-action": "assign",
        "bulk-assignee": other_handler.pk,
    }
    if confirm:
        data["confirm"] = "yes"
    with CaptureQueriesContext(connection) as ctx:
        response = client.post("/staff/bulk/", data)
    assert response.status_code in (200, 302)
    return len(ctx.captured_queries)


def test_the_confirmation_page_is_constant_in_the_number_of_cases(client, handler, other_handler):
    cases = _cases(12)
    client.force_login(handler)
    _count(client, cases[:1], other_handler, confirm=False)  # warm up the session
    assert _count(client, cases[:2], other_handler, confirm=False) == _count(
        client, cases, other_handler, confirm=False
    )


# Per case, the action runs complaint_assign as it runs for one case on its page (7 statements:
# the savepoint, the assignee looked up, the row locked, the UPDATE, the audit chain's head read,
# the event written, the savepoint released), and notifications tells the new assignee in the app
# (6 more: the person looked up, its savepoint and release, whether the visibility rule narrows
# anything (complaints.visibility), their preferences, the notification inserted); around them a constant (the session, the user, the form's people and teams, one read
# of every ticked case, the organisation's time zone, and the assignee's one mail for all the
# cases).
PER_CASE = 7 + 6


def test_the_action_is_a_constant_plus_the_services_statements_per_case(
    client, handler, other_handler
):
    cases = _cases(12)
    client.force_login(handler)
    _count(client, cases[:1], other_handler, confirm=True)  # warm up
    two = _count(client, cases[1:3], other_handler, confirm=True)
    seven = _count(client, cases[3:10], other_handler, confirm=True)
    assert seven - two == 5 * PER_CASE, (two, seven)
    assert two - 2 * PER_CASE <= 14, two  # 12 before the one mail (the organisation, the insert)
