"""Reads of e-mail intake: the quarantine list and one mail, for staff who work complaints."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader, can_work_complaints
from plaint.complaints.models import Complaint
from plaint.core.errors import NotFound
from plaint.mailin.models import InboundMail, Status
from plaint.mailin.parsing import MailParseError, ParsedMail, parse_mail

QUARANTINE_PAGE = 100  # newest first; the rest is reached as these are dealt with


def quarantine_list(*, actor: Reader) -> QuerySet[InboundMail]:
    """The newest mails waiting in the quarantine ("not found" as empty for other roles)."""
    if not can_work_complaints(actor):
        return InboundMail.objects.none()
    return InboundMail.objects.filter(status=Status.QUARANTINED).order_by("-id")[:QUARANTINE_PAGE]


def quarantine_count(*, actor: Reader) -> int:
    if not can_work_complaints(actor):
        return 0
    return InboundMail.objects.filter(status=Status.QUARANTINED).count()


def inbound_get(*, actor: Reader, mail_id: int) -> InboundMail:
    if not can_work_complaints(actor):
        raise NotFound(_("No such e-mail."))
    row = (
        InboundMail.objects.select_related("complaint", "follows", "handled_by")
        .filter(pk=mail_id)
        .first()
    )
    if row is None:
        raise NotFound(_("No such e-mail."))
    return row


def case_mails(*, complaint: Complaint, actor: Reader) -> list[InboundMail]:
    """The mails a case came from or that follow it (a reply after it was finished), oldest first:
    what the case page's panel shows of them (when each came, the references of the two cases),
    not the mails' own columns nor the two cases' whole rows."""
    if not can_work_complaints(actor):
        return []
    return list(
        InboundMail.objects.filter(Q(complaint=complaint) | Q(follows=complaint))
        .select_related("complaint", "follows")
        .only("received_at", "complaint__reference", "follows__reference")
        .order_by("id")[:20]
    )


def inbound_read(row: InboundMail) -> ParsedMail | None:
    """The mail read again from its raw bytes, to show it (None: unreadable or pruned)."""
    if not row.raw:
        return None
    try:
        with default_storage.open(row.raw.name, "rb") as handle:
            return parse_mail(handle.read())
    except (OSError, MailParseError):
        return None
