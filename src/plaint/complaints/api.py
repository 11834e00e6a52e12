"""The complaints API: thin adapters that parse a typed request, call one selector or service, and
render a typed response. Errors are mapped once, in ``plaint.core.problem``."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import File, Form, Header, Query, Router, Status, UploadedFile

from plaint.accounts.access import can_read_complaints, can_work_complaints
from plaint.accounts.api_auth import BearerToken, api_actor, api_principal, api_user, may
from plaint.complaints import services
from plaint.complaints.events import attachment_notes
from plaint.complaints.models import Complaint, Message, ReadVia
from plaint.complaints.schemas import (
    AssessIn,
    AssignIn,
    CloseIn,
    CommentIn,
    ComplaintCreatedOut,
    ComplaintDetailOut,
    ComplaintIn,
    ComplaintPageOut,
    DisputeOutcomeIn,
    FindingsIn,
    MessageFormIn,
    MessageIn,
    MessageOut,
    MessageWithFilesOut,
    NoteIn,
    ProposeResponseIn,
    QueueQuery,
    ReasonIn,
    StepIn,
)
from plaint.complaints.selectors import (
    QueueFilters,
    complaint_attachment,
    complaint_attachments,
    complaint_earlier_proposals,
    complaint_get,
    complaint_list,
    complaint_message_get,
    complaint_messages,
    complaint_remedies,
)
from plaint.complaints.states import STAFF, Step, case_steps
from plaint.core.errors import NotFound
from plaint.core.idempotency import idempotent_run
from plaint.core.problem import Problem
from plaint.core.selectors import organisation_get
from plaint.core.uploads import check_uploads
from plaint.core.views import attachment_response

router = Router(tags=["complaints"], auth=BearerToken())

_READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
_WRITE_ERRORS: dict[int, Any] = {**_READ_ERRORS, 400: Problem, 409: Problem, 413: Problem}
IDEMPOTENCY_KEY = Header(None, alias="Idempotency-Key")  # core.idempotency


class _With:
    """A row plus what its output shows beyond its fields (a complaint's lists, a file's
    ``kept_in``); everything else reads through."""

    def __init__(self, row: Any, **extra: Any) -> None:
        self._row = row
        self.__dict__.update(extra)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, name)


def _detail(request: HttpRequest, complaint: Complaint) -> _With:
    user = api_user(request)
    return _With(
        complaint,
        messages=complaint_messages(complaint=complaint, actor=user),
        remedies=complaint_remedies(complaint=complaint),
        earlier_remedies=[
            remedy
            for proposal in complaint_earlier_proposals(complaint=complaint)
            for remedy in proposal.remedies
        ],
        attachments=_attachments(complaint),
        allowed_steps=case_steps(complaint, STAFF) if can_work_complaints(user) else [],
        paused_clocks=_paused_clocks(complaint),
    )


def _attachments(complaint: Complaint) -> list[_With]:
    """The case's files, each with where an app above keeps it (``kept_in``: a dispute's file),
    as the case page names them (``CaseAttachmentsListing``)."""
    attachments = complaint_attachments(complaint=complaint, public_only=False)
    notes = attachment_notes(complaint, attachments)
    return [_With(attachment, kept_in=notes.get(attachment.pk)) for attachment in attachments]


def _paused_clocks(complaint: Complaint) -> list[str]:
    """Which of the complaint's due dates stand still while it waits on the complainant."""
    paused = {
        "acknowledgement": complaint.acknowledgement_paused,
        "response": complaint.response_paused,
    }
    return [name for name, stopped in paused.items() if stopped]


def _get(user, reference: str) -> Complaint:
    # A reference is short and printable; anything else cannot name a complaint.
    if len(reference) > 40 or not reference.isprintable():
        raise NotFound(_("No such complaint."))
    return complaint_get(actor=user, reference=reference)


def _reload(request: HttpRequest, complaint_id: int) -> _With:
    return _detail(request, _get(api_user(request), str(complaint_id)))


# --- intake ---------------------------------------------------------------------------------


