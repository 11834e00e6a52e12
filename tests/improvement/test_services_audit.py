"""Internal audits through their services: the checklist copied from the scope, the auditors'
independence, who records and who plans, the lifecycle, evidence limited to what the auditor may
read, the nonconformity's corrective action, the audit chain and the period summary."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from plaint.accounts.models import Team
from plaint.complaints import services as cs
from plaint.complaints.models import Complaint
from plaint.core.actors import Actor
from plaint.core.audit import audit_verify
from plaint.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from plaint.core.models import AuditEvent
from plaint.improvement import checklists
from plaint.improvement import services as s
from plaint.improvement.selectors_audit import audit_summary
from plaint.improvement.states_audit import AUDIT_TRANSITIONS, AuditState, AuditStep
from tests.factories import CategoryFactory, UserFactory, make_complaint
from tests.improvement.audits import answer_all, plan, team_case

pytestmark = pytest.mark.django_db

INDICATOR = {"kind": "ack_within_business_days", "days": 1}


def _fields(exc) -> dict:
    return exc.value.fields


def test_planning_copies_the_checklist_of_the_clauses_in_scope(manager, auditor):
    audit = plan(manager, auditor, clauses=["iso10002:7", "iso10002:8"])
    expected = checklists.load("iso10002").questions(frozenset({"7", "8"}))
    assert [i.code for i in audit.items.order_by("pk")] == [q.code for q in expected]
    assert audit.state == AuditState.PLANNED
    event = AuditEvent.objects.get(case_type="internal_audit", case_id=audit.pk)
    assert event.action == "planned" and event.data["clauses"] == ["iso10002:7", "iso10002:8"]


def test_no_clause_chosen_means_every_clause_of_each_standard(manager, auditor):
    audit = plan(manager, auditor, clauses=[], standards=("iso10003", "iso10001"))
    every = len(checklists.load("iso10003").questions()) + len(
        checklists.load("iso10001").questions()
    )
    assert audit.items.count() == every


def test_scope_must_name_known_standards_and_their_clauses(manager, auditor):
    with pytest.raises(ValidationFailed) as exc:
        plan(manager, auditor, standards=("iso9001",))
    assert "standards" in _fields(exc)
    with pytest.raises(ValidationFailed) as exc:
        plan(manager, auditor, clauses=["iso10003:7"], programme="Other")  # not a chosen standard
    assert "clauses" in _fields(exc)


def test_a_member_of_a_team_in_scope_may_not_audit_it(manager):
    team, _case = team_case(manager)
    insider = UserFactory(username="inga", role="auditor", team=team)
    with pytest.raises(ValidationFailed) as exc:
        plan(manager, insider, team=team)
    assert "independent" in _fields(exc)["lead_auditor_id"][0]
    assert "Delivery" in _fields(exc)["lead_auditor_id"][0]
    other = Team.objects.create(name="Billing")
    outsider = UserFactory(username="otto", role="auditor", team=other)
    assert plan(manager, outsider, team=team).lead_auditor == outsider
    with pytest.raises(ValidationFailed):  # an audit of every team: no team member audits it
        plan(manager, outsider, programme="Whole")


def test_the_handler_of_a_case_in_scope_may_not_audit_it(manager, auditor):
    team, case = team_case(manager)
    Complaint.objects.filter(pk=case.pk).update(assignee=auditor)  # assigned before a role change
    with pytest.raises(ValidationFailed) as exc:
        plan(manager, auditor, team=team)
    assert "handles cases" in _fields(exc)["lead_auditor_id"][0]


def test_the_lead_auditor_must_have_the_auditor_role(manager, handler):
    with pytest.raises(ValidationFailed) as exc:
        plan(manager, handler)
    assert "lead_auditor_id" in _fields(exc)


def test_only_managers_plan_and_only_the_audits_auditors_record(manager, auditor, handler):
    with pytest.raises(NotAllowed):
        s.audit_programme_create(actor=Actor.staff(auditor), year=2026, title="Mine")
    audit = plan(manager, auditor)
    stranger = UserFactory(username="sten", role="auditor")
    for who in (manager, stranger, handler):
        with pytest.raises(NotAllowed):
            s.audit_start(actor=Actor.staff(who), audit_id=audit.pk)
    s.audit_start(actor=Actor.staff(auditor), audit_id=audit.pk)
    item = audit.items.first()
    with pytest.raises(NotAllowed):
        s.checklist_answer(
            actor=Actor.staff(stranger), audit_id=audit.pk, item_id=item.pk, answer="yes"
        )


def test_the_whole_lifecycle_with_a_nonconformity_that_opens_a_corrective_action(manager, auditor):
    team, case = team_case(manager)
    audit = plan(manager, auditor, team=team)
    lead, boss = Actor.staff(auditor), Actor.staff(manager)
    with pytest.raises(InvalidTransition):  # nothing is recorded before the audit starts
        s.finding_record(
            actor=lead, audit_id=audit.pk, kind="conformity", clause="iso10002:7", statement="x"
        )
    s.audit_start(actor=lead, audit_id=audit.pk)
    nc = s.finding_record(
        actor=lead,
        audit_id=audit.pk,
        kind="nonconformity",
        clause="iso10002:7",
        statement="Acknowledgements sent late.",
        complaint_references=[case.reference],
    )
    assert nc.reference == f"AUD-{audit.pk}-F1" and list(nc.complaints.all()) == [case]
    with pytest.raises(Conflict):  # not every question answered
        s.audit_report(actor=lead, audit_id=audit.pk, conclusion="Mostly fine.")
    answer_all(audit, auditor)
    s.audit_report(actor=lead, audit_id=audit.pk, conclusion="Mostly fine.")
    with pytest.raises(Conflict):  # the nonconformity has no corrective action yet
        s.audit_close(actor=boss, audit_id=audit.pk)
    with pytest.raises(NotAllowed):  # the auditee's manager acts, not the auditor
        s.finding_corrective_action_open(
            actor=lead,
            finding_id=nc.pk,
            owner_id=manager.pk,
            indicator=INDICATOR,
            comparison="ge",
            target=95,
        )
    ca = s.finding_corrective_action_open(
        actor=boss,
        finding_id=nc.pk,
        owner_id=manager.pk,
        indicator=INDICATOR,
        comparison="ge",
        target=95,
    )
    assert (ca.source, ca.source_ref) == ("audit", nc.reference)
    assert list(ca.complaints.all()) == [case]
    nc.refresh_from_db()
    assert nc.corrective_action == ca
    with pytest.raises(Conflict):
        s.finding_corrective_action_open(
            actor=boss,
            finding_id=nc.pk,
            owner_id=manager.pk,
            indicator=INDICATOR,
            comparison="ge",
            target=95,
        )
    closed = s.audit_close(actor=boss, audit_id=audit.pk)
    assert closed.state == AuditState.CLOSED and closed.closed_at
    actions = list(
        AuditEvent.objects.filter(case_type="internal_audit", case_id=audit.pk)
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions[:3] == ["planned", "start", "finding_recorded"]
    assert actions[-3:] == ["report", "corrective_action_opened", "close"]
    assert audit_verify().breaks == []


def test_only_a_nonconformity_opens_a_corrective_action(manager, auditor):
    audit = plan(manager, auditor)
    s.audit_start(actor=Actor.staff(auditor), audit_id=audit.pk)
    seen = s.finding_record(
        actor=Actor.staff(auditor),
        audit_id=audit.pk,
        kind="observation",
        clause="iso10002:7",
        statement="Templates vary.",
    )
    with pytest.raises(Conflict):
        s.finding_corrective_action_open(
            actor=Actor.staff(manager),
            finding_id=seen.pk,
            owner_id=manager.pk,
            indicator=INDICATOR,
            comparison="ge",
            target=95,
        )


def test_evidence_is_a_case_the_auditor_may_read_and_a_nonconformity_needs_some(manager, auditor):
    audit = plan(manager, auditor)
    lead = Actor.staff(auditor)
    s.audit_start(actor=lead, audit_id=audit.pk)
    health = CategoryFactory(code="health", name="Health")
    cs.category_access_set(
        actor=Actor.staff(manager),
        category_id=health.pk,
        restricted=True,
        reader_ids=[manager.pk],
    )
    hidden, _token = make_complaint(category="health")
    for refs in ([hidden.reference], ["C-2099-999999"]):  # not readable == not there
        with pytest.raises(ValidationFailed) as exc:
            s.finding_record(
                actor=lead,
                audit_id=audit.pk,
                kind="nonconformity",
                clause="iso10002:7",
                statement="Late.",
                complaint_references=refs,
            )
        assert "No such complaint" in _fields(exc)["complaints"][0]
    with pytest.raises(ValidationFailed) as exc:
        s.finding_record(
            actor=lead,
            audit_id=audit.pk,
            kind="nonconformity",
            clause="iso10002:7",
            statement="Late.",
        )
    assert "evidence_note" in _fields(exc)
    with pytest.raises(ValidationFailed) as exc:  # a clause outside the audit's standards
        s.finding_record(
            actor=lead,
            audit_id=audit.pk,
            kind="observation",
            clause="iso10003:7",
            statement="Fine.",
        )
    assert "clause" in _fields(exc)


def test_a_step_outside_the_table_is_refused(manager, auditor):
    audit = plan(manager, auditor)
    assert AuditState.PLANNED not in AUDIT_TRANSITIONS[AuditStep.REPORT].sources
    with pytest.raises(InvalidTransition):
        s.audit_report(actor=Actor.staff(auditor), audit_id=audit.pk, conclusion="Too early.")
    s.audit_cancel(actor=Actor.staff(manager), audit_id=audit.pk, reason="Team merged.")
    with pytest.raises(InvalidTransition):
        s.audit_start(actor=Actor.staff(auditor), audit_id=audit.pk)


def test_the_summary_of_a_period_counts_findings_and_lists_open_nonconformities(manager, auditor):
    audit = plan(manager, auditor)
    lead = Actor.staff(auditor)
    s.audit_start(actor=lead, audit_id=audit.pk)
    for kind in ("conformity", "observation", "nonconformity", "nonconformity"):
        s.finding_record(
            actor=lead,
            audit_id=audit.pk,
            kind=kind,
            clause="iso10002:7",
            statement=f"A {kind}.",
            evidence_note="Sampled records.",
        )
    answer_all(audit, auditor)
    s.audit_report(actor=lead, audit_id=audit.pk, conclusion="Two nonconformities.")
    today = timezone.localdate()
    summary = audit_summary(today - dt.timedelta(days=30), today)
    assert summary.held == 1
    assert summary.findings_by_kind == {"conformity": 1, "observation": 1, "nonconformity": 2}
    assert summary.audits[0].url == f"/staff/improvement/audits/{audit.pk}/"
    assert [n.reference for n in summary.open_nonconformities] == [
        f"AUD-{audit.pk}-F3",
        f"AUD-{audit.pk}-F4",
    ]
    assert summary.open_nonconformities[0].corrective_action == ""
    earlier = audit_summary(today - dt.timedelta(days=60), today - dt.timedelta(days=31))
    assert earlier.held == 0 and earlier.open_nonconformities == []
