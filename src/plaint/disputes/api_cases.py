"""The dispute case API: the list and one dispute, opening by referral (with the complainant's
consent) or by a provider's notice, every lifecycle step, settlement offers. Thin adapters over
``selectors_cases``/``selectors_api`` and the services: whoever may read the complaint reads the
dispute; handlers, managers and admins work it; managers approve offers (as on the pages)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_noop
from ninja import File, Form, Header, Query, Router, Status, UploadedFile

from plaint.accounts.access import can_configure, can_read_complaints, can_work_complaints
from plaint.accounts.api_auth import BearerToken, api_actor, api_principal, api_user, may
from plaint.complaints.selectors import complaint_get
from plaint.core.idempotency import idempotent_run
from plaint.core.problem import Problem
from plaint.core.uploads import upload_sha256
from plaint.disputes import services
from plaint.disputes.lifecycle import allowed_steps
from plaint.disputes.models import Dispute
from plaint.disputes.schemas_cases import (
    DisputeAnswerIn,
    DisputeCloseIn,
    DisputeDetailOut,
    DisputeDoneIn,
    DisputeExitIn,
    DisputeListQuery,
    DisputeNoticeIn,
    DisputeNoticeOut,
    DisputeOfferIn,
    DisputeOfferOut,
    DisputeOutcomeRecordIn,
    DisputePageOut,
    DisputePositionIn,
    DisputeReferralIn,
    DisputeStepIn,
    DisputeSubmissionIn,
    DisputeSubmissionOut,
    DisputeSummaryOut,
)
from plaint.disputes.selectors_api import (
    DisputeFilters,
    dispute_page,
    offer_get,
    submission_get,
)
from plaint.disputes.selectors_cases import dispute_get

router = Router(tags=["disputes"], auth=BearerToken())

_READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
_WRITE_ERRORS: dict[int, Any] = {**_READ_ERRORS, 400: Problem, 409: Problem}
READ = gettext_noop("read disputes")
WORK = gettext_noop("work disputes")
APPROVE = gettext_noop("approve settlement offers")
KEY = Header(None, alias="Idempotency-Key")


def _summary(d: Dispute) -> dict[str, Any]:
    data = {name: getattr(d, name) for name in DisputeSummaryOut.model_fields if hasattr(d, name)}
    return {**data, "id": d.pk, "complaint": d.complaint.reference, "provider": d.provider.name}


def _name(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def detail_body(request: HttpRequest, dispute_id: int) -> dict[str, Any]:
    d = dispute_get(actor=api_user(request), dispute_id=dispute_id)
    data = {
        **_summary(d), "position_sent_at": d.position_sent_at,
        "file_complete_at": d.file_complete_at, "reasons": d.reasons, "lessons": d.lessons,
        "next_steps": [str(s) for s in allowed_steps(d.state, d.method)],
    }  # fmt: skip
    consent = getattr(d, "consent", None)
    data["consent"] = consent and {
        "given_at": consent.given_at, "channel": consent.channel,
        "text_shown": consent.text_shown, "language": consent.language,
        "recorded_by": _name(consent.recorded_by),
    }  # fmt: skip
    data.update(_neutral(d))
    data["submissions"] = [_submission(s) for s in d.submissions.all()]
    data["obligations"] = [_obligation(o) for o in d.obligations.all()]
    data["offers"] = [_offer(o) for o in d.offers.all()]
    return data


def _neutral(d: Dispute) -> dict[str, Any]:
    """The neutral's account and where their conflict-of-interest declaration stands."""
    if d.neutral_user is None:
        return {"neutral_user": None, "neutral_declaration": None}
    made = services.declaration_of(d)
    state = "awaiting" if made is None else ("conflict" if made.conflict else "no_conflict")
    return {"neutral_user": _name(d.neutral_user), "neutral_declaration": state}


def _obligation(o: Any) -> dict[str, Any]:
    return {
        "id": o.pk, "kind": o.kind, "description": o.description, "amount": o.amount,
        "currency": o.currency, "due_on": o.due_on, "owner": o.owner.get_username(),
        "done_at": o.done_at, "evidence": o.evidence,
    }  # fmt: skip


def _submission(s: Any) -> dict[str, Any]:
    return {"id": s.pk, "side": s.side, "kind": s.kind, "text": s.text, "at": s.at,
            "by": _name(s.by), "file": _file(s.attachment)}  # fmt: skip


def _file(f: Any) -> dict[str, Any] | None:
    if f is None:
        return None
    return {"id": f.pk, "name": f.original_name, "content_type": f.content_type, "size": f.size,
            "sha256": f.sha256, "erased": not f.file}  # fmt: skip


