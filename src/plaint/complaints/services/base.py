"""What every complaint service shares: the audit of a case, its row lock, mail to the
complainant, tracking links and the search text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _

from plaint.accounts.access import can_work_complaints
from plaint.accounts.models import User
from plaint.complaints.models import Complaint
from plaint.complaints.search import normalise
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.digest import sha256_hex
from plaint.core.errors import NotFound, ValidationFailed
from plaint.core.selectors import organisation_get
from plaint.core.services import email_enqueue

if TYPE_CHECKING:
    from plaint.core.models import AuditEvent


CASE_TYPE = "complaint"


def tracking_digest(token: str) -> str:
    """Only the digest of a tracking token is stored; a database leak reveals no tracking links."""
    return sha256_hex(token)


def tracking_url(token: str) -> str:
    return f"{settings.BASE_URL}/track/{token}/"


def search_document(*, subject: str, description: str, name: str, email: str) -> str:
    """The text the queue's search (``q``) matches in: subject, description, the complainant's
    name and e-mail, in the form ``complaints.search.normalise`` gives (lower case, Persian and
    Arabic letters unified, Latin diacritics folded). Stored in ``Complaint.search_document``;
    a service that changes any of these must store it again (references are matched by the
    selector, not through this)."""
    return normalise(" ".join(part for part in (subject, description, name, email) if part))


def notify_complainant(
    complaint: Complaint, kind: str, extra: dict[str, Any] | None = None
) -> None:
    complainant = complaint.complainant
    if not complainant.email:
        return
    context = {"complaint": complaint, "organisation": organisation_get(), **(extra or {})}
    email_enqueue(
        to=complainant.email,
        kind=kind,
        language=complainant.language,
        context=context,
        complaint=complaint,
    )


def audit(
    complaint: Complaint,
    actor: Actor,
    action: str,
    data: dict[str, Any],
    personal: dict[str, Any] | None = None,
    after: Any = "lookup",
    save: bool = True,
) -> AuditEvent:
    return audit_append(
        case_type=CASE_TYPE,
        case_id=complaint.pk,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        data=data,
        personal=personal,
        after=after,
        save=save,
    )


def lock(complaint_id: int) -> Complaint:
    complaint = (
        Complaint.objects.select_for_update()
        .select_related("complainant")
        .filter(pk=complaint_id)
        .first()
    )
    if complaint is None:
        raise NotFound(_("No such complaint."))
    return complaint


def staff_user(user_id: int | None, field_name: str) -> User | None:
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not can_work_complaints(user):
        raise ValidationFailed(
            _("The assignee must be an active handler, manager or admin."),
            fields={field_name: [_("Not a user who can work complaints.")]},
        )
    return user
