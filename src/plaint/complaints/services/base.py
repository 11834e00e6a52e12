"""What every complaint service shares: the audit of a case, its row lock, mail to the
complainant, tracking links and the search text."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.accounts.access import can_work_complaints
from plaint.accounts.models import User
from plaint.complaints.models import Complaint, TrackingLink
from plaint.complaints.search import normalise
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.digest import sha256_hex
from plaint.core.errors import NotFound, ValidationFailed
from plaint.core.services import email_enqueue_deferred

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


def tracking_link_issue(complaint: Complaint) -> str:
    """A fresh tracking link to the case, for one mail to the complainant; the case's earlier
    links stay valid. Returns the URL: its token exists in clear only in the mail's outbox row
    until the mail is sent (``notify_complainant``), the database keeps its digest."""
    token = secrets.token_urlsafe(32)
    TrackingLink.objects.create(
        complaint=complaint, digest=tracking_digest(token), created_at=timezone.now()
    )
    return tracking_url(token)


def notify_complainant(
    complaint: Complaint,
    kind: str,
    data: dict[str, str] | None = None,
    *,
    context_builder: str = "case_mail",
) -> None:
    """Mail the complainant, if they gave an address, with a fresh tracking link. The worker
    renders the mail just before sending (``case_mail_context`` builds its context from ``data``,
    plain strings); once sent, the row keeps the mail without its link. Without an address nothing
    is sent and no link is issued."""
    complainant = complaint.complainant
    if not complainant.email:
        return
    email_enqueue_deferred(
        to=complainant.email,
        kind=kind,
        language=complainant.language,
        context_builder=context_builder,
        data={**(data or {}), "tracking_url": tracking_link_issue(complaint)},
        secret=("tracking_url",),
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
