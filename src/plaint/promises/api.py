"""The promises API: thin adapters over selectors and services. Staff read; managers and admins
write (the services check again)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Query, Router, Schema, Status

from plaint.accounts.access import can_configure, can_read_complaints, can_work_complaints
from plaint.accounts.api_auth import BearerToken, api_actor, api_user, may
from plaint.complaints.selectors import complaint_get
from plaint.core.errors import NotFound
from plaint.core.problem import Problem
from plaint.core.replica import report_reads
from plaint.promises import selectors, services
from plaint.promises.profiles import PROFILES
from plaint.promises.schemas import (
    CheckOut,
    ClaimIn,
    ClaimOut,
    CodeDetailOut,
    CodeIn,
    CodeOut,
    CodeStepIn,
    PauseIn,
    PauseOut,
    ProfileOut,
    PromiseIn,
    PromiseOut,
    ScoreOut,
    SelectionIn,
    SelectionOut,
    Slug,
)

router = Router(tags=["promises"], auth=BearerToken())

_READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
_WRITE_ERRORS: dict[int, Any] = {**_READ_ERRORS, 400: Problem, 409: Problem}


class ScorecardQuery(Schema):
    months: int = 12
    code: Slug | None = None


def _code_detail(code) -> dict[str, Any]:
    out = CodeOut.from_orm(code).model_dump()
    out["promises"] = list(code.promises.all())
    return out


@router.get(
    "/promise-codes",
    response={200: list[CodeOut], **_READ_ERRORS},
    summary="Codes of conduct (every version, at most 200)",
    auth=may(can_read_complaints, gettext_noop("read codes of conduct")),
)
def codes_list(request: HttpRequest):
    user = api_user(request)
    return selectors.code_list(actor=user)


@router.post(
    "/promise-codes",
    response={201: CodeOut, **_WRITE_ERRORS},
    summary="Write a new code of conduct (a draft, version 1)",
    auth=may(can_configure, gettext_noop("write codes of conduct")),
)
def code_create(request: HttpRequest, payload: CodeIn):
    fields = payload.model_dump(exclude={"slug"})
    code = services.code_create(actor=api_actor(request), slug=payload.slug, **fields)
    return Status(201, code)


@router.get(
    "/promise-codes/{code_id}",
    response={200: CodeDetailOut, **_READ_ERRORS},
    summary="One code version with its promises",
    auth=may(can_read_complaints, gettext_noop("read codes of conduct")),
)
def code_detail(request: HttpRequest, code_id: int):
    user = api_user(request)
    return _code_detail(selectors.code_get(actor=user, code_id=code_id))


@router.post(
    "/promise-codes/{code_id}/steps",
    response={200: CodeOut, **_WRITE_ERRORS},
    summary="Move a code along its lifecycle (start_pilot, publish, start_review, end_review, "
    "retire)",
    auth=may(can_configure, gettext_noop("change codes of conduct")),
)
def code_step(request: HttpRequest, code_id: int, payload: CodeStepIn):
    return services.code_transition(
        actor=api_actor(request), code_id=code_id, step=payload.step.value
    )


@router.post(
    "/promise-codes/{code_id}/new-version",
    response={201: CodeOut, **_WRITE_ERRORS},
    summary="Copy a code into a new draft version",
    auth=may(can_configure, gettext_noop("write codes of conduct")),
)
def code_new_version(request: HttpRequest, code_id: int):
    return Status(201, services.code_new_version(actor=api_actor(request), code_id=code_id))


@router.post(
    "/promise-codes/{code_id}/promises",
    response={201: PromiseOut, **_WRITE_ERRORS},
    summary="Add a promise to a draft or pilot code",
    auth=may(can_configure, gettext_noop("write promises")),
)
def promise_create(request: HttpRequest, code_id: int, payload: PromiseIn):
    fields = payload.model_dump()
    for name in ("clock", "limit_unit"):
        fields[name] = str(getattr(payload, name).value)
    return Status(201, services.promise_create(actor=api_actor(request), code_id=code_id, **fields))


def _complaint(request: HttpRequest, reference: str):
    if len(reference) > 40 or not reference.isprintable():
        raise NotFound(_("No such complaint."))
    user = api_user(request)
    return user, complaint_get(actor=user, reference=reference)


@router.get(
    "/complaints/{reference}/promise-checks",
    response={200: list[CheckOut], **_READ_ERRORS},
    summary="The promise checks of one complaint with their clocks",
    auth=may(can_read_complaints, gettext_noop("read complaints")),
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
    auth=may(can_work_complaints, gettext_noop("record broken promises")),
)
def complaint_claim(request: HttpRequest, reference: str, payload: ClaimIn):
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
    auth=may(can_read_complaints, gettext_noop("read the promise scorecard")),
)
def scorecard(request: HttpRequest, query: Query[ScorecardQuery]):
    user = api_user(request)
    with report_reads():  # from the replica when there is one (core.replica)
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


# --- regulatory pauses ----------------------------------------------------------------------------


def _pause_out(pause) -> dict[str, Any]:
    return {
        "id": pause.pk,
        "category": pause.category.code if pause.category_id else None,
        "starts_at": pause.starts_at,
        "ends_at": pause.ends_at,
        "reason": pause.reason,
        "created_at": pause.created_at,
        "created_by": pause.created_by.username if pause.created_by_id else None,
    }


@router.get(
    "/regulatory-pauses",
    response={200: list[PauseOut], **_READ_ERRORS},
    summary="Regulatory clock pauses, latest start first (at most 200)",
    auth=may(can_read_complaints, gettext_noop("read regulatory pauses")),
)
def pauses_list(request: HttpRequest):
    user = api_user(request)
    return [_pause_out(p) for p in selectors.regulatory_pause_list(actor=user)]


@router.post(
    "/regulatory-pauses",
    response={201: PauseOut, **_WRITE_ERRORS},
    summary="Record a regulatory pause; the open complaints it touches are recomputed by a "
    "background job",
    auth=may(can_configure, gettext_noop("record regulatory pauses")),
)
def pause_create(request: HttpRequest, payload: PauseIn):
    pause = services.regulatory_pause_create(
        actor=api_actor(request),
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        reason=payload.reason,
        category_code=payload.category,
    )
    return Status(201, _pause_out(pause))


@router.delete(
    "/regulatory-pauses/{pause_id}",
    response={204: None, **_WRITE_ERRORS},
    summary="Remove a regulatory pause; the complaints it touched are recomputed in the background",
    auth=may(can_configure, gettext_noop("record regulatory pauses")),
)
def pause_delete(request: HttpRequest, pause_id: int):
    services.regulatory_pause_delete(actor=api_actor(request), pause_id=pause_id)
    return Status(204, None)


# --- regulatory profiles --------------------------------------------------------------------------


@router.get(
    "/regulatory-profiles",
    response={200: list[ProfileOut], **_READ_ERRORS},
    summary="The regulatory response-time profiles shipped with Plaint, with their sources",
    auth=may(can_read_complaints, gettext_noop("read regulatory profiles")),
)
def profiles_list(request: HttpRequest):
    return [
        {
            "key": p.key,
            "title": p.title,
            "body": p.body,
            "country": p.country,
            "source_document": p.source_document,
            "source_url": p.source_url,
            "effective_from": p.effective_from,
            "effective_to": p.effective_to,
            "limits_from_organisation": p.from_organisation,
            "promises": [
                {
                    "key": q.key,
                    "texts": q.texts,
                    "clock": q.clock,
                    "limit_amount": q.limit_amount,
                    "limit_unit": q.limit_unit,
                    "measured_only": q.measured_only,
                    "pauses_while_waiting": q.pauses_while_waiting,
                    "conditions": q.conditions,
                }
                for q in p.promises
            ],
        }
        for p in PROFILES.values()
    ]


def _selection_out(s) -> dict[str, Any]:
    return {
        "id": s.pk,
        "profile": s.profile_key,
        "product_line": s.product_line,
        "category": s.category.code if s.category_id else None,
        "code_id": s.code_id,
        "code_slug": s.code.slug,
        "active": s.active,
        "selected_at": s.selected_at,
        "selected_by": s.selected_by.username if s.selected_by_id else None,
    }


@router.get(
    "/regulatory-profile-selections",
    response={200: list[SelectionOut], **_READ_ERRORS},
    summary="Profiles selected for the organisation, a product line or a category (latest first, "
    "at most 200; inactive ones were replaced or deselected)",
    auth=may(can_read_complaints, gettext_noop("read profile selections")),
)
def selections_list(request: HttpRequest):
    user = api_user(request)
    return [_selection_out(s) for s in selectors.profile_selection_list(actor=user)]


@router.post(
    "/regulatory-profile-selections",
    response={201: SelectionOut, **_WRITE_ERRORS},
    summary="Select a profile for the organisation (no product line, no category), a product "
    "line or a category: it becomes a published adopted code; the previous selection for the same "
    "scope is retired",
    auth=may(can_configure, gettext_noop("select regulatory profiles")),
)
def selection_create(request: HttpRequest, payload: SelectionIn):
    selection = services.profile_select(
        actor=api_actor(request),
        profile_key=payload.profile,
        product_line=payload.product_line,
        category_code=payload.category,
    )
    return Status(201, _selection_out(selection))


@router.delete(
    "/regulatory-profile-selections/{selection_id}",
    response={200: SelectionOut, **_WRITE_ERRORS},
    summary="Deselect a profile: its code is retired (returns the now inactive selection)",
    auth=may(can_configure, gettext_noop("select regulatory profiles")),
)
def selection_delete(request: HttpRequest, selection_id: int):
    selection = services.profile_deselect(actor=api_actor(request), selection_id=selection_id)
    return _selection_out(selection)
