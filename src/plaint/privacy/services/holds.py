"""Legal holds: placed on a complaint or on a person (a complainant row) with a reason, and
released; while in force, erasure and retention leave what they cover alone. And who may handle
these requests: the explicit permission a manager is given."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.accounts.models import Role, User
from plaint.complaints.models import Complaint
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.digest import sha256_hex
from plaint.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from plaint.privacy.access import PERMISSION, can_handle_subject_requests
from plaint.privacy.models import HOLD_REASON_MAX, LegalHold

HOLD_CASE_TYPE = "legal_hold"


def _require(actor: Actor) -> None:
    if actor.kind != "staff" or not can_handle_subject_requests(actor.user):
        raise NotAllowed(_("Your role may not handle requests about personal data."))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason or "\x00" in reason:
        message = _("Say why the data must be kept (a claim, an investigation, a court order).")
        raise ValidationFailed(message, fields={"reason": [message]})
    if len(reason) > HOLD_REASON_MAX:
        message = _("At most %(limit)s characters.") % {"limit": HOLD_REASON_MAX}
        raise ValidationFailed(message, fields={"reason": [message]})
    return reason


@transaction.atomic
def legal_hold_place(
    *, actor: Actor, reason: str, reference: str = "", person_of: str = ""
) -> LegalHold:
    """Hold the complaint ``reference``, or (``person_of``: a reference) its complainant, the
    person, with all their cases. The hold's reason is staff's text and stays with the hold."""
    _require(actor)
    reason = _reason(reason)
    wanted = (reference or person_of).strip()
    complaint = Complaint.objects.select_for_update().filter(reference__iexact=wanted).first()
    if complaint is None:
        message = _("No complaint has the reference “%(ref)s”.") % {"ref": wanted[:40]}
        raise NotFound(message, fields={"reference": [message]})
    hold = LegalHold.objects.create(
        complaint=complaint if not person_of else None,
        complainant_id=complaint.complainant_id if person_of else None,
        reason=reason,
        created_by=actor.user,
        created_at=timezone.now(),
    )
    _audit(actor, hold, "hold_placed")
    return hold


@transaction.atomic
def legal_hold_release(*, actor: Actor, hold_id: int) -> LegalHold:
    _require(actor)
    hold = LegalHold.objects.select_for_update().filter(pk=hold_id).first()
    if hold is None:
        raise NotFound(_("No such legal hold."))
    if hold.released_at is not None:
        raise Conflict(_("This hold was already released."))
    hold.released_at = timezone.now()
    hold.released_by = actor.user
    hold.save(update_fields=["released_at", "released_by"])
    _audit(actor, hold, "hold_released")
    return hold


def _audit(actor: Actor, hold: LegalHold, action: str) -> None:
    """Each hold has its own chain. The reason may name the person, so it is in the unhashed
    part with a salt, and the hash covers their digest: erasing the person later clears both and
    the chain still verifies (docs/privacy.md)."""
    salt = secrets.token_hex(16)
    audit_append(
        case_type=HOLD_CASE_TYPE,
        case_id=hold.pk,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        data={
            "complaint": hold.complaint_id,
            "complainant": hold.complainant_id,
            "reason_digest": sha256_hex(f"{salt}:{hold.reason}"),
        },
        personal={"reason": hold.reason, "salt": salt},
    )


PERMISSION_CASE_TYPE = "privacy_permission"  # one chain per member of staff


@transaction.atomic
def subject_requests_permission_set(*, actor: Actor, user: User, granted: bool) -> None:
    """Give a manager the explicit permission to handle requests about personal data (find,
    export, erase, holds, retention rules), or take it away; audited on the member's chain."""
    if actor.kind != "system" and not (
        actor.kind == "staff" and actor.user is not None and actor.user.role == Role.ADMIN
    ):
        raise NotAllowed(_("Only administrators give or take this permission."))
    if user.role != Role.MANAGER:
        raise ValidationFailed(
            _("Only managers need this permission; administrators have it already."),
            fields={"user": [_("Not a manager.")]},
        )
    app_label, codename = PERMISSION.split(".")
    permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    if granted:
        user.user_permissions.add(permission)
    else:
        user.user_permissions.remove(permission)
    audit_append(
        case_type=PERMISSION_CASE_TYPE,
        case_id=user.pk,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action="permission_granted" if granted else "permission_revoked",
        data={"permission": PERMISSION},
    )