@router.post(
    "/complaints",
    response={200: ComplaintCreatedOut, 201: ComplaintCreatedOut, **_WRITE_ERRORS},
    summary="File a complaint",
    description=(
        "Receives a complaint (ISO 10002 7.3). Send an `Idempotency-Key` header to make retries "
        "safe: the same key with the same body returns the complaint the first request made "
        "(status 200, `tracking_url` null); with a different body it is refused (422 "
        "`idempotency_mismatch`)."
    ),
    auth=may(can_work_complaints, gettext_noop("log complaints")),
)
def complaint_create(
    request: HttpRequest,
    payload: ComplaintIn,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
):
    user = api_user(request)
    made: dict[str, Any] = {}

    def submit() -> int:
        fields = payload.model_dump(exclude={"channel", "received_at"})
        complaint, token = services.complaint_submit(
            data=services.ComplaintInput(**fields),
            channel=payload.channel,
            actor=api_actor(request),
            received_at=payload.received_at,
        )
        made["token"], made["complaint"] = token, complaint
        return complaint.pk

    outcome = idempotent_run(
        key=idempotency_key,
        principal=api_principal(request),
        operation="complaint_create",
        payload=lambda: payload.model_dump(mode="json"),
        action=submit,
    )
    if outcome.replayed:
        complaint, token = complaint_get(actor=user, reference=str(outcome.result_id)), None
    else:
        complaint, token = made["complaint"], made["token"]
    body = {
        "id": complaint.pk,
        "reference": complaint.reference,
        "state": complaint.state,
        "channel": complaint.channel,
        "received_at": complaint.received_at,
        "acknowledgement_due_at": complaint.acknowledgement_due_at,
        "response_due_at": complaint.response_due_at,
        "version": complaint.version,
        "tracking_url": services.tracking_url(token) if token else None,
    }
    return Status(200 if outcome.replayed else 201, body)


# --- reading --------------------------------------------------------------------------------


@router.get(
    "/complaints",
    response={200: ComplaintPageOut, **_READ_ERRORS},
    summary="List complaints (the staff queue)",
    description=(
        "The staff queue's filters; pages by keyset: pass `next_cursor` back as `cursor`. "
        "`state` may be repeated."
    ),
    auth=may(can_read_complaints, gettext_noop("read complaints")),
)
def complaint_queue(request: HttpRequest, query: Query[QueueQuery]):
    user = api_user(request)
    filters = QueueFilters(
        state=[s.value for s in query.state],
        assignee=query.assignee or "",
        team=query.team,
        category=query.category or "",
        channel=query.channel.value if query.channel else "",
        severity=query.severity.value if query.severity else "",
        overdue=query.overdue,
        safety=query.safety,
        due=query.due or "",
        received_from=query.received_from,
        received_to=query.received_to,
        q=query.q or "",
        sort=query.sort,
    )
    # "Due by the end of the week" is the organisation's week (its zone read only when asked).
    zone = organisation_get().timezone if query.due else None
    with timezone.override(zone) if zone else nullcontext():
        page = complaint_list(actor=user, filters=filters, cursor=query.cursor, limit=query.limit)
    return {
        "items": page.items,
        "next_cursor": page.next_cursor,
        "total": page.total,
        "total_exceeds": getattr(page, "total_exceeds", None),
    }


@router.get(
    "/complaints/{reference}",
    response={200: ComplaintDetailOut, **_READ_ERRORS},
    summary="One complaint with its messages, remedies, attachments and next steps",
    auth=may(can_read_complaints, gettext_noop("read complaints")),
)
def complaint_detail(request: HttpRequest, reference: str):
    user = api_user(request)
    complaint = _get(user, reference)
    services.case_read_record(user=user, complaint=complaint, via=ReadVia.API)
    return _detail(request, complaint)


