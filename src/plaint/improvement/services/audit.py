"""Internal audits (ISO 10002:2018 8.5): the programme, planning an audit with its scope and
independent auditors, and the audit's lifecycle (``states_audit``). Each write is one transaction
that appends its event to the audit's own hash chain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.accounts.access import can_configure, can_record_internal_audits
from plaint.accounts.models import Team, User
from plaint.complaints.models import Category, Complaint
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.errors import Conflict, InvalidTransition, NotAllowed, NotFound, ValidationFailed
from plaint.improvement import checklists
from plaint.improvement.models_audit import Audit, AuditProgramme, ChecklistItem, Finding
from plaint.improvement.services.common import audit, require_manager, text_clean
from plaint.improvement.states_audit import (
    AUDIT_TRANSITIONS,
    AUDITOR,
    PLANNER,
    AuditState,
    AuditStep,
    FindingKind,
)

AUDIT_CASE_TYPE = "internal_audit"
PROGRAMME_CASE_TYPE = "audit_programme"
MAX_CO_AUDITORS = 10


def audit_event(
    item_id: int,
    actor: Actor,
    action: str,
    data: dict[str, Any],
    personal: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Append to an audit's chain. What people wrote (statements, notes, the conclusion) may
    name a complainant: it goes in the unhashed ``personal`` part, which erasure clears without
    breaking the chain; codes, references and counts are hashed."""
    audit_append(
        case_type=AUDIT_CASE_TYPE,
        case_id=item_id,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        data=data,
        personal=personal or None,
        at=at,
    )


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(_("Check the highlighted fields."), fields={field: [message]})


@transaction.atomic
def audit_programme_create(
    *,
    actor: Actor,
    year: int,
    title: str,
    objectives: str = "",
    owner_id: int | None = None,
    now: dt.datetime | None = None,
) -> AuditProgramme:
    """A year's programme of internal audits, owned by a manager (the actor by default)."""
    require_manager(actor)
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise _invalid("year", _("Enter a year from 2000 to 2100."))
    wanted = owner_id or actor.user_id
    owner = User.objects.filter(pk=wanted, is_active=True).first() if wanted else None
    if owner is None or not can_configure(owner):
        raise _invalid("owner_id", _("Choose an active manager or admin."))
    title = text_clean(title, "title", limit=200)
    if AuditProgramme.objects.filter(year=year, title=title).exists():
        raise _invalid("title", _("This year already has a programme of that title."))
    now = now or timezone.now()
    programme = AuditProgramme.objects.create(
        year=year,
        title=title,
        objectives=text_clean(objectives, "objectives", required=False),
        owner=owner,
        created_at=now,
    )
    audit(
        PROGRAMME_CASE_TYPE,
        programme.pk,
        actor,
        "created",
        {"year": year, "title": title, "owner": owner.get_username()},
        at=now,
    )
    return programme


def _scope_clean(standards: Iterable[str], clauses: Iterable[str]) -> tuple[list[str], list[str]]:
    chosen = [s for s in checklists.STANDARDS if s in set(standards)]
    if not chosen or set(standards) - set(chosen):
        raise _invalid("standards", _("Choose at least one of the standards."))
    known = {f"{s}:{n}" for s in chosen for n in checklists.load(s).clause_numbers()}
    picked = sorted(set(clauses))
    if set(picked) - known:
        raise _invalid("clauses", _("Choose clauses of the standards chosen."))
    return chosen, picked


def _auditors_clean(lead_id: Any, co_ids: Iterable[int]) -> tuple[User, list[User]]:
    lead = User.objects.filter(pk=lead_id, is_active=True).first() if lead_id else None
    if lead is None or not can_record_internal_audits(lead):
        raise _invalid("lead_auditor_id", _("Choose an active user with the auditor role."))
    ids = sorted(set(co_ids) - {lead.pk})
    co = list(User.objects.filter(pk__in=ids, is_active=True))
    if len(ids) > MAX_CO_AUDITORS or len(co) != len(ids):
        raise _invalid("co_auditor_ids", _("Choose active users with the auditor role."))
    if not all(can_record_internal_audits(u) for u in co):
        raise _invalid("co_auditor_ids", _("Choose active users with the auditor role."))
    return lead, co


