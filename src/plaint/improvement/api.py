"""The improvement API: objectives and corrective actions. Thin adapters over the selectors and
services: every staff role reads; managers and admins write; an action's owner marks it done (the
services check again)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Header, Router, Schema, Status
from pydantic import StrictBool

from plaint.accounts.access import can_configure, can_read_insights, can_work_complaints
from plaint.accounts.api_auth import BearerToken, api_actor, api_principal, api_user, may
from plaint.core.errors import NotFound
from plaint.core.idempotency import idempotent_run
from plaint.core.problem import Problem
from plaint.improvement import causetree, services
from plaint.improvement.models import CorrectiveAction
from plaint.improvement.selectors_corrective import (
    corrective_action_get,
    corrective_action_list,
    objective_get,
    objective_list,
)
from plaint.improvement.states import State, Step, allowed_steps

router = Router(tags=["improvement"], auth=BearerToken())

_READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
_WRITE_ERRORS: dict[int, Any] = {**_READ_ERRORS, 400: Problem, 409: Problem}
READ = gettext_noop("read corrective actions and objectives")
WRITE = gettext_noop("manage corrective actions and objectives")


class ReadingOut(Schema):
    value: float | None
    low: float | None
    high: float | None
    n: int


class ObjectiveIn(Schema):
    name: str = Field(max_length=200)
    owner_id: int
    indicator: dict[str, Any] = Field(
        description="An indicator spec: {kind, …parameters} (see docs/improvement.md)"
    )
    comparison: Literal["ge", "le"]
    target: float
    period_start: dt.date = Field(description="Any day of the first month")
    period_end: dt.date = Field(description="Any day of the last month")


class ObjectiveChangeIn(Schema):
    name: str | None = Field(None, max_length=200)
    owner_id: int | None = None
    indicator: dict[str, Any] | None = None
    comparison: Literal["ge", "le"] | None = None
    target: float | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    active: StrictBool | None = None


class ObjectiveOut(Schema):
    id: int
    name: str
    owner: str
    indicator: dict[str, Any]
    comparison: str
    target: float
    period_start: dt.date
    period_end: dt.date
    active: bool
    actual: ReadingOut | None = None
    met: bool | None = None


class CorrectiveActionIn(Schema):
    title: str = Field(max_length=200)
    problem: str = Field(max_length=5000)
    source: Literal["complaint", "cluster", "dispute", "survey", "audit", "manual"]
    source_ref: str = Field("", max_length=300)
    complaint_ids: list[int] = Field(default_factory=list, max_length=200)
    owner_id: int
    indicator: dict[str, Any]
    comparison: Literal["ge", "le"]
    target: float
    window_months: int = Field(3, ge=1, le=12)


class PlannedActionOut(Schema):
    id: int
    round: int
    description: str
    owner: str
    due_on: dt.date
    done_at: dt.datetime | None
    evidence: str


class CauseNodeOut(Schema):
    id: int
    text: str
    root: bool
    children: list[CauseNodeOut] = Field(default_factory=list)


class CorrectiveActionOut(Schema):
    id: int
    reference: str
    title: str
    state: str
    source: str
    source_ref: str
    owner: str
    problem: str
    containment: str
    whys: list[str]
    cause_tree: list[CauseNodeOut] = Field(
        default_factory=list, description="The why-tree under the problem; one node the root cause"
    )
    root_cause: str
    indicator: dict[str, Any]
    comparison: str
    target: float
    window_months: int
    baseline_start: dt.date
    baseline_end: dt.date
    baseline: dict[str, Any]
    round: int
    check_start: dt.date | None
    check_end: dt.date | None
    check_due_on: dt.date | None
    check_result: dict[str, Any]
    effective: bool | None
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    next_steps: list[str] = Field(default_factory=list)
    actions: list[PlannedActionOut] = Field(default_factory=list)
    complaints: list[str] = Field(default_factory=list)


class ContainmentIn(Schema):
    containment: str = Field(max_length=5000)


class CauseIn(Schema):
    whys: list[str] = Field(max_length=7)
    root_cause: str = Field(max_length=5000)


class CauseNodeIn(Schema):
    id: int = Field(ge=1)
    parent: int | None = Field(
        None, description="The id of the cause it answers; null: the problem"
    )
    text: str = Field(max_length=causetree.MAX_TEXT)
    root: StrictBool = False


class CauseTreeIn(Schema):
    nodes: list[CauseNodeIn] = Field(max_length=causetree.MAX_NODES)


class ActionIn(Schema):
    description: str = Field(max_length=5000)
    owner_id: int
    due_on: dt.date


class DoneIn(Schema):
    evidence: str = Field("", max_length=5000)


class StepIn(Schema):
    step: Literal[
        "start_actions", "complete_actions", "run_check", "reopen", "close_not_effective", "cancel"
    ]
    note: str = Field("", max_length=5000, description="The reason (reopen, close, cancel)")


def _objective(o, actual=None, met=None) -> dict[str, Any]:
    return {
        "id": o.pk,
        "name": o.name,
        "owner": o.owner.get_username(),
        "indicator": o.indicator,
        "comparison": o.comparison,
        "target": o.target,
        "period_start": o.period_start,
        "period_end": o.period_end,
        "active": o.active,
        "actual": actual.as_dict() if actual else None,
        "met": met,
    }


def _ca(ca: CorrectiveAction, *, full: bool) -> dict[str, Any]:
    fields = {
        name: getattr(ca, name) for name in CorrectiveActionOut.model_fields if hasattr(ca, name)
    }
    fields.update(owner=ca.owner.get_username(), reference=ca.reference)
    fields["cause_tree"] = [asdict(node) for node in causetree.nested(ca.cause_tree)]
    if full:
        fields["next_steps"] = [s.value for s in allowed_steps(ca.state)]
        fields["actions"] = [
            {
                **{
                    k: getattr(a, k)
                    for k in ("id", "round", "description", "due_on", "done_at", "evidence")
                },
                "owner": a.owner.get_username(),
            }
            for a in ca.actions.all()
        ]
        fields["complaints"] = [c.reference for c in ca.complaints.all()]
    else:
        fields.update(next_steps=[], actions=[], complaints=[])
    return fields


@router.get(
    "/objectives",
    response={200: list[ObjectiveOut], **_READ_ERRORS},
    summary="Objectives with their actual value over their period (95 % interval)",
    auth=may(can_read_insights, READ),
)
def objectives(request: HttpRequest):
    rows = objective_list(actor=api_user(request))
    return [_objective(r.objective, r.reading, r.met) for r in rows]


@router.post(
    "/objectives",
    response={200: ObjectiveOut, 201: ObjectiveOut, **_WRITE_ERRORS},
    summary="Write an objective (honours an Idempotency-Key)",
    auth=may(can_configure, WRITE),
)
def objective_create(
    request: HttpRequest,
    payload: ObjectiveIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    outcome = idempotent_run(
        key=idempotency_key,
        principal=api_principal(request),
        operation="objective_create",
        payload=lambda: payload.model_dump(mode="json"),
        action=lambda: (
            services.objective_create(actor=api_actor(request), **payload.model_dump()).pk
        ),
    )
    objective = objective_get(actor=api_user(request), objective_id=outcome.result_id)
    return Status(200 if outcome.replayed else 201, _objective(objective))


@router.patch(
    "/objectives/{objective_id}",
    response={200: ObjectiveOut, **_WRITE_ERRORS},
    summary="Change an objective (the fields given); active: false retires it",
    auth=may(can_configure, WRITE),
)
def objective_change(request: HttpRequest, objective_id: int, payload: ObjectiveChangeIn):
    changes = payload.model_dump(exclude_none=True)
    objective = services.objective_update(
        actor=api_actor(request), objective_id=objective_id, **changes
    )
    return _objective(objective)


@router.get(
    "/corrective-actions",
    response={200: list[CorrectiveActionOut], **_READ_ERRORS},
    summary="Corrective actions, newest first (at most 200)",
    auth=may(can_read_insights, READ),
)
def corrective_actions(request: HttpRequest, state: State | None = None):
    chosen = state.value if state else ""  # one of the lifecycle's states, or all
    return [
        _ca(ca, full=False) for ca in corrective_action_list(actor=api_user(request), state=chosen)
    ]


@router.post(
    "/corrective-actions",
    response={200: CorrectiveActionOut, 201: CorrectiveActionOut, **_WRITE_ERRORS},
    summary="Open a corrective action and read its baseline (honours an Idempotency-Key)",
    auth=may(can_configure, WRITE),
)
def corrective_action_create(
    request: HttpRequest,
    payload: CorrectiveActionIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    outcome = idempotent_run(
        key=idempotency_key,
        principal=api_principal(request),
        operation="corrective_action_create",
        payload=lambda: payload.model_dump(mode="json"),
        action=lambda: (
            services.corrective_action_open(actor=api_actor(request), **payload.model_dump()).pk
        ),
    )
    ca = corrective_action_get(actor=api_user(request), ca_id=outcome.result_id)
    return Status(200 if outcome.replayed else 201, _ca(ca, full=True))


def _detail(request: HttpRequest, ca_id: int) -> dict[str, Any]:
    return _ca(corrective_action_get(actor=api_user(request), ca_id=ca_id), full=True)


@router.get(
    "/corrective-actions/{ca_id}",
    response={200: CorrectiveActionOut, **_READ_ERRORS},
    summary="One corrective action with its actions, complaints and next steps",
    auth=may(can_read_insights, READ),
)
def corrective_action_detail(request: HttpRequest, ca_id: int):
    return _detail(request, ca_id)


@router.post(
    "/corrective-actions/{ca_id}/containment",
    response={200: CorrectiveActionOut, **_WRITE_ERRORS},
    summary="Record the containment",
    auth=may(can_configure, WRITE),
)
def containment(request: HttpRequest, ca_id: int, payload: ContainmentIn):
    services.corrective_action_containment_record(
        actor=api_actor(request), ca_id=ca_id, containment=payload.containment
    )
    return _detail(request, ca_id)


@router.post(
    "/corrective-actions/{ca_id}/cause",
    response={200: CorrectiveActionOut, **_WRITE_ERRORS},
    summary="Record the 5 whys and the root cause",
    auth=may(can_configure, WRITE),
)
def cause(request: HttpRequest, ca_id: int, payload: CauseIn):
    services.corrective_action_cause_record(
        actor=api_actor(request), ca_id=ca_id, whys=payload.whys, root_cause=payload.root_cause
    )
    return _detail(request, ca_id)


@router.put(
    "/corrective-actions/{ca_id}/cause-tree",
    response={200: CorrectiveActionOut, **_WRITE_ERRORS},
    summary="Replace the cause tree (at most 40 causes, 5 levels, one marked as the root cause)",
    auth=may(can_configure, WRITE),
)
def cause_tree(request: HttpRequest, ca_id: int, payload: CauseTreeIn):
    services.corrective_action_cause_tree_set(
        actor=api_actor(request),
        ca_id=ca_id,
        nodes=[node.model_dump() for node in payload.nodes],
    )
    return _detail(request, ca_id)


@router.post(
    "/corrective-actions/{ca_id}/actions",
    response={201: CorrectiveActionOut, **_WRITE_ERRORS},
    summary="Plan an action (owner, due date)",
    auth=may(can_configure, WRITE),
)
def action_add(request: HttpRequest, ca_id: int, payload: ActionIn):
    services.planned_action_add(actor=api_actor(request), ca_id=ca_id, **payload.model_dump())
    return Status(201, _detail(request, ca_id))


@router.post(
    "/corrective-actions/{ca_id}/actions/{action_id}/done",
    response={200: CorrectiveActionOut, **_WRITE_ERRORS},
    summary="Mark an action done (its owner or a manager); the last one schedules the check",
    auth=may(can_work_complaints, gettext_noop("mark corrective actions done")),
)
def action_done(request: HttpRequest, ca_id: int, action_id: int, payload: DoneIn):
    ca = corrective_action_get(actor=api_user(request), ca_id=ca_id)
    if not ca.actions.filter(pk=action_id).exists():
        raise NotFound(_("No such action."))
    services.planned_action_done(
        actor=api_actor(request), action_id=action_id, evidence=payload.evidence
    )
    return _detail(request, ca_id)


STEPS = {
    "start_actions": lambda a, pk, note: services.corrective_action_actions_start(
        actor=a, ca_id=pk
    ),
    "complete_actions": lambda a, pk, note: services.corrective_action_actions_complete(
        actor=a, ca_id=pk
    ),
    "run_check": lambda a, pk, note: services.corrective_action_check_run(actor=a, ca_id=pk),
    "reopen": lambda a, pk, note: services.corrective_action_reopen(actor=a, ca_id=pk, reason=note),
    "close_not_effective": lambda a, pk, note: services.corrective_action_close_not_effective(
        actor=a, ca_id=pk, note=note
    ),
    "cancel": lambda a, pk, note: services.corrective_action_cancel(actor=a, ca_id=pk, reason=note),
}
assert set(STEPS) <= set(Step.values)


@router.post(
    "/corrective-actions/{ca_id}/steps",
    response={200: CorrectiveActionOut, **_WRITE_ERRORS},
    summary="Move a corrective action along its lifecycle (a refused step is a 409)",
    auth=may(can_configure, WRITE),
)
def step(request: HttpRequest, ca_id: int, payload: StepIn):
    STEPS[payload.step](api_actor(request), ca_id, payload.note)
    return _detail(request, ca_id)
