"""What a dispute's case bundle holds (ISO 10003 clause 7: the file sent to the provider): the
complaint, its timeline, the organisation's decision, the dispute, each side's submissions, the
offers made, the outcome, the obligations and the list of attachments, in numbered sections.

The bundle goes to the provider, so it holds what the organisation shares with the other side:
no internal notes or internal attachments, no offer still waiting for approval, no lessons
learned. Staff read it through ``dispute_get`` (whoever may read the dispute may export it); the
assigned neutral who declared no conflict through ``selectors_neutral.neutral_bundle``. Both build
it with ``bundle_build``, which checks nothing itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plaint.accounts.access import Reader
from plaint.complaints.models import Complaint, Message, Remedy
from plaint.core.models import Attachment, AuditEvent
from plaint.core.zipstream import safe_member_name
from plaint.disputes.models import Dispute, Obligation, SettlementOffer, Submission
from plaint.disputes.selectors_cases import dispute_get
from plaint.disputes.states import Side

# The sections of the bundle, in order: (key, heading). The index and the headings both come
# from here, so their numbers always agree.
SECTIONS = (
    ("complaint", _("The complaint")),
    ("timeline", _("The complaint's timeline")),
    ("decision", _("The organisation's decision")),
    ("dispute", _("The dispute")),
    ("submissions", _("Submissions of each side")),
    ("offers", _("Settlement offers")),
    ("outcome", _("Outcome")),
    ("obligations", _("Obligations")),
    ("attachments", _("Attachments")),
)


@dataclass
class TimelineRow:
    at: dt.datetime
    event: AuditEvent | None = None
    message: Message | None = None


@dataclass
class BundleFile:
    """One attachment: its number in the bundle and its name inside the ZIP (empty when its file
    was erased: the row stays, the file is gone)."""

    number: int
    attachment: Attachment
    member: str


@dataclass
class Bundle:
    dispute: Dispute
    complaint: Complaint
    language: str  # the case's language: the complainant's, when Plaint speaks it
    timeline: list[TimelineRow]
    remedies: list[Remedy]
    submissions: list[tuple[str, list[Submission]]]  # (side label, its submissions)
    offers: list[SettlementOffer]
    obligations: list[Obligation]
    files: list[BundleFile] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The stem of the bundle's file names: the dispute and the complaint it is about."""
        return f"{self.dispute.reference}-{self.complaint.reference}"


def case_language(complaint: Complaint) -> str:
    """The case's language: the complainant's, or the site's default when Plaint lacks it."""
    known = {code for code, _name in settings.LANGUAGES}
    wanted = complaint.complainant.language
    return wanted if wanted in known else settings.LANGUAGE_CODE


def _timeline(complaint: Complaint) -> list[TimelineRow]:
    """The complaint's events and its messages to and from the complainant, oldest first (an
    event that only says a message was written is left out: the message shows itself)."""
    events = AuditEvent.objects.filter(case_type="complaint", case_id=complaint.pk).order_by("seq")
    rows = [TimelineRow(e.at, event=e) for e in events if not e.action.startswith("message_")]
    messages = (
        complaint.messages.exclude(direction=Message.Direction.INTERNAL)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    rows += [TimelineRow(m.created_at, message=m) for m in messages]
    rows.sort(key=lambda row: (row.at, 0 if row.event else 1))
    return rows


def _files(complaint: Complaint, dispute: Dispute) -> list[BundleFile]:
    """The complaint's attachments the complainant also sees, and the files the complainant
    added to this dispute's file as evidence (kept apart from the complaint's own), numbered as
    the ZIP names them."""
    evidence = dispute.submissions.filter(attachment__isnull=False).values("attachment_id")
    rows = Attachment.objects.filter(
        Q(complaint=complaint, public=True) | Q(pk__in=evidence)
    ).order_by("uploaded_at", "pk")
    files = []
    for number, attachment in enumerate(rows, start=1):
        member = ""
        if attachment.file:
            member = f"attachments/{number:02d}-{safe_member_name(attachment.original_name)}"
        files.append(BundleFile(number, attachment, member))
    return files


def _by_side(dispute: Dispute) -> list[tuple[str, list[Submission]]]:
    everything = list(dispute.submissions.all())
    return [
        (str(label), [s for s in everything if s.side == side])
        for side, label in Side.choices
        if any(s.side == side for s in everything)
    ]


def dispute_bundle(*, actor: Reader, dispute_id: int) -> Bundle:
    """Everything the bundle shows of one dispute the staff actor may read (NotFound otherwise)."""
    return bundle_build(dispute=dispute_get(actor=actor, dispute_id=dispute_id))


def bundle_build(*, dispute: Dispute) -> Bundle:
    """The bundle of ``dispute``, which the caller's own access check has already let the reader
    see (``dispute_bundle`` for staff, ``neutral_bundle`` for the neutral): no check here."""
    complaint = (
        Complaint.objects.select_related("complainant", "category")
        .filter(pk=dispute.complaint_id)
        .get()
    )
    return Bundle(
        dispute=dispute,
        complaint=complaint,
        language=case_language(complaint),
        timeline=_timeline(complaint),
        remedies=list(complaint.remedies.current()),
        submissions=_by_side(dispute),
        offers=[o for o in dispute.offers.all() if o.made_at is not None],
        obligations=list(dispute.obligations.all()),
        files=_files(complaint, dispute),
    )