def _offer(o: Any) -> dict[str, Any]:
    return {
        "id": o.pk, "amount": o.amount, "currency": o.currency, "terms": o.terms,
        "proposed_by": o.proposed_by.get_username(), "proposed_at": o.proposed_at,
        "needs_approval": o.needs_approval, "approved_by": _name(o.approved_by),
        "approved_at": o.approved_at, "made_at": o.made_at,
    }  # fmt: skip


# --- reading ------------------------------------------------------------------------------------


@router.get(
    "/disputes",
    response={200: DisputePageOut, **_READ_ERRORS},
    summary="List dispute cases, newest first",
    description="Filter by `state`, `provider` (id) and `method`; pages by keyset: pass "
    "`next_cursor` back as `cursor`. Only disputes whose complaint the caller may read.",
    auth=may(can_read_complaints, READ),
)
def dispute_list(request: HttpRequest, query: Query[DisputeListQuery]):
    filters = DisputeFilters(
        state=query.state or "", provider=query.provider, method=query.method or ""
    )
    page = dispute_page(
        actor=api_user(request), filters=filters, cursor=query.cursor, limit=query.limit
    )
    items = [
        {**_summary(d), "open_obligations": getattr(d, "open_obligations", 0)} for d in page.items
    ]
    return {"items": items, "next_cursor": page.next_cursor}


@router.post(
    "/disputes",
    response={200: DisputeDetailOut, 201: DisputeDetailOut, **_WRITE_ERRORS},
    summary="Refer a complaint to a provider, with the complainant's consent "
    "(honours an Idempotency-Key)",
    description="The consent's time is the moment the server records it; it cannot be given.",
    auth=may(can_work_complaints, WORK),
)
def dispute_refer(
    request: HttpRequest, payload: DisputeReferralIn, idempotency_key: str | None = KEY
):
    def act() -> int:
        complaint = complaint_get(actor=api_user(request), reference=payload.complaint.strip())
        consent = services.ConsentInput(**payload.consent.model_dump())
        return services.dispute_refer(
            actor=api_actor(request), complaint_id=complaint.pk, provider_id=payload.provider_id,
            method=payload.method, consent=consent, claimed_amount=payload.claimed_amount,
            claim_currency=payload.currency,
        ).pk  # fmt: skip

    outcome = idempotent_run(
        key=idempotency_key, principal=api_principal(request), operation="dispute_refer",
        payload=lambda: payload.model_dump(mode="json"), action=act,
    )  # fmt: skip
    return Status(200 if outcome.replayed else 201, detail_body(request, outcome.result_id))


@router.post(
    "/disputes/notices",
    response={200: DisputeNoticeOut, 201: DisputeNoticeOut, **_WRITE_ERRORS},
    summary="Receive a provider's notice (honours an Idempotency-Key)",
    description="The same provider reference again merges into its dispute (200, `merged`); a "
    "notice for a complaint referred to that provider joins the referral (`merged`); one naming "
    "no complaint Plaint knows is held for matching (`held`), never lost.",
    auth=may(can_work_complaints, WORK),
)
def dispute_notice(
    request: HttpRequest, payload: DisputeNoticeIn, idempotency_key: str | None = KEY
):
    found: dict[str, Any] = {}

    def act() -> int:
        result = services.dispute_notice_receive(
            actor=api_actor(request), provider_id=payload.provider_id,
            provider_reference=payload.provider_reference,
            complaint_reference=payload.complaint, method=payload.method,
            details=payload.details,
        )  # fmt: skip
        found["merged"] = result.merged
        # one id for the replay: a dispute's as it is, a held notice's negated
        return result.dispute.pk if result.dispute is not None else -result.held.pk  # type: ignore[union-attr]

    outcome = idempotent_run(
        key=idempotency_key, principal=api_principal(request), operation="dispute_notice",
        payload=lambda: payload.model_dump(mode="json"), action=act,
    )  # fmt: skip
    made = outcome.result_id
    merged = outcome.replayed or found.get("merged", False)
    body = {
        "result": "held" if made < 0 else ("merged" if merged else "opened"),
        "dispute_id": made if made > 0 else None,
        "held_notice_id": -made if made < 0 else None,
    }
    return Status(200 if merged else 201, body)


@router.get(
    "/disputes/{dispute_id}",
    response={200: DisputeDetailOut, **_READ_ERRORS},
    summary="One dispute with its consent, submissions, obligations, offers and next steps",
    auth=may(can_read_complaints, READ),
)
def dispute_detail(request: HttpRequest, dispute_id: int):
    return detail_body(request, dispute_id)


