"""The internal-audit API: programmes, audits, checklist answers, findings and the corrective
action of a nonconformity. Managers, admins and auditors read; managers and admins plan; the
audit's own auditors record (the services check again); managers open corrective actions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Header, Query, Router, Schema, Status

from plaint.accounts.access import can_configure, can_read_internal_audits
from plaint.accounts.api_auth import BearerToken, api_actor, api_principal, api_user, may
from plaint.complaints.schemas import Id, NoNul
from plaint.core.errors import NotFound
from plaint.core.idempotency import idempotent_run
from plaint.core.problem import Problem
from plaint.improvement import checklists, services
from plaint.improvement.models_audit import STATEMENT_LIMIT, Audit, AuditProgramme
from plaint.improvement.selectors_audit import (
    audit_get,
    audit_list,
    audit_programme_get,
    audit_programme_list,
    visible_evidence,
)
from plaint.improvement.services.audit import actor_kinds
from plaint.improvement.states_audit import AuditState, audit_allowed_steps

router = Router(tags=["internal audit"], auth=BearerToken())

_READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
_WRITE_ERRORS: dict[int, Any] = {**_READ_ERRORS, 400: Problem, 409: Problem}
READ = gettext_noop("read internal audits")
PLAN = gettext_noop("plan internal audits")
RECORD = gettext_noop("record internal audits")
ACT = gettext_noop("manage corrective actions and objectives")

Standard = Literal["iso10002", "iso10003", "iso10001"]
Text = Annotated[str, NoNul]  # PostgreSQL stores no NUL: refused as invalid input


class ProgrammeQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="Only this year's programmes")


class AuditQuery(Schema):
    state: AuditState | None = Field(None, description="Only audits in this state")
    programme_id: Id | None = Field(None, description="Only this programme's audits")


class ChecklistQuestionOut(Schema):
    code: str
    text: str


class ClauseOut(Schema):
    number: str
    title: str
    questions: list[ChecklistQuestionOut]


class ChecklistOut(Schema):
    standard: str
    title: str
    clauses: list[ClauseOut]


class ProgrammeIn(Schema):
    year: int = Field(ge=2000, le=2100)
    title: Text = Field(max_length=200)
    objectives: Text = Field("", max_length=5000)
    owner_id: int | None = None


class ProgrammeOut(Schema):
    id: int
    year: int
    title: str
    objectives: str
    owner: str
    audits: list[int] = Field(default_factory=list)


class AuditIn(Schema):
    programme_id: int
    title: Text = Field(max_length=200)
    standards: list[Standard] = Field(min_length=1, max_length=3)
    clauses: list[Text] = Field(
        default_factory=list, max_length=50, description='Clauses in scope, e.g. "iso10002:7"'
    )
    team_ids: list[int] = Field(default_factory=list, max_length=100)
    category_ids: list[int] = Field(default_factory=list, max_length=200)
    scope_note: Text = Field("", max_length=5000)
    planned_start: dt.date
    planned_end: dt.date
    lead_auditor_id: int
    co_auditor_ids: list[int] = Field(default_factory=list, max_length=10)


class ItemOut(Schema):
    id: int
    code: str
    clause: str
    question: str
    answer: str
    notes: str


class FindingOut(Schema):
    id: int
    reference: str
    kind: str
    clause: str
    statement: str
    evidence_note: str
    complaints: list[str]
    corrective_action: str | None


class AuditOut(Schema):
    id: int
    reference: str
    programme_id: int
    title: str
    state: str
    standards: list[str]
    clauses: list[str]
    teams: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    scope_note: str
    planned_start: dt.date
    planned_end: dt.date
    lead_auditor: str
    co_auditors: list[str] = Field(default_factory=list)
    conclusion: str
    reported_at: dt.datetime | None
    closed_at: dt.datetime | None
    next_steps: list[str] = Field(default_factory=list)
    checklist: list[ItemOut] = Field(default_factory=list)
    findings: list[FindingOut] = Field(default_factory=list)


class AnswerIn(Schema):
    answer: Literal["yes", "partly", "no", "na"]
    notes: Text = Field("", max_length=5000)


class FindingIn(Schema):
    kind: Literal["conformity", "observation", "nonconformity"]
    clause: Text = Field(max_length=40, description='A clause in scope, e.g. "iso10002:7"')
    statement: Text = Field(max_length=STATEMENT_LIMIT)
    evidence_note: Text = Field("", max_length=STATEMENT_LIMIT)
    complaints: list[Text] = Field(
        default_factory=list, max_length=50, description="Complaint references seen as evidence"
    )


class AuditStepIn(Schema):
    step: Literal["start", "report", "close", "cancel"]
    note: Text = Field(
        "", max_length=5000, description="The conclusion (report), the reason (cancel)"
    )


class FindingActionIn(Schema):
    owner_id: int
    indicator: dict[str, Any]
    comparison: Literal["ge", "le"]
    target: float
    window_months: int = Field(3, ge=1, le=12)
    title: Text = Field("", max_length=200)
    problem: Text = Field("", max_length=5000)


def _programme(p: AuditProgramme, audits: list[int] | None = None) -> dict[str, Any]:
    return {
        "id": p.pk,
        "year": p.year,
        "title": p.title,
        "objectives": p.objectives,
        "owner": p.owner.get_username(),
        "audits": audits or [],
    }


def _audit(request: HttpRequest, item: Audit, *, full: bool) -> dict[str, Any]:
    names = ("id", "programme_id", "title", "state", "standards", "clauses", "scope_note")
    out: dict[str, Any] = {n: getattr(item, n) for n in names}
    dates = ("planned_start", "planned_end", "conclusion", "reported_at", "closed_at")
    out.update({n: getattr(item, n) for n in dates})
    out.update(reference=item.reference, lead_auditor=item.lead_auditor.get_username())
    if not full:
        return out
    findings = list(item.findings.all())
    evidence = visible_evidence(api_user(request), findings)
    kinds = actor_kinds(item, api_actor(request))
    out.update(
        teams=[t.name for t in item.teams.all()],
        categories=[c.code for c in item.categories.all()],
        co_auditors=[u.get_username() for u in item.co_auditors.all()],
        next_steps=[s.value for s in audit_allowed_steps(item.state, kinds)],
        checklist=[
            {n: getattr(i, n) for n in ("id", "code", "clause", "question", "answer", "notes")}
            for i in item.items.all()
        ],
        findings=[
            {
                "id": f.pk,
                "reference": f.reference,
                "kind": f.kind,
                "clause": f"{f.standard}:{f.clause}",
                "statement": f.statement,
                "evidence_note": f.evidence_note,
                "complaints": [c.reference for c in evidence[f.pk]],
                "corrective_action": f.corrective_action.reference if f.corrective_action else None,
            }
            for f in findings
        ],
    )
    return out


def _detail(request: HttpRequest, audit_id: int) -> dict[str, Any]:
    return _audit(request, audit_get(actor=api_user(request), audit_id=audit_id), full=True)


@router.get(
    "/audit-checklists",
    response={200: list[ChecklistOut], **_READ_ERRORS},
    summary="The shipped audit checklists per standard and clause, in the request's language",
    auth=may(can_read_internal_audits, READ),
)
def audit_checklists(request: HttpRequest):
    tr = checklists.translated
    return [
        {
            "standard": c.standard,
            "title": tr(c.title),
            "clauses": [
                {
                    "number": cl.number,
                    "title": tr(cl.title),
                    "questions": [{"code": q.code, "text": tr(q.text)} for q in cl.questions],
                }
                for cl in c.clauses
            ],
        }
        for c in map(checklists.load, checklists.STANDARDS)
    ]


@router.get(
    "/audit-programmes",
    response={200: list[ProgrammeOut], **_READ_ERRORS},
    summary="Audit programmes, newest year first, with their audits' ids",
    auth=may(can_read_internal_audits, READ),
)
def audit_programmes(request: HttpRequest, query: Query[ProgrammeQuery]):
    rows = audit_programme_list(actor=api_user(request), year=query.year)
    return [_programme(p, [a.pk for a in p.audits.all()]) for p in rows]


@router.post(
    "/audit-programmes",
    response={200: ProgrammeOut, 201: ProgrammeOut, **_WRITE_ERRORS},
    summary="Write a year's audit programme (honours an Idempotency-Key)",
    auth=may(can_configure, PLAN),
)
def audit_programme_create(
    request: HttpRequest,
    payload: ProgrammeIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    outcome = idempotent_run(
        key=idempotency_key,
        principal=api_principal(request),
        operation="audit_programme_create",
        payload=lambda: payload.model_dump(mode="json"),
        action=lambda: (
            services.audit_programme_create(actor=api_actor(request), **payload.model_dump()).pk
        ),
    )
    programme = audit_programme_get(actor=api_user(request), programme_id=outcome.result_id)
    return Status(200 if outcome.replayed else 201, _programme(programme))


@router.get(
    "/audits",
    response={200: list[AuditOut], **_READ_ERRORS},
    summary="Audits, latest planned first (at most 200)",
    auth=may(can_read_internal_audits, READ),
)
def audits(request: HttpRequest, query: Query[AuditQuery]):
    chosen = query.state.value if query.state else ""
    rows = audit_list(actor=api_user(request), state=chosen, programme_id=query.programme_id)
    return [_audit(request, a, full=False) for a in rows]


@router.post(
    "/audits",
    response={200: AuditOut, 201: AuditOut, **_WRITE_ERRORS},
    summary="Plan an audit: scope, dates, independent auditors (honours an Idempotency-Key)",
    auth=may(can_configure, PLAN),
)
def audit_create(
    request: HttpRequest,
    payload: AuditIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    outcome = idempotent_run(
        key=idempotency_key,
        principal=api_principal(request),
        operation="audit_create",
        payload=lambda: payload.model_dump(mode="json"),
        action=lambda: services.audit_plan(actor=api_actor(request), **payload.model_dump()).pk,
    )
    return Status(200 if outcome.replayed else 201, _detail(request, outcome.result_id))


@router.get(
    "/audits/{audit_id}",
    response={200: AuditOut, **_READ_ERRORS},
    summary="One audit with its checklist, findings (evidence you may read) and next steps",
    auth=may(can_read_internal_audits, READ),
)
def audit_detail(request: HttpRequest, audit_id: int):
    return _detail(request, audit_id)


@router.post(
    "/audits/{audit_id}/steps",
    response={200: AuditOut, **_WRITE_ERRORS},
    summary="Move an audit along its lifecycle (a refused step is a 409)",
    auth=may(can_read_internal_audits, gettext_noop("change internal audits")),
)
def audit_step(request: HttpRequest, audit_id: int, payload: AuditStepIn):
    audit_get(actor=api_user(request), audit_id=audit_id)
    actor = api_actor(request)
    if payload.step == "start":
        services.audit_start(actor=actor, audit_id=audit_id)
    elif payload.step == "report":
        services.audit_report(actor=actor, audit_id=audit_id, conclusion=payload.note)
    elif payload.step == "close":
        services.audit_close(actor=actor, audit_id=audit_id)
    else:
        services.audit_cancel(actor=actor, audit_id=audit_id, reason=payload.note)
    return _detail(request, audit_id)


@router.post(
    "/audits/{audit_id}/checklist/{item_id}",
    response={200: AuditOut, **_WRITE_ERRORS},
    summary="Answer one checklist question (the audit's auditors)",
    auth=may(can_read_internal_audits, RECORD),  # the service: only the audit's auditors
)
def checklist_answer(request: HttpRequest, audit_id: int, item_id: int, payload: AnswerIn):
    audit_get(actor=api_user(request), audit_id=audit_id)
    services.checklist_answer(
        actor=api_actor(request), audit_id=audit_id, item_id=item_id, **payload.model_dump()
    )
    return _detail(request, audit_id)


@router.post(
    "/audits/{audit_id}/findings",
    response={200: AuditOut, 201: AuditOut, **_WRITE_ERRORS},
    summary="Record a finding with its evidence (honours an Idempotency-Key)",
    auth=may(can_read_internal_audits, RECORD),  # the service: only the audit's auditors
)
def finding_create(
    request: HttpRequest,
    audit_id: int,
    payload: FindingIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    audit_get(actor=api_user(request), audit_id=audit_id)
    d = payload.model_dump()
    outcome = idempotent_run(
        key=idempotency_key,
        principal=api_principal(request),
        operation=f"finding_create:{audit_id}",
        payload=lambda: payload.model_dump(mode="json"),
        action=lambda: (
            services.finding_record(
                actor=api_actor(request),
                audit_id=audit_id,
                complaint_references=d.pop("complaints"),
                **d,
            ).pk
        ),
    )
    return Status(200 if outcome.replayed else 201, _detail(request, audit_id))


@router.post(
    "/audits/{audit_id}/findings/{finding_id}/corrective-action",
    response={200: AuditOut, 201: AuditOut, **_WRITE_ERRORS},
    summary="Open the corrective action of a nonconformity (honours an Idempotency-Key)",
    auth=may(can_configure, ACT),
)
def finding_corrective_action(
    request: HttpRequest,
    audit_id: int,
    finding_id: int,
    payload: FindingActionIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    item = audit_get(actor=api_user(request), audit_id=audit_id)
    if not any(f.pk == finding_id for f in item.findings.all()):
        raise NotFound(_("No such finding."))
    outcome = idempotent_run(
        key=idempotency_key,
        principal=api_principal(request),
        operation="finding_corrective_action",
        payload=lambda: {"finding": finding_id, **payload.model_dump(mode="json")},
        action=lambda: (
            services.finding_corrective_action_open(
                actor=api_actor(request), finding_id=finding_id, **payload.model_dump()
            ).pk
        ),
    )
    return Status(200 if outcome.replayed else 201, _detail(request, audit_id))
