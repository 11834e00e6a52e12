"""The promises API: thin adapters over selectors and services. Staff read; managers and admins
write (the services check again)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from plaint.accounts.access import can_configure, can_read_complaints, can_work_complaints
from plaint.accounts.api_auth import BearerToken, api_actor, api_require
from plaint.complaints.selectors import complaint_get
from plaint.core.errors import NotFound
from plaint.core.problem import Problem
from plaint.promises import selectors, services
from plaint.promises.schemas import (
    CheckOut,
    ClaimIn,
    ClaimOut,
    CodeDetailOut,
    CodeIn,
    CodeOut,
    CodeStepIn,
    PromiseIn,
    PromiseOut,
    ScoreOut,
)

router = Router(tags=["promises"], auth=BearerToken())

_READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
_WRITE_ERRORS: dict[int, Any] = {**_READ_ERRORS, 400: Problem, 409: Problem}


class ScorecardQuery(Schema):
    months: int = 12
    code: str | None = None


def _code_detail(code) -> dict[str, Any]:
    out = CodeOut.from_orm(code).model_dump()
    out["promises"] = list(code.promises.all())
    return out


@router.get(
    "/promise-codes",
    response={200: list[CodeOut], **_READ_ERRORS},
    summary="Codes of conduct (every version, at most 200)",
)
def codes_list(request: HttpRequest):
    user = api_require(request, can_read_complaints, "read codes of conduct")
    return selectors.code_list(actor=user)


@router.post(
    "/promise-codes",
    response={201: CodeOut, **_WRITE_ERRORS},
    summary="Write a new code of conduct (a draft, version 1)",
)
def code_create(request: HttpRequest, payload: CodeIn):
    api_require(request, can_configure, "write codes of conduct")
    fields = payload.model_dump(exclude={"slug"})
    code = services.code_create(actor=api_actor(request), slug=payload.slug, **fields)
    return Status(201, code)


@router.get(
    "/promise-codes/{code_id}",
    response={200: CodeDetailOut, **_READ_ERRORS},
    summary="One code version with its promises",
)
def code_detail(request: HttpRequest, code_id: int):
    user = api_require(request, can_read_complaints, "read codes of conduct")
    return _code_detail(selectors.code_get(actor=user, code_id=code_id))


@router.post(
    "/promise-codes/{code_id}/steps",
    response={200: CodeOut, **_WRITE_ERRORS},
    summary="Move a code along its lifecycle (start_pilot, publish, start_review, end_review, "
    "retire)",
)
def code_step(request: HttpRequest, code_id: int, payload: CodeStepIn):
    api_require(request, can_configure, "change codes of conduct")
    return services.code_transition(
        actor=api_actor(request), code_id=code_id, step=payload.step.value
    )


@router.post(
    "/promise-codes/{code_id}/new-version",
    response={201: CodeOut, **_WRITE_ERRORS},
    summary="Copy a code into a new draft version",
)
def code_new_version(request: HttpRequest, code_id: int):
    api_require(request, can_configure, "write codes of conduct")
    return Status(201, services.code_new_version(actor=api_actor(request), code_id=code_id))


@router.post(
    "/promise-codes/{code_id}/promises",
    response={201: PromiseOut, **_WRITE_ERRORS},
    summary="Add a promise to a draft or pilot code",
)
def promise_create(request: HttpRequest, code_id: int, payload: PromiseIn):
    api_require(request, can_configure, "write promises")
    fields = payload.model_dump()
    for name in ("clock", "limit_unit"):
        fields[name] = str(getattr(payload, name).value)
    return Status(201, services.promise_create(actor=api_actor(request), code_id=code_id, **fields))


def _complaint(request: HttpRequest, reference: str):
    if len(reference) > 40 or not reference.isprintable():
        raise NotFound("No such complaint.")
    user = api_require(request, can_read_complaints, "read complaints")
    return user, complaint_get(actor=user, reference=reference)


@router.get(
    "/complaints/{reference}/promise-checks",
    response={200: list[CheckOut], **_READ_ERRORS},
    summary="The promise checks of one complaint with their clocks",
)
def complaint_checks(request: HttpRequest, reference: str):
    user, complaint = _complaint(request, reference)
    out = []
    for v in selectors.complaint_checks(complaint=complaint, actor=user):
        c = v.check
        out.append(
            {
                "id": c.pk,
                "promise_id": c.promise_id,
                "code_slug": v.promise.code.slug,
                "promise_key": v.promise.key,
                "status": c.status,
                "started_at": c.started_at,
                "due_at": c.due_at,
                "at_risk_at": c.at_risk_at,
                "met_at": c.met_at,
                "breached_at": c.breached_at,
                "elapsed_seconds": v.elapsed.total_seconds() if v.elapsed is not None else None,
                "paused_seconds": v.paused.total_seconds() if v.paused is not None else None,
                "remaining_seconds": (
                    v.remaining.total_seconds() if v.remaining is not None else None
                ),
            }
        )
    return out


@router.post(
    "/complaints/{reference}/broken-promise-claims",
    response={201: ClaimOut, **_WRITE_ERRORS},
    summary="Record that the complaint names a promise as broken",
)
def complaint_claim(request: HttpRequest, reference: str, payload: ClaimIn):
    api_require(request, can_work_complaints, "record broken promises")
    _user, complaint = _complaint(request, reference)
    claim = services.broken_promise_claim_create(
        actor=api_actor(request),
        complaint_id=complaint.pk,
        promise_id=payload.promise_id,
        note=payload.note,
    )
    return Status(201, claim)


@router.get(
    "/promise-scorecard",
    response={200: list[ScoreOut], **_READ_ERRORS},
    summary="Promise scorecard per code, promise and month",
)
def scorecard(request: HttpRequest, query: Query[ScorecardQuery]):
    user = api_require(request, can_read_complaints, "read the promise scorecard")
    rows = selectors.scorecard(
        actor=user, months=max(1, min(query.months, 60)), code_slug=query.code or None
    )
    return [
        {
            "code": r.code_slug,
            "promise": r.promise_key,
            "month": r.month,
            "cases": r.cases,
            "met": r.met,
            "breached": r.breached,
            "pending": r.pending,
            "claims": r.claims,
            "broken": r.broken,
            "fulfilment_rate": r.rate,
            "wilson_low": r.low,
            "wilson_high": r.high,
            "target": r.target,
        }
        for r in rows
    ]