# --- the lifecycle ------------------------------------------------------------------------------


def _step_done(request: HttpRequest, dispute_id: int) -> dict[str, Any]:
    return detail_body(request, dispute_id)


@router.post(
    "/disputes/{dispute_id}/position",
    response={200: DisputeDetailOut, **_WRITE_ERRORS},
    summary="Record the organisation's position as sent to the provider",
    auth=may(can_work_complaints, WORK),
)
def dispute_position(request: HttpRequest, dispute_id: int, payload: DisputePositionIn):
    services.dispute_position_send(
        actor=api_actor(request), dispute_id=dispute_id, position=payload.position,
        expected_version=payload.expected_version,
    )  # fmt: skip
    return _step_done(request, dispute_id)


@router.post(
    "/disputes/{dispute_id}/file-complete",
    response={200: DisputeDetailOut, **_WRITE_ERRORS},
    summary="The provider has a complete file: the exchange begins, the outcome clock starts",
    auth=may(can_work_complaints, WORK),
)
def dispute_file_complete(request: HttpRequest, dispute_id: int, payload: DisputeStepIn):
    services.dispute_file_complete(
        actor=api_actor(request), dispute_id=dispute_id, expected_version=payload.expected_version
    )
    return _step_done(request, dispute_id)


@router.post(
    "/disputes/{dispute_id}/submissions",
    response={200: DisputeSubmissionOut, 201: DisputeSubmissionOut, **_WRITE_ERRORS},
    summary="Add a submission, request or answer to an open dispute's file "
    "(honours an Idempotency-Key)",
    auth=may(can_work_complaints, WORK),
)
def dispute_submission(
    request: HttpRequest,
    dispute_id: int,
    payload: DisputeSubmissionIn,
    idempotency_key: str | None = KEY,
):
    return _add_submission(request, dispute_id, payload, idempotency_key)


def _add_submission(
    request: HttpRequest,
    dispute_id: int,
    payload: DisputeSubmissionIn,
    idempotency_key: str | None,
    upload: UploadedFile | None = None,
) -> Status:
    """The submission (with its file) as both submission operations add it: a retry under the
    same key is the same request when its fields, and its file's digest, are the same."""
    fields = payload.model_dump(mode="json")
    if upload is not None:
        fields["attachment"] = upload_sha256(upload)
    outcome = idempotent_run(
        key=idempotency_key, principal=api_principal(request),
        operation=f"dispute_submission:{dispute_id}", payload=lambda: fields,
        action=lambda: services.dispute_submission_add(
            actor=api_actor(request), dispute_id=dispute_id, side=payload.side,
            kind=payload.kind, body=payload.body, upload=upload,
        ).pk,
    )  # fmt: skip
    made = submission_get(actor=api_user(request), submission_id=outcome.result_id)
    return Status(200 if outcome.replayed else 201, _submission(made))


@router.post(
    "/disputes/{dispute_id}/submissions/with-file",
    response={200: DisputeSubmissionOut, 201: DisputeSubmissionOut, **_WRITE_ERRORS},
    summary="Add a submission, request or answer with one file to an open dispute's file "
    "(honours an Idempotency-Key)",
    description=(
        "As `POST /disputes/{dispute_id}/submissions`, sent as `multipart/form-data`: the fields "
        "`side`, `kind` and `body`, and the file as the part `attachment`, checked as every "
        "upload (its size against `PLAINT_ATTACHMENT_MAX_BYTES`, its type by its content). A "
        "refused file refuses the request (422, `errors.attachment`) and nothing is stored. The "
        "file is kept in the dispute's file (the case bundle's ZIP carries it), not among the "
        "complaint's public files. A retry with the same `Idempotency-Key` and the same fields "
        "and file answers the first submission (200)."
    ),
    auth=may(can_work_complaints, WORK),
)
def dispute_submission_with_file(
    request: HttpRequest,
    dispute_id: int,
    payload: Form[DisputeSubmissionIn],
    attachment: File[UploadedFile],
    idempotency_key: str | None = KEY,
):
    return _add_submission(request, dispute_id, payload, idempotency_key, attachment)


