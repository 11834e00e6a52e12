"""Demo data for ``plaint demo``: this year's audit programme with one reported audit of the
complaints-handling and dispute-resolution operation (ISO 10002 clauses 7 and 8, ISO 10003 clause 7)
of one team — its checklist answered, a conformity, an observation and a nonconformity with
evidence in the team's cases — and the corrective action the manager opened from the
nonconformity. Written through the services, as the auditor and the manager."""

from __future__ import annotations

import datetime as dt

from plaint.accounts.models import Role, Team, User
from plaint.complaints.visibility import visible_complaints
from plaint.core.actors import Actor
from plaint.improvement import services
from plaint.improvement.models_audit import Audit, ChecklistItem, Finding
from plaint.improvement.states_audit import Answer, FindingKind

SCOPE = ["iso10002:7", "iso10002:8", "iso10003:7"]
# The answers, in checklist order: one "partly" for the late acknowledgements, one "no" for
# satisfaction with handling that nobody acts on; the rest "yes".
ANSWERS = {"iso10002/7/2": Answer.PARTLY, "iso10002/8/2": Answer.NO}


def _team_in_scope(auditor: User) -> Team | None:
    """A team the auditor is not in and whose cases they do not handle (the demo's Delivery)."""
    teams = Team.objects.order_by("name")
    if auditor.team_id is not None:
        teams = teams.exclude(pk=auditor.team_id)
    for team in teams:
        if not services.independence_problem(auditor, [team], []):
            return team
    return None


def seed_audit(*, manager: User, now: dt.datetime) -> str:
    auditor = User.objects.filter(role=Role.AUDITOR, is_active=True).order_by("pk").first()
    team = _team_in_scope(auditor) if auditor else None
    if auditor is None or team is None:
        return "no auditor or team; audit skipped"
    lead, boss = Actor.staff(auditor), Actor.staff(manager)
    audit = _plan(boss, auditor, team, now)
    services.audit_start(actor=lead, audit_id=audit.pk, now=now - dt.timedelta(days=21))
    at = now - dt.timedelta(days=20)
    for item in ChecklistItem.objects.filter(audit=audit).order_by("pk"):
        services.checklist_answer(
            actor=lead,
            audit_id=audit.pk,
            item_id=item.pk,
            answer=ANSWERS.get(item.code, Answer.YES),
            notes="Sampled ten cases." if item.code in ANSWERS else "",
            now=at,
        )
    made = _findings(lead, audit, auditor, team, at)
    services.audit_report(
        actor=lead,
        audit_id=audit.pk,
        conclusion="The process works as documented; one nonconformity on the timeliness of "
        "acknowledgements needs a corrective action.",
        now=now - dt.timedelta(days=14),
    )
    ca = services.finding_corrective_action_open(
        actor=boss,
        finding_id=made[-1].pk,
        owner_id=manager.pk,
        indicator={"kind": "ack_within_business_days", "days": 1, "team": team.pk},
        comparison="ge",
        target=95,
        window_months=1,
        now=now - dt.timedelta(days=12),
    )
    return f"audit {audit.reference} reported, {len(made)} findings, {ca.reference} opened"


def _plan(boss: Actor, auditor: User, team: Team, now: dt.datetime) -> Audit:
    start = (now - dt.timedelta(days=21)).date()
    programme = services.audit_programme_create(
        actor=boss,
        year=now.year,
        title="Complaints and disputes processes",
        objectives="Each process audited once a year; operation and improvement first.",
        now=now - dt.timedelta(days=40),
    )
    return services.audit_plan(
        actor=boss,
        programme_id=programme.pk,
        title=f"{team.name}: handling and dispute referral",
        standards=["iso10002", "iso10003"],
        clauses=SCOPE,
        team_ids=[team.pk],
        scope_note="Cases of the team received in the last quarter; the referral of disputes.",
        planned_start=start,
        planned_end=start + dt.timedelta(days=7),
        lead_auditor_id=auditor.pk,
        now=now - dt.timedelta(days=30),
    )


def _findings(
    lead: Actor, audit: Audit, auditor: User, team: Team, at: dt.datetime
) -> list[Finding]:
    """A conformity, an observation and a nonconformity, the last with two of the team's cases."""
    found = list(
        visible_complaints(auditor)
        .filter(team=team)
        .order_by("received_at")
        .values_list("reference", flat=True)[:3]
    )
    cases: list[str] = [ref for ref in found if ref]
    findings = [
        (
            FindingKind.CONFORMITY,
            "iso10002:7",
            "Every sampled case has a reference and a complete history from receipt to closure.",
            cases[:1],
            "",
        ),
        (
            FindingKind.OBSERVATION,
            "iso10002:8",
            "Satisfaction with handling is measured, but its results are not yet discussed "
            "in the team's monthly meeting.",
            [],
            "Minutes of the team meetings of the last quarter.",
        ),
        (
            FindingKind.NONCONFORMITY,
            "iso10002:7",
            "Acknowledgements were sent later than the promised business day in two of ten "
            "sampled cases.",
            cases[1:3],
            "Acknowledgement times read from the sampled cases' histories.",
        ),
    ]
    return [
        services.finding_record(
            actor=lead,
            audit_id=audit.pk,
            kind=kind,
            clause=clause,
            statement=text,
            complaint_references=refs,
            evidence_note=note,
            now=at,
        )
        for kind, clause, text, refs, note in findings
    ]
