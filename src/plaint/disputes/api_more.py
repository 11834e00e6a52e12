"""The API for the rest of the disputes app: the dispute-resolution policy (published versions
for staff; managers start, change and publish a draft), referrals to legal or regulatory
authorities (staff record them, another manager reviews them) and the assignment of a neutral
to a dispute by staff. The neutral acts on their portal, not here. Thin adapters over the
selectors and services, with the patterns of ``api_cases``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_noop
from ninja import Query, Router, Status

from plaint.accounts.access import can_configure, can_read_complaints, can_work_complaints
from plaint.accounts.api_auth import BearerToken, api_actor, api_principal, api_user, may
from plaint.complaints.selectors import complaint_get
from plaint.core.idempotency import idempotent_run
from plaint.core.problem import Problem
from plaint.disputes import services
from plaint.disputes.api_cases import KEY, READ, WORK, detail_body
from plaint.disputes.models import DisputePolicy, LegalReferral
from plaint.disputes.schemas_cases import DisputeDetailOut
from plaint.disputes.schemas_more import (
    DisputeNeutralIn,
    DisputePolicyDraftIn,
    DisputePolicyOut,
    LegalReferralIn,
    LegalReferralListQuery,
    LegalReferralOut,
    LegalReferralPageOut,
    LegalReferralReviewIn,
)
from plaint.disputes.selectors_legal import legal_referral_get, legal_referral_list
from plaint.disputes.selectors_policy import (
    dispute_policy_draft,
    dispute_policy_get,
    dispute_policy_public_get,
    dispute_policy_public_list,
)

router = Router(tags=["disputes"], auth=BearerToken())

_READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
_WRITE_ERRORS: dict[int, Any] = {**_READ_ERRORS, 400: Problem, 409: Problem}
WRITE_POLICY = gettext_noop("write the dispute-resolution policy")
REVIEW = gettext_noop("review legal referrals")


def _policy(p: DisputePolicy) -> dict[str, Any]:
    data = {name: getattr(p, name) for name in DisputePolicyOut.model_fields if hasattr(p, name)}
    return {**data, "languages": p.languages}


def _referral(r: LegalReferral) -> dict[str, Any]:
    return {
        "id": r.pk, "complaint": r.complaint.reference, "authority": r.authority,
        "reason": r.reason, "state": r.state, "recorded_by": r.recorded_by.get_username(),
        "recorded_at": r.recorded_at, "reviewed_at": r.reviewed_at, "review_note": r.review_note,
        "reviewed_by": r.reviewed_by.get_username() if r.reviewed_by else None,
    }  # fmt: skip


# --- the dispute-resolution policy --------------------------------------------------------------


@router.get(
    "/dispute-policy/versions",
    response={200: list[DisputePolicyOut], **_READ_ERRORS},
    summary="The published versions of the dispute-resolution policy, newest first",
    description="The version in force (`published`) and the ones it superseded, with their "
    "texts per language. Drafts are not listed (see `/dispute-policy/draft`).",
    auth=may(can_read_complaints, READ),
)
def dispute_policy_list(request: HttpRequest):
    return [_policy(p) for p in dispute_policy_public_list()]


@router.get(
    "/dispute-policy/versions/{version}",
    response={200: DisputePolicyOut, **_READ_ERRORS},
    summary="One published version of the dispute-resolution policy, with its texts",
    auth=may(can_read_complaints, READ),
)
def dispute_policy_version(request: HttpRequest, version: int):
    return _policy(dispute_policy_public_get(version=version))


@router.get(
    "/dispute-policy/draft",
    response={200: DisputePolicyOut, **_READ_ERRORS},
    summary="The draft of the dispute-resolution policy being written (404 when none is)",
    auth=may(can_read_complaints, READ),
)
def dispute_policy_draft_get(request: HttpRequest):
    return _policy(dispute_policy_draft(actor=api_user(request)))


@router.post(
    "/dispute-policy/drafts",
    response={200: DisputePolicyOut, 201: DisputePolicyOut, **_WRITE_ERRORS},
    summary="Start a draft: the next version, a copy of the latest (honours an Idempotency-Key)",
    description="One draft at a time: with a draft already started the answer is 409.",
    auth=may(can_configure, WRITE_POLICY),
)
def dispute_policy_start(request: HttpRequest, idempotency_key: str | None = KEY):
    outcome = idempotent_run(
        key=idempotency_key, principal=api_principal(request), operation="dispute_policy_start",
        payload=lambda: {},
        action=lambda: services.dispute_policy_draft_start(actor=api_actor(request)).version,
    )  # fmt: skip
    made = dispute_policy_get(actor=api_user(request), version=outcome.result_id)
    return Status(200 if outcome.replayed else 201, _policy(made))


@router.patch(
    "/dispute-policy/drafts/{version}",
    response={200: DisputePolicyOut, **_WRITE_ERRORS},
    summary="Change the draft: only the fields given",
    auth=may(can_configure, WRITE_POLICY),
)
def dispute_policy_update(request: HttpRequest, version: int, payload: DisputePolicyDraftIn):
    changes = payload.model_dump(exclude_unset=True)
    services.dispute_policy_draft_update(actor=api_actor(request), version=version, **changes)
    return _policy(dispute_policy_get(actor=api_user(request), version=version))


@router.post(
    "/dispute-policy/drafts/{version}/publish",
    response={200: DisputePolicyOut, **_WRITE_ERRORS},
    summary="Publish the draft: in force from today, frozen; the version in force is superseded",
    description="Refused (422) without a title and a scope in the organisation's language.",
    auth=may(can_configure, WRITE_POLICY),
)
def dispute_policy_publish(request: HttpRequest, version: int):
    return _policy(services.dispute_policy_publish(actor=api_actor(request), version=version))


# --- referrals to legal or regulatory authorities -----------------------------------------------


@router.get(
    "/legal-referrals",
    response={200: LegalReferralPageOut, **_READ_ERRORS},
    summary="Referrals to legal or regulatory authorities, newest first",
    description="Filter by `state` and `complaint` (its reference); at most `limit` (200). "
    "Only referrals of complaints the caller may read.",
    auth=may(can_read_complaints, READ),
)
def legal_referrals(request: HttpRequest, query: Query[LegalReferralListQuery]):
    found = legal_referral_list(
        actor=api_user(request), state=query.state or "",
        complaint_reference=(query.complaint or "").strip(), limit=query.limit,
    )  # fmt: skip
    return {"items": [_referral(r) for r in found]}


@router.get(
    "/legal-referrals/{referral_id}",
    response={200: LegalReferralOut, **_READ_ERRORS},
    summary="One referral to a legal or regulatory authority",
    auth=may(can_read_complaints, READ),
)
def legal_referral_detail(request: HttpRequest, referral_id: int):
    return _referral(legal_referral_get(actor=api_user(request), referral_id=referral_id))


@router.post(
    "/legal-referrals",
    response={200: LegalReferralOut, 201: LegalReferralOut, **_WRITE_ERRORS},
    summary="Record that a complaint needs referral to a legal or regulatory authority "
    "(honours an Idempotency-Key)",
    description="A manager other than the one who recorded it reviews it next. The same "
    "authority again while the first waits for review is refused (409).",
    auth=may(can_work_complaints, WORK),
)
def legal_referral_record(
    request: HttpRequest, payload: LegalReferralIn, idempotency_key: str | None = KEY
):
    def act() -> int:
        complaint = complaint_get(actor=api_user(request), reference=payload.complaint.strip())
        return services.legal_referral_record(
            actor=api_actor(request), complaint_id=complaint.pk, authority=payload.authority,
            reason=payload.reason,
        ).pk  # fmt: skip

    outcome = idempotent_run(
        key=idempotency_key, principal=api_principal(request), operation="legal_referral",
        payload=lambda: payload.model_dump(mode="json"), action=act,
    )  # fmt: skip
    made = legal_referral_get(actor=api_user(request), referral_id=outcome.result_id)
    return Status(200 if outcome.replayed else 201, _referral(made))


@router.post(
    "/legal-referrals/{referral_id}/review",
    response={200: LegalReferralOut, **_WRITE_ERRORS},
    summary="A manager (not the one who recorded it) approves the referral or returns it "
    "with a note",
    auth=may(can_configure, REVIEW),
)
def legal_referral_review(request: HttpRequest, referral_id: int, payload: LegalReferralReviewIn):
    services.legal_referral_review(
        actor=api_actor(request), referral_id=referral_id, decision=payload.decision,
        note=payload.note,
    )  # fmt: skip
    return _referral(legal_referral_get(actor=api_user(request), referral_id=referral_id))


# --- the neutral on a dispute -------------------------------------------------------------------


@router.post(
    "/disputes/{dispute_id}/neutral",
    response={200: DisputeDetailOut, **_WRITE_ERRORS},
    summary="Assign an account with the neutral role to an open dispute (null: take it off)",
    description="A newly assigned neutral declares any conflict of interest on their portal "
    "before they see the case; `neutral_declaration` on the dispute says where that stands.",
    auth=may(can_work_complaints, WORK),
)
def dispute_neutral(request: HttpRequest, dispute_id: int, payload: DisputeNeutralIn):
    services.dispute_neutral_assign(
        actor=api_actor(request), dispute_id=dispute_id, neutral_id=payload.neutral_id,
        name=payload.name,
    )  # fmt: skip
    return detail_body(request, dispute_id)
