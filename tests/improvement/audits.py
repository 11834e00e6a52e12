"""Seeding for the internal-audit tests: a team with a case, a programme and an audit of that
team planned with the given auditor, through the services."""

from __future__ import annotations

import datetime as dt

from plaint.accounts.models import Team
from plaint.complaints import services as cs
from plaint.core.actors import Actor
from plaint.improvement import services as s
from plaint.improvement.models import AuditProgramme
from tests.factories import make_complaint

SCOPE = ["iso10002:7"]  # five questions: a short checklist to answer in a test


def team_case(manager, name: str = "Delivery", subject: str = "Crushed parcel"):
    """A team and one case of it."""
    team = Team.objects.get_or_create(name=name)[0]
    complaint, _token = make_complaint(subject=subject)
    cs.complaint_assign(
        complaint_id=complaint.pk, actor=Actor.staff(manager), assignee_id=None, team_id=team.pk
    )
    complaint.refresh_from_db()
    return team, complaint


def plan(manager, auditor, *, team=None, clauses=SCOPE, standards=("iso10002",), **kw):
    title = kw.pop("programme", "Processes")
    programme = AuditProgramme.objects.filter(year=2026, title=title).first()
    programme = programme or s.audit_programme_create(
        actor=Actor.staff(manager), year=2026, title=title
    )
    return s.audit_plan(
        actor=Actor.staff(manager),
        programme_id=programme.pk,
        title="Delivery: handling",
        standards=list(standards),
        clauses=list(clauses),
        team_ids=[team.pk] if team else [],
        planned_start=dt.date(2026, 5, 4),
        planned_end=dt.date(2026, 5, 8),
        lead_auditor_id=auditor.pk,
        **kw,
    )


def answer_all(audit, auditor, answer: str = "yes") -> None:
    for item in audit.items.all():
        s.checklist_answer(
            actor=Actor.staff(auditor), audit_id=audit.pk, item_id=item.pk, answer=answer
        )
