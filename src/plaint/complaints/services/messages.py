"""Messages on a case: from the complainant, to the complainant, internal notes."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.accounts.access import can_work_complaints
from plaint.complaints.events import ComplainantWrote
from plaint.complaints.models import MESSAGE_BODY_MAX, Complaint, Message
from plaint.complaints.services.base import audit, lock, notify_complainant
from plaint.complaints.services.lifecycle import resume
from plaint.complaints.states import OPEN, State
from plaint.core.actors import Actor
from plaint.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from plaint.core.events import publish
from plaint.core.uploads import CheckedUpload


def post_message(complaint: Complaint, direction: str, body: str, actor: Actor) -> Message:
    message = Message.objects.create(
        complaint=complaint,
        direction=direction,
        author=actor.user if actor.kind == "staff" else None,
        body=body,
        created_at=timezone.now(),
    )
    audit(complaint, actor, f"message_{direction}", {"message_id": message.pk})
    return message


def _attach(complaint: Complaint, message: Message, uploads: list[CheckedUpload]) -> None:
    for upload in uploads:
        upload.attachment(
            complaint=complaint,
            message=message,
            public=message.direction != Message.Direction.INTERNAL,
        ).save()


def message_post(
    *,
    complaint_id: int,
    actor: Actor,
    body: str,
    internal: bool = False,
    attachments: list[CheckedUpload] | None = None,
) -> Message:
    """Add a message: from the complainant (more information), to the complainant, or an internal note."""
    body = (body or "").strip()
    if not body:
        raise ValidationFailed(
            _("Write a message."), fields={"body": [_("This field is required.")]}
        )
    if len(body) > MESSAGE_BODY_MAX:
        raise ValidationFailed(
            _("The message is too long."),
            fields={"body": [_("At most %(limit)s characters.") % {"limit": MESSAGE_BODY_MAX}]},
        )
    if actor.kind == "staff":
        if not can_work_complaints(actor.user):
            raise NotAllowed(_("Your role may not write on complaints."))
        direction = Message.Direction.INTERNAL if internal else Message.Direction.OUTBOUND
    elif actor.kind == "complainant":
        if internal:
            raise NotAllowed(_("Only staff write internal notes."))
        direction = Message.Direction.INBOUND
    else:
        raise NotAllowed(_("Unknown actor."))
    with transaction.atomic():
        complaint = lock(complaint_id)
        if complaint.state not in OPEN and direction != Message.Direction.INTERNAL:
            raise InvalidTransition(
                _("This complaint is finished; messages can no longer be added.")
            )
        message = post_message(complaint, direction, body, actor)
        if (
            direction == Message.Direction.INBOUND
            and complaint.state == State.WAITING_ON_COMPLAINANT
        ):
            complaint = resume(complaint, actor)  # the information arrived: the clocks run again
        _attach(complaint, message, attachments or [])
        complaint.version += 1
        complaint.save(update_fields=["version", "updated_at"])
        if direction == Message.Direction.OUTBOUND:
            notify_complainant(complaint, "message", {"body": body})
        elif direction == Message.Direction.INBOUND:
            publish(
                ComplainantWrote(
                    complaint=complaint,
                    message_id=message.pk,
                    attachments=len(attachments or []),
                )
            )
        return message
