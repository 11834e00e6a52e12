"""A person's data as one ZIP file, streamed: ``subject.json`` with everything Plaint holds about
them, and ``files/`` with their attachments (GDPR art. 15 and 20).

Of their cases it holds what the complainant is shown (the tracking page): no internal notes, no
staff's internal files, and of a dispute's file only their own submissions and the provider's
requests to them (``disputes.selectors_tracking``). ``files/`` holds the files
``subject.json`` lists under ``attachments``, each named by its id: the case's public files and
the files of the complainant's own submissions to a dispute."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from plaint.complaints.models import Complainant, Complaint, Message, Remedy
from plaint.core.filestore import open_download
from plaint.core.models import Attachment, AuditEvent, OutboundEmail
from plaint.core.zipstream import CHUNK, StreamSink, safe_member_name
from plaint.disputes.models import Consent, Dispute, Obligation, Submission
from plaint.disputes.selectors_tracking import ASKED_OF_COMPLAINANT, OWN_SUBMISSIONS
from plaint.disputes.services.cases import DISPUTE_CASE_TYPE
from plaint.privacy.selectors import Subject
from plaint.surveys.models import Answer, CallbackTask, Invitation, Response, Suppression

FORMAT = "plaint-subject-export/1"


# What the export shows of each kind of row (of the rows the complainant is shown: _querysets).
FIELDS: dict[str, tuple[str, ...]] = {
    "complainants": (
        "id", "name", "email", "phone", "language", "preferred_channel", "consent_at", "created_at",
    ),
    "complaints": (
        "id", "reference", "complainant_id", "channel", "received_at", "subject", "description",
        "desired_outcome", "product", "category__code", "state", "acknowledged_at", "decision",
        "decision_at", "closed_at", "closure_reason", "complainant_feedback", "dispute_provider",
        "dispute_outcome",
    ),
    "messages": ("complaint_id", "direction", "body", "created_at"),
    "remedies": (
        "complaint_id", "proposal", "kind", "description", "amount", "currency", "proposed_at",
        "superseded_at",
    ),
    "attachments": (
        "id", "complaint_id", "original_name", "content_type", "size", "sha256", "uploaded_at",
    ),
    "disputes": (
        "id", "complaint_id", "provider__name", "method", "state", "provider_reference",
        "opened_at", "outcome", "outcome_at", "closed_at",
    ),
    "dispute_consents": ("dispute_id", "given_at", "channel", "language", "text_shown"),
    "dispute_submissions": ("dispute_id", "side", "kind", "text", "at", "attachment_id"),
    "dispute_obligations": ("dispute_id", "kind", "amount", "currency", "due_on", "done_at"),
    "mails": ("created_at", "to", "subject", "kind", "status", "sent_at"),
    "events": ("case_id", "seq", "at", "action"),
    "dispute_events": ("case_id", "seq", "at", "action"),
    "survey_invitations": (
        "id", "survey__key", "email", "name", "state", "created_at", "sent_at", "responded_at",
    ),
    "survey_responses": ("id", "survey__key", "submitted_at", "language"),
    "survey_answers": ("response_id", "question__code", "value", "text", "choices"),
    "survey_opt_outs": ("email", "created_at"),
    "call_backs": ("created_at", "score", "comment", "state", "done_at"),
}  # fmt: skip


def _files(subject: Subject) -> QuerySet[Attachment]:
    """The attachments the export lists and carries: of the person's cases, the public ones and
    those of their own submissions to a dispute's file (stored among the case's non-public
    files: ``disputes.services.cases.file_attachment``); never staff's internal files."""
    own = Submission.objects.filter(
        OWN_SUBMISSIONS, dispute__complaint_id__in=subject.complaint_ids, attachment__isnull=False
    )
    return Attachment.objects.filter(
        Q(public=True) | Q(pk__in=own.values("attachment_id")),
        complaint_id__in=subject.complaint_ids,
    ).order_by("pk")


def _querysets(subject: Subject) -> dict[str, Any]:
    cases = Q(complaint_id__in=subject.complaint_ids)
    disputes = Q(dispute__complaint_id__in=subject.complaint_ids)
    return {
        "complainants": Complainant.objects.filter(pk__in=subject.complainant_ids).order_by("pk"),
        "complaints": Complaint.objects.filter(pk__in=subject.complaint_ids).order_by(
            "received_at", "pk"
        ),
        "messages": Message.objects.filter(cases)
        .exclude(direction=Message.Direction.INTERNAL)
        .order_by("pk"),
        "remedies": Remedy.objects.filter(cases).order_by("pk"),
        "attachments": _files(subject),
        "disputes": Dispute.objects.filter(cases).order_by("opened_at", "pk"),
        "dispute_consents": Consent.objects.filter(disputes).order_by("dispute_id"),
        "dispute_submissions": Submission.objects.filter(
            OWN_SUBMISSIONS | ASKED_OF_COMPLAINANT, disputes
        ).order_by("at", "pk"),
        "dispute_obligations": Obligation.objects.filter(disputes).order_by("due_on", "pk"),
        "mails": OutboundEmail.objects.filter(cases | Q(to__in=sorted(subject.emails))).order_by(
            "pk"
        ),
        "events": AuditEvent.objects.filter(
            case_type="complaint", case_id__in=subject.complaint_ids
        ).order_by("case_id", "seq"),
        # each dispute's own chain (its case_id is the dispute's id), as the complaint's: actions
        # and times, none of the events' data
        "dispute_events": AuditEvent.objects.filter(
            case_type=DISPUTE_CASE_TYPE,
            case_id__in=Dispute.objects.filter(cases).values("pk"),
        ).order_by("case_id", "seq"),
        "survey_invitations": Invitation.objects.filter(pk__in=subject.invitation_ids).order_by(
            "pk"
        ),
        "survey_responses": Response.objects.filter(pk__in=subject.response_ids).order_by("pk"),
        "survey_answers": Answer.objects.filter(response_id__in=subject.response_ids).order_by(
            "pk"
        ),
        "survey_opt_outs": Suppression.objects.filter(pk__in=subject.suppression_ids),
        "call_backs": CallbackTask.objects.filter(pk__in=subject.callback_ids),
    }


def subject_document(subject: Subject) -> dict[str, Any]:
    """Everything about the person, as plain data (times as ISO strings once serialised)."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "exported_at": timezone.now(),
        "query": subject.query,
    }
    for name, queryset in _querysets(subject).items():
        document[name] = list(queryset.values(*FIELDS[name]))
    return document


def subject_export_stream(subject: Subject) -> Iterator[bytes]:
    """The ZIP file in pieces: ``subject.json`` first, then each attachment's file."""
    sink = StreamSink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        document = subject_document(subject)
        text = json.dumps(document, indent=2, ensure_ascii=False, default=str)
        archive.writestr("subject.json", text)
        yield sink.drain()
        for attachment in _files(subject).exclude(file="").iterator():
            name = f"files/{attachment.pk}-{safe_member_name(attachment.original_name)}"
            try:
                source = open_download(attachment.file).file  # a stream, not the whole file
            except FileNotFoundError:
                continue
            with source, archive.open(name, "w") as target:
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    yield sink.drain()
    yield sink.drain()