def independence_problem(user: User, teams: list[Team], categories: list[Category]) -> str:
    """Why ``user`` is not independent of the area audited ('' when they are): a member of a
    team in scope (of any team, when the audit covers every team), or the handler assigned to a
    case in scope."""
    if user.team_id is not None and (not teams or user.team_id in {t.pk for t in teams}):
        return _("%(name)s belongs to the team %(team)s, which this audit covers.") % {
            "name": user.get_username(),
            "team": user.team.name if user.team else "",
        }
    cases = Complaint.objects.filter(assignee_id=user.pk)
    if teams:
        cases = cases.filter(team__in=teams)
    if categories:
        cases = cases.filter(category__in=categories)
    if cases.exists():
        return _("%(name)s handles cases that this audit covers.") % {"name": user.get_username()}
    return ""


def _require_independent(
    lead: User, co: list[User], teams: Iterable[Team], categories: Iterable[Category]
) -> None:
    for field, people in (("lead_auditor_id", [lead]), ("co_auditor_ids", co)):
        for person in people:
            problem = independence_problem(person, list(teams), list(categories))
            if problem:
                raise _invalid(
                    field,
                    _("An auditor must be independent of the area audited: %(why)s")
                    % {"why": problem},
                )


def _rows(model: type[Team] | type[Category], ids: Iterable[int], field: str) -> list[Any]:
    wanted = sorted(set(ids))
    found = list(model.objects.filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise _invalid(field, _("Choose from the list."))
    return found


@transaction.atomic
def audit_plan(
    *,
    actor: Actor,
    programme_id: int,
    title: str,
    standards: Iterable[str],
    planned_start: dt.date,
    planned_end: dt.date,
    lead_auditor_id: int,
    clauses: Iterable[str] = (),
    team_ids: Iterable[int] = (),
    category_ids: Iterable[int] = (),
    co_auditor_ids: Iterable[int] = (),
    scope_note: str = "",
    now: dt.datetime | None = None,
) -> Audit:
    """Plan an audit in a programme: its scope, dates and independent auditors; its checklist is
    copied from the shipped checklists of the standards (and clauses) in scope."""
    require_manager(actor)
    programme = AuditProgramme.objects.filter(pk=programme_id).first()
    if programme is None:
        raise _invalid("programme_id", _("No such audit programme."))
    chosen, picked = _scope_clean(standards, clauses)
    if not isinstance(planned_start, dt.date) or not isinstance(planned_end, dt.date):
        raise _invalid("planned_start", _("Enter a date."))
    if planned_end < planned_start:
        raise _invalid("planned_end", _("The end cannot be before the start."))
    teams = _rows(Team, team_ids, "team_ids")
    categories = _rows(Category, category_ids, "category_ids")
    lead, co = _auditors_clean(lead_auditor_id, co_auditor_ids)
    _require_independent(lead, co, teams, categories)
    now = now or timezone.now()
    item = Audit.objects.create(
        programme=programme,
        title=text_clean(title, "title", limit=200),
        standards=chosen,
        clauses=picked,
        scope_note=text_clean(scope_note, "scope_note", required=False),
        planned_start=planned_start,
        planned_end=planned_end,
        lead_auditor=lead,
        created_at=now,
        updated_at=now,
    )
    item.teams.set(teams)
    item.categories.set(categories)
    item.co_auditors.set(co)
    ChecklistItem.objects.bulk_create(_checklist_rows(item, chosen, picked))
    personal = {"title": item.title, "scope_note": item.scope_note}
    audit_event(item.pk, actor, "planned", _plan_data(item, teams, categories, co), personal, now)
    return item


def _checklist_rows(item: Audit, standards: list[str], picked: list[str]) -> list[ChecklistItem]:
    rows = []
    for standard in standards:
        mine = {p.split(":", 1)[1] for p in picked if p.startswith(f"{standard}:")}
        for q in checklists.load(standard).questions(frozenset(mine) if picked else None):
            rows.append(
                ChecklistItem(
                    audit=item, code=q.code, standard=standard, clause=q.clause, question=q.text
                )
            )
    return rows


def _plan_data(
    item: Audit, teams: list[Team], categories: list[Category], co: list[User]
) -> dict[str, Any]:
    return {
        "programme": item.programme_id,
        "standards": item.standards,
        "clauses": item.clauses,
        "teams": sorted(t.name for t in teams),
        "categories": sorted(c.code for c in categories),
        "planned": [item.planned_start.isoformat(), item.planned_end.isoformat()],
        "lead_auditor": item.lead_auditor.get_username(),
        "co_auditors": sorted(u.get_username() for u in co),
    }


def lock_audit(audit_id: int) -> Audit:
    found = Audit.objects.select_for_update().filter(pk=audit_id).first()
    if found is None:
        raise NotFound(_("No such audit."))
    return found


def actor_kinds(item: Audit, actor: Actor) -> set[str]:
    """What the actor is to this audit: one of its auditors, a planner (manager, admin)."""
    kinds = set()
    if actor.kind == "staff" and can_configure(actor.user):
        kinds.add(PLANNER)
    auditors = {item.lead_auditor_id, *item.co_auditors.values_list("pk", flat=True)}
    if (
        actor.kind == "staff"
        and can_record_internal_audits(actor.user)
        and actor.user_id in auditors
    ):
        kinds.add(AUDITOR)
    return kinds


def require_auditor(item: Audit, actor: Actor) -> None:
    if AUDITOR not in actor_kinds(item, actor):
        raise NotAllowed(_("Only the auditors of this audit may record it."))


def _gate(item: Audit, actor: Actor, step: AuditStep) -> None:
    """Refuse ``step`` unless the actor may take it and the audit is in one of its states."""
    transition = AUDIT_TRANSITIONS[step]
    if not transition.actors & actor_kinds(item, actor):
        raise NotAllowed(_("Your role may not take this step."))
    if item.state not in transition.sources:
        raise InvalidTransition(
            _("“%(step)s” is not possible while the audit is “%(state)s”.")
            % {"step": step.label, "state": AuditState(item.state).label}
        )


def _move(
    item: Audit,
    actor: Actor,
    step: AuditStep,
    data: dict[str, Any],
    fields: list[str],
    now: dt.datetime,
    personal: dict[str, Any] | None = None,
) -> Audit:
    _gate(item, actor, step)
    transition = AUDIT_TRANSITIONS[step]
    before, item.state, item.updated_at = item.state, transition.target, now
    item.save(update_fields=["state", "updated_at", *fields])
    moved = {"from": before, "to": item.state, **data}
    audit_event(item.pk, actor, step.value, moved, personal, now)
    return item


@transaction.atomic
def audit_start(*, actor: Actor, audit_id: int, now: dt.datetime | None = None) -> Audit:
    """The lead auditor or a co-auditor starts the audit; independence is checked again (a
    team or an assignment may have changed since it was planned)."""
    item = lock_audit(audit_id)
    require_auditor(item, actor)
    _require_independent(
        item.lead_auditor, list(item.co_auditors.all()), item.teams.all(), item.categories.all()
    )
    item.started_at = now = now or timezone.now()
    return _move(item, actor, AuditStep.START, {}, ["started_at"], now)


@transaction.atomic
def audit_report(
    *, actor: Actor, audit_id: int, conclusion: str, now: dt.datetime | None = None
) -> Audit:
    """Issue the report: every checklist question answered, the conclusion written."""
    item = lock_audit(audit_id)
    _gate(item, actor, AuditStep.REPORT)
    item.conclusion = text_clean(conclusion, "conclusion")
    if item.items.filter(answer="").exists():
        raise Conflict(_("Answer every checklist question before issuing the report."))
    item.reported_at = now = now or timezone.now()
    counts = {k: item.findings.filter(kind=k).count() for k in FindingKind.values}
    fields = ["conclusion", "reported_at"]
    personal = {"conclusion": item.conclusion}
    return _move(item, actor, AuditStep.REPORT, {"findings": counts}, fields, now, personal)


@transaction.atomic
def audit_close(*, actor: Actor, audit_id: int, now: dt.datetime | None = None) -> Audit:
    """A manager closes a reported audit once every nonconformity has its corrective action."""
    item = lock_audit(audit_id)
    _gate(item, actor, AuditStep.CLOSE)
    open_ncs = Finding.objects.filter(
        audit=item, kind=FindingKind.NONCONFORMITY, corrective_action__isnull=True
    )
    if open_ncs.exists():
        raise Conflict(_("Open a corrective action for every nonconformity first."))
    item.closed_at = now = now or timezone.now()
    return _move(item, actor, AuditStep.CLOSE, {}, ["closed_at"], now)


@transaction.atomic
def audit_cancel(
    *, actor: Actor, audit_id: int, reason: str, now: dt.datetime | None = None
) -> Audit:
    item = lock_audit(audit_id)
    note = text_clean(reason, "reason")
    item.closed_at = now = now or timezone.now()
    return _move(item, actor, AuditStep.CANCEL, {}, ["closed_at"], now, {"reason": note})
