"""The management-review API: list and read reviews (with the frozen pack's figures), open one,
record its changes, build its pack, record the meeting, its actions and their completion, close
it. Managers and admins write; auditors read; handlers have no access (the services check again)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Header, Router, Schema, Status

from plaint.accounts.access import (
    can_configure,
    can_read_management_reviews,
)
from plaint.accounts.api_auth import BearerToken, api_actor, api_principal, api_user, may
from plaint.core.errors import NotFound
from plaint.core.idempotency import idempotent_run
from plaint.core.problem import Problem
from plaint.improvement import services
from plaint.improvement.models import ManagementReview
from plaint.improvement.selectors_review import review_get, review_list
from plaint.improvement.states_review import review_steps

router = Router(tags=["management review"], auth=BearerToken())

_READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
_WRITE_ERRORS: dict[int, Any] = {**_READ_ERRORS, 400: Problem, 409: Problem}
READ = gettext_noop("read management reviews")
WRITE = gettext_noop("hold management reviews")


class ReviewIn(Schema):
    title: str = Field(max_length=200)
    period_start: dt.date = Field(description="Any day of the first month")
    period_end: dt.date = Field(description="Any day of the last month")
    language: Literal["en", "et", "uk", "sv", "fa"] = Field(
        "en", description="The language the pack is built and printed in"
    )


class ChangesIn(Schema):
    regulation: str = Field("", max_length=5000)
    products: str = Field("", max_length=5000)
    organisation: str = Field("", max_length=5000)


class MeetingIn(Schema):
    meeting_on: dt.date
    attendees: str = Field(max_length=2000)
    decisions: str = Field(max_length=20000)


class ReviewActionIn(Schema):
    description: str = Field(max_length=5000)
    owner_id: int
    due_on: dt.date


class ReviewActionDoneIn(Schema):
    evidence: str = Field("", max_length=5000)


class ReviewActionOut(Schema):
    id: int
    description: str
    owner: str
    due_on: dt.date
    done_at: dt.datetime | None
    evidence: str


class ReviewOut(Schema):
    id: int
    reference: str
    title: str
    period_start: dt.date
    period_end: dt.date
    state: str
    changes_regulation: str
    changes_products: str
    changes_organisation: str
    pack_built_at: dt.datetime | None
    language: str
    meeting_on: dt.date | None
    attendees: str
    decisions: str
    closed_at: dt.datetime | None
    next_steps: list[str] = Field(default_factory=list)
    actions: list[ReviewActionOut] = Field(default_factory=list)
    pack: dict[str, Any] = Field(
        default_factory=dict,
        description="The frozen pack's figures: its period, language and sections with tables",
    )


def _review(review: ManagementReview, *, full: bool) -> dict[str, Any]:
    listed = ("next_steps", "actions", "pack", "reference")
    fields = {name: getattr(review, name) for name in ReviewOut.model_fields if name not in listed}
    fields.update(reference=review.reference, next_steps=[], actions=[], pack={})
    if full:
        fields["next_steps"] = [s.value for s in review_steps(review.state)]
        fields["actions"] = [
            {
                **{
                    k: getattr(a, k) for k in ("id", "description", "due_on", "done_at", "evidence")
                },
                "owner": a.owner.get_username(),
            }
            for a in review.actions.all()
        ]
        fields["pack"] = review.pack
    return fields


def _detail(request: HttpRequest, review_id: int) -> dict[str, Any]:
    return _review(review_get(actor=api_user(request), review_id=review_id), full=True)


@router.get(
    "/management-reviews",
    response={200: list[ReviewOut], **_READ_ERRORS},
    summary="Management reviews, newest period first (at most 200; without their packs)",
    auth=may(can_read_management_reviews, READ),
)
def reviews(request: HttpRequest):
    return [_review(r, full=False) for r in review_list(actor=api_user(request))]


@router.post(
    "/management-reviews",
    response={200: ReviewOut, 201: ReviewOut, **_WRITE_ERRORS},
    summary="Open a management review for a period (honours an Idempotency-Key)",
    auth=may(can_configure, WRITE),
)
def review_create(
    request: HttpRequest,
    payload: ReviewIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    outcome = idempotent_run(
        key=idempotency_key,
        principal=api_principal(request),
        operation="management_review_create",
        payload=lambda: payload.model_dump(mode="json"),
        action=lambda: services.review_create(actor=api_actor(request), **payload.model_dump()).pk,
    )
    return Status(200 if outcome.replayed else 201, _detail(request, outcome.result_id))


@router.get(
    "/management-reviews/{review_id}",
    response={200: ReviewOut, **_READ_ERRORS},
    summary="One management review with its actions, next steps and the pack's figures",
    auth=may(can_read_management_reviews, READ),
)
def review_detail(request: HttpRequest, review_id: int):
    return _detail(request, review_id)


@router.post(
    "/management-reviews/{review_id}/changes",
    response={200: ReviewOut, **_WRITE_ERRORS},
    summary="Record the changes in regulation, products and the organisation",
    auth=may(can_configure, WRITE),
)
def review_changes(request: HttpRequest, review_id: int, payload: ChangesIn):
    services.review_changes_record(
        actor=api_actor(request), review_id=review_id, **payload.model_dump()
    )
    return _detail(request, review_id)


@router.post(
    "/management-reviews/{review_id}/pack",
    response={200: ReviewOut, **_WRITE_ERRORS},
    summary="Build the pack for the review's period and freeze it (in the review's language)",
    auth=may(can_configure, WRITE),
)
def review_pack(request: HttpRequest, review_id: int):
    services.review_pack_build(actor=api_actor(request), review_id=review_id)
    return _detail(request, review_id)


@router.post(
    "/management-reviews/{review_id}/meeting",
    response={200: ReviewOut, **_WRITE_ERRORS},
    summary="Record the meeting: date, attendees, decisions",
    auth=may(can_configure, WRITE),
)
def review_meeting(request: HttpRequest, review_id: int, payload: MeetingIn):
    services.review_hold(actor=api_actor(request), review_id=review_id, **payload.model_dump())
    return _detail(request, review_id)


@router.post(
    "/management-reviews/{review_id}/actions",
    response={200: ReviewOut, 201: ReviewOut, **_WRITE_ERRORS},
    summary="Record an action the meeting decided (honours an Idempotency-Key)",
    auth=may(can_configure, WRITE),
)
def review_action_add(
    request: HttpRequest,
    review_id: int,
    payload: ReviewActionIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    outcome = idempotent_run(
        key=idempotency_key,
        principal=api_principal(request),
        operation=f"management_review_action_add:{review_id}",
        payload=lambda: payload.model_dump(mode="json"),
        action=lambda: (
            services.review_action_add(
                actor=api_actor(request), review_id=review_id, **payload.model_dump()
            ).pk
        ),
    )
    return Status(200 if outcome.replayed else 201, _detail(request, review_id))


@router.post(
    "/management-reviews/{review_id}/actions/{action_id}/done",
    response={200: ReviewOut, **_WRITE_ERRORS},
    summary="Mark an action done with its evidence",
    auth=may(can_configure, WRITE),
)
def review_action_done(
    request: HttpRequest, review_id: int, action_id: int, payload: ReviewActionDoneIn
):
    review = review_get(actor=api_user(request), review_id=review_id)
    if not review.actions.filter(pk=action_id).exists():
        raise NotFound(_("No such action."))
    services.review_action_done(
        actor=api_actor(request), action_id=action_id, evidence=payload.evidence
    )
    return _detail(request, review_id)


@router.post(
    "/management-reviews/{review_id}/close",
    response={200: ReviewOut, **_WRITE_ERRORS},
    summary="Close a held review (every action done; a refused step is a 409)",
    auth=may(can_configure, WRITE),
)
def review_close(request: HttpRequest, review_id: int):
    services.review_close(actor=api_actor(request), review_id=review_id)
    return _detail(request, review_id)