@router.get(
    "/complaints/{reference}/attachments/{attachment_id}",
    response={401: Problem, 403: Problem, 404: Problem, 422: Problem},
    summary="Download one of the complaint's files",
    description=(
        "Any of the complaint's files, internal ones and those a dispute's file keeps included "
        "(each listed in `GET /complaints/{reference}` under `attachments`, and a dispute "
        "submission's `file`), as a download with its name, type and length; the read is in "
        "the access log (`via`: attachment). A file erased with its complainant's personal data "
        "is 404."
    ),
    auth=may(can_read_complaints, gettext_noop("read complaints")),
    openapi_extra={
        "responses": {
            200: {
                "description": "The file as it was uploaded",
                # the type it was uploaded with (checked from its first bytes at upload)
                "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def complaint_attachment_download(request: HttpRequest, reference: str, attachment_id: int):
    user = api_user(request)
    complaint = _get(user, reference)
    found = complaint_attachment(
        complaint=complaint, attachment_id=attachment_id, public_only=False
    )
    if found is None:
        raise NotFound(_("This complaint has no such attachment."))
    services.case_read_record(user=user, complaint=complaint, via=ReadVia.ATTACHMENT)
    return attachment_response(found)


# --- lifecycle steps: one operation per step, each with its own input schema ----------------


def _plain_step(step: Step) -> Callable[..., Complaint]:
    def call(complaint_id: int, actor, payload: StepIn) -> Complaint:
        return services.STEP_SERVICES[step](
            complaint_id=complaint_id, actor=actor, **payload.model_dump()
        )

    return call


def _propose_response(complaint_id: int, actor, payload: ProposeResponseIn) -> Complaint:
    return services.complaint_propose_response(
        complaint_id=complaint_id,
        actor=actor,
        decision=payload.decision,
        remedies=[
            services.RemedyInput(
                kind=r.kind.value,
                description=r.description,
                amount=r.amount,
                currency=r.currency or "",
            )
            for r in payload.remedies
        ],
        expected_version=payload.expected_version,
    )


STEP_INPUTS: dict[Step, tuple[type[StepIn], Callable[..., Complaint]]] = {
    Step.ACKNOWLEDGE: (StepIn, _plain_step(Step.ACKNOWLEDGE)),
    Step.ASSESS: (AssessIn, _plain_step(Step.ASSESS)),
    Step.REJECT_OUT_OF_SCOPE: (ReasonIn, _plain_step(Step.REJECT_OUT_OF_SCOPE)),
    Step.START_INVESTIGATION: (StepIn, _plain_step(Step.START_INVESTIGATION)),
    Step.RECORD_FINDINGS: (FindingsIn, _plain_step(Step.RECORD_FINDINGS)),
    Step.PROPOSE_RESPONSE: (ProposeResponseIn, _propose_response),
    Step.COMMUNICATE_DECISION: (StepIn, _plain_step(Step.COMMUNICATE_DECISION)),
    Step.ACCEPT_DECISION: (CommentIn, _plain_step(Step.ACCEPT_DECISION)),
    Step.DECLINE_DECISION: (ReasonIn, _plain_step(Step.DECLINE_DECISION)),
    Step.CLOSE: (CloseIn, _plain_step(Step.CLOSE)),
    Step.WITHDRAW: (CommentIn, _plain_step(Step.WITHDRAW)),
    Step.REFER_EXTERNAL: (NoteIn, _plain_step(Step.REFER_EXTERNAL)),
    Step.REQUEST_INFORMATION: (ReasonIn, _plain_step(Step.REQUEST_INFORMATION)),
    Step.REOPEN: (ReasonIn, _plain_step(Step.REOPEN)),
    Step.RESUME: (StepIn, _plain_step(Step.RESUME)),
    Step.RECORD_REMEDY_DELIVERED: (StepIn, _plain_step(Step.RECORD_REMEDY_DELIVERED)),
    Step.RECORD_DISPUTE_OUTCOME: (DisputeOutcomeIn, _plain_step(Step.RECORD_DISPUTE_OUTCOME)),
}
assert set(STEP_INPUTS) == set(Step), "every lifecycle step needs an API operation"


def _register_step(step: Step, schema: type[StepIn], call: Callable[..., Complaint]) -> None:
    def operation(request: HttpRequest, reference: str, payload):
        complaint = _get(api_user(request), reference)
        call(complaint.pk, api_actor(request), payload)
        return _reload(request, complaint.pk)

    # Ninja reads parameter types from annotations; each step has its own body schema.
    operation.__annotations__ = {"request": HttpRequest, "reference": str, "payload": schema}
    operation.__name__ = f"complaint_step_{step.value}"
    operation.__qualname__ = operation.__name__
    router.post(
        f"/complaints/{{reference}}/steps/{step.value}",
        response={200: ComplaintDetailOut, **_WRITE_ERRORS},
        summary=str(step.label),
        description=(
            f"Lifecycle step `{step.value}`. Refused with 409 `invalid_transition` when the "
            "complaint's state does not allow it, and 409 `conflict` when `expected_version` is "
            "given and the complaint changed since."
        ),
        operation_id=f"complaint_step_{step.value}",
        auth=may(can_work_complaints, gettext_noop("work on complaints")),
    )(operation)


for _step, (_schema, _call) in STEP_INPUTS.items():
    _register_step(_step, _schema, _call)


@router.post(
    "/complaints/{reference}/assign",
    response={200: ComplaintDetailOut, **_WRITE_ERRORS},
    summary="Give the complaint to a person and/or a team",
    auth=may(can_work_complaints, gettext_noop("assign complaints")),
)
def complaint_assign(request: HttpRequest, reference: str, payload: AssignIn):
    user = api_user(request)
    complaint = _get(user, reference)
    services.complaint_assign(
        complaint_id=complaint.pk,
        actor=api_actor(request),
        assignee_id=payload.assignee_id,
        team_id=payload.team_id,
        expected_version=payload.expected_version,
    )
    return _reload(request, complaint.pk)


@router.post(
    "/complaints/{reference}/messages",
    response={200: MessageOut, 201: MessageOut, **_WRITE_ERRORS},
    summary="Write to the complainant, or add an internal note (honours an Idempotency-Key)",
    description=(
        "A message to the complainant is mailed to them. Send an `Idempotency-Key` header to "
        "make retries safe: the same key with the same body answers the message the first "
        "request wrote (status 200) and writes and mails nothing; with a different body it is "
        "refused (422 `idempotency_mismatch`)."
    ),
    auth=may(can_work_complaints, gettext_noop("write on complaints")),
)
def complaint_message(
    request: HttpRequest,
    reference: str,
    payload: MessageIn,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
):
    message, replayed = _post_message(request, reference, payload, idempotency_key)
    return Status(200 if replayed else 201, message)


def _post_message(
    request: HttpRequest,
    reference: str,
    payload: MessageIn,
    idempotency_key: str | None,
    attachments: list[UploadedFile] | None = None,
) -> tuple[Message, bool]:
    """The message (with its files, each checked at the edge: nothing is stored when one is
    refused) on the caller's complaint, as both message operations post it, and whether an
    earlier request under ``idempotency_key`` wrote it. A retry is the same request when its
    fields and its files' digests, in order, are the same."""
    complaint = _get(api_user(request), reference)
    checked = check_uploads(attachments) if attachments else []
    fields = payload.model_dump(mode="json") | {"files": [c.sha256 for c in checked]}
    made: dict[str, Message] = {}

    def write() -> int:
        made["message"] = services.message_post(
            complaint_id=complaint.pk, actor=api_actor(request), body=payload.body,
            internal=payload.internal, attachments=checked,
        )  # fmt: skip
        return made["message"].pk

    outcome = idempotent_run(
        key=idempotency_key, principal=api_principal(request),
        operation=f"complaint_message:{complaint.pk}", payload=lambda: fields, action=write,
    )  # fmt: skip
    if outcome.replayed:  # the first request's message, read again
        return complaint_message_get(complaint=complaint, message_id=outcome.result_id), True
    return made["message"], False


@router.post(
    "/complaints/{reference}/messages/with-files",
    response={200: MessageWithFilesOut, 201: MessageWithFilesOut, **_WRITE_ERRORS},
    summary="Write to the complainant, or add an internal note, with files (honours an "
    "Idempotency-Key)",
    description=(
        "As `POST /complaints/{reference}/messages`, sent as `multipart/form-data`: the fields "
        "`body` and `internal`, and one to `PLAINT_ATTACHMENT_MAX_COUNT` parts named `files`. "
        "Each file is checked as the complaint form checks it (its size against "
        "`PLAINT_ATTACHMENT_MAX_BYTES`, its type by its content); one refused file refuses the "
        "whole request (422, the file named in `errors.attachments`) and nothing is stored. The "
        "files of a message to the complainant are shown on their tracking page; those of an "
        "internal note are internal. A retry with the same `Idempotency-Key`, fields and files "
        "answers the first message (200)."
    ),
    auth=may(can_work_complaints, gettext_noop("write on complaints")),
)
def complaint_message_with_files(
    request: HttpRequest,
    reference: str,
    payload: Form[MessageFormIn],
    files: File[list[UploadedFile]],
    idempotency_key: str | None = IDEMPOTENCY_KEY,
):
    message, replayed = _post_message(request, reference, payload, idempotency_key, files)
    stored = list(message.attachments.order_by("id"))
    return Status(200 if replayed else 201, _With(message, attachments=stored))