@router.post(
    "/disputes/{dispute_id}/outcome",
    response={200: DisputeDetailOut, **_WRITE_ERRORS},
    summary="Record the settlement, recommendation or decision, with what it asks of the "
    "organisation",
    auth=may(can_work_complaints, WORK),
)
def dispute_outcome(request: HttpRequest, dispute_id: int, payload: DisputeOutcomeRecordIn):
    obligations = [services.ObligationInput(**o.model_dump()) for o in payload.obligations]
    services.dispute_outcome_record(
        actor=api_actor(request), dispute_id=dispute_id, outcome=payload.outcome,
        reasons=payload.reasons, neutral=payload.neutral, obligations=obligations,
        expected_version=payload.expected_version,
    )  # fmt: skip
    return _step_done(request, dispute_id)


@router.post(
    "/disputes/{dispute_id}/recommendation-answer",
    response={200: DisputeDetailOut, **_WRITE_ERRORS},
    summary="Both sides accepted the recommendation (accepted: true), or a side rejected it",
    auth=may(can_work_complaints, WORK),
)
def dispute_answer(request: HttpRequest, dispute_id: int, payload: DisputeAnswerIn):
    services.dispute_recommendation_answer(
        actor=api_actor(request), dispute_id=dispute_id, accepted=payload.accepted,
        note=payload.note, expected_version=payload.expected_version,
    )  # fmt: skip
    return _step_done(request, dispute_id)


@router.post(
    "/disputes/obligations/{obligation_id}/done",
    response={200: DisputeDetailOut, **_WRITE_ERRORS},
    summary="An obligation of the outcome is carried out, with its evidence",
    auth=may(can_work_complaints, WORK),
)
def dispute_obligation_done(request: HttpRequest, obligation_id: int, payload: DisputeDoneIn):
    done = services.obligation_done(
        actor=api_actor(request), obligation_id=obligation_id, evidence=payload.evidence
    )
    return detail_body(request, done.dispute_id)


@router.post(
    "/disputes/{dispute_id}/close",
    response={200: DisputeDetailOut, **_WRITE_ERRORS},
    summary="Close a dispute whose obligations are all done, with the lessons learned",
    auth=may(can_work_complaints, WORK),
)
def dispute_close(request: HttpRequest, dispute_id: int, payload: DisputeCloseIn):
    services.dispute_close(
        actor=api_actor(request), dispute_id=dispute_id, lessons=payload.lessons,
        expected_version=payload.expected_version,
    )  # fmt: skip
    return _step_done(request, dispute_id)


@router.post(
    "/disputes/{dispute_id}/exit",
    response={200: DisputeDetailOut, **_WRITE_ERRORS},
    summary="The dispute is withdrawn, or out of the provider's scope, with the reason",
    auth=may(can_work_complaints, WORK),
)
def dispute_exit(request: HttpRequest, dispute_id: int, payload: DisputeExitIn):
    services.dispute_exit(
        actor=api_actor(request), dispute_id=dispute_id, step=payload.step,
        reason=payload.reason, expected_version=payload.expected_version,
    )  # fmt: skip
    return _step_done(request, dispute_id)


# --- settlement ---------------------------------------------------------------------------------


@router.post(
    "/disputes/{dispute_id}/offers",
    response={200: DisputeOfferOut, 201: DisputeOfferOut, **_WRITE_ERRORS},
    summary="Propose a settlement offer (honours an Idempotency-Key)",
    description="At or below the organisation's approval amount it is made at once; above it "
    "(or in another currency) it waits for a manager's approval (`needs_approval`).",
    auth=may(can_work_complaints, WORK),
)
def dispute_offer(
    request: HttpRequest,
    dispute_id: int,
    payload: DisputeOfferIn,
    idempotency_key: str | None = KEY,
):
    outcome = idempotent_run(
        key=idempotency_key, principal=api_principal(request),
        operation=f"dispute_offer:{dispute_id}",
        payload=lambda: payload.model_dump(mode="json"),
        action=lambda: services.settlement_offer_propose(
            actor=api_actor(request), dispute_id=dispute_id, offer_amount=payload.amount,
            offer_currency=payload.currency, terms=payload.terms,
        ).pk,
    )  # fmt: skip
    return Status(200 if outcome.replayed else 201, _offer_read(request, outcome.result_id))


def _offer_read(request: HttpRequest, offer_id: int) -> dict[str, Any]:
    return _offer(offer_get(actor=api_user(request), offer_id=offer_id))


@router.post(
    "/disputes/offers/{offer_id}/approve",
    response={200: DisputeOfferOut, **_WRITE_ERRORS},
    summary="A manager (not the proposer) approves an offer above the approval amount",
    auth=may(can_configure, APPROVE),
)
def dispute_offer_approve(request: HttpRequest, offer_id: int):
    services.settlement_offer_approve(actor=api_actor(request), offer_id=offer_id)
    return _offer_read(request, offer_id)
