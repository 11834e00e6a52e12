"""``/api/v1/privacy``: find a person, export their data (ZIP), erase it (a dry run, then
``confirm``), legal holds. Admins, and managers given the permission."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool, StringConstraints

from plaint.accounts.api_auth import BearerToken, api_actor, api_user, may
from plaint.complaints.schemas import NoNul
from plaint.core.errors import Conflict
from plaint.core.problem import Problem
from plaint.privacy.access import can_handle_subject_requests
from plaint.privacy.exports import subject_export_stream
from plaint.privacy.models import HOLD_REASON_MAX
from plaint.privacy.selectors import QUERY_MAX, subject_find
from plaint.privacy.services import (
    erasure_plan,
    legal_hold_place,
    legal_hold_release,
    subject_erase,
    subject_export_record,
)

router = Router(tags=["privacy"], auth=BearerToken())
allowed = may(can_handle_subject_requests, gettext_noop("handle requests about personal data"))

Query_ = Annotated[str, StringConstraints(min_length=1, max_length=QUERY_MAX), NoNul]


class SubjectQuery(Schema):
    query: Query_ = Field(description="An e-mail address, a phone number, a name or a reference")


class SubjectOut(Schema):
    found: bool
    complainants: int
    cases: list[str]
    survey_invitations: int
    survey_responses: int


class ErasureIn(SubjectQuery):
    confirm: StrictBool = Field(False, description="false: a dry run; true: erase")


class ErasureOut(Schema):
    erased: bool
    erasure_id: int | None = None
    counts: dict[str, int]
    cases: list[str]
    blocked_by: str | None = Field(None, description="Why the erasure is refused, if it is")


class HoldIn(Schema):
    reference: Annotated[str, StringConstraints(min_length=1, max_length=20), NoNul]
    person: StrictBool = Field(False, description="Hold all the cases of this case's complainant")
    reason: Annotated[str, StringConstraints(max_length=HOLD_REASON_MAX), NoNul]


class HoldOut(Schema):
    id: int
    case: str | None
    person: bool
    reason: str
    created_at: dt.datetime
    released_at: dt.datetime | None


def _hold_out(hold) -> dict:
    return {
        "id": hold.pk,
        "case": hold.complaint.reference if hold.complaint else None,
        "person": hold.complainant_id is not None,
        "reason": hold.reason,
        "created_at": hold.created_at,
        "released_at": hold.released_at,
    }


@router.get(
    "/privacy/subjects",
    response={200: SubjectOut, 401: Problem, 403: Problem, 422: Problem},
    summary="What is held about a person",
    auth=allowed,
)
def subjects(request: HttpRequest, query: Query[SubjectQuery]):
    subject = subject_find(actor=api_user(request), query=query.query)
    return {
        "found": subject.found,
        "complainants": len(subject.complainant_ids),
        "cases": [r for r in subject.references if r],
        "survey_invitations": len(subject.invitation_ids),
        "survey_responses": len(subject.response_ids),
    }


@router.get(
    "/privacy/export",
    response={200: None, 401: Problem, 403: Problem, 404: Problem, 422: Problem},
    summary="A person's data as a ZIP file (subject.json and their files), streamed",
    auth=allowed,
)
def export(request: HttpRequest, query: Query[SubjectQuery]):
    subject = subject_find(actor=api_user(request), query=query.query)
    subject_export_record(actor=api_actor(request), subject=subject)
    response = StreamingHttpResponse(subject_export_stream(subject), content_type="application/zip")
    name = f"personal-data-{timezone.now():%Y%m%d-%H%M}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.post(
    "/privacy/erasures",
    response={
        200: ErasureOut,
        201: ErasureOut,
        401: Problem,
        403: Problem,
        404: Problem,
        409: Problem,
        422: Problem,
    },
    summary="Erase a person's data: a dry run (confirm false), then the erasure",
    auth=allowed,
)
def erasures(request: HttpRequest, payload: ErasureIn):
    actor = api_actor(request)
    subject = subject_find(actor=api_user(request), query=payload.query)
    plan = erasure_plan(actor=actor, subject=subject)
    out = {"erased": False, "counts": plan.counts, "cases": plan.references}
    if plan.blocked:
        if payload.confirm:
            raise Conflict(plan.refusal())
        return Status(200, {**out, "blocked_by": plan.refusal()})
    if not payload.confirm:
        return Status(200, out)
    erasure = subject_erase(actor=actor, subject=subject)
    return Status(201, {**out, "erased": True, "erasure_id": erasure.pk, "counts": erasure.counts})


@router.post(
    "/privacy/holds",
    response={201: HoldOut, 401: Problem, 403: Problem, 404: Problem, 422: Problem},
    summary="Place a legal hold on a case or on its person",
    auth=allowed,
)
def hold_place(request: HttpRequest, payload: HoldIn):
    hold = legal_hold_place(
        actor=api_actor(request),
        reason=payload.reason,
        reference="" if payload.person else payload.reference,
        person_of=payload.reference if payload.person else "",
    )
    return Status(201, _hold_out(hold))


@router.post(
    "/privacy/holds/{hold_id}/release",
    response={200: HoldOut, 401: Problem, 403: Problem, 404: Problem, 409: Problem},
    summary="Release a legal hold",
    auth=allowed,
)
def hold_release(request: HttpRequest, hold_id: int):
    return Status(200, _hold_out(legal_hold_release(actor=api_actor(request), hold_id=hold_id)))
