"""A person's data as one ZIP file, streamed: ``subject.json`` with everything Plaint holds about
them, and ``files/`` with their attachments (GDPR art. 15 and 20)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.utils import timezone

from plaint.complaints.models import Complainant, Complaint, Message, Remedy
from plaint.core.models import Attachment, AuditEvent, OutboundEmail
from plaint.privacy.selectors import Subject
from plaint.surveys.models import Answer, CallbackTask, Invitation, Response, Suppression

FORMAT = "plaint-subject-export/1"
CHUNK = 64 * 1024


class _Sink(io.RawIOBase):
    """What the ZIP writer writes into, drained after each step: the file never sits whole in
    memory (a ZIP written to a stream that cannot seek carries its sizes after each entry)."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._chunks.append(chunk)
        self._position += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self._position

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def _rows(queryset: Any, *fields: str) -> list[dict[str, Any]]:
    return list(queryset.values(*fields))


def subject_document(subject: Subject) -> dict[str, Any]:
    """Everything about the person, as plain data (times as ISO strings once serialised)."""
    cases = Q(complaint_id__in=subject.complaint_ids)
    complaints = _rows(
        Complaint.objects.filter(pk__in=subject.complaint_ids).order_by("received_at", "pk"),
        "id",
        "reference",
        "complainant_id",
        "channel",
        "received_at",
        "subject",
        "description",
        "desired_outcome",
        "product",
        "category__code",
        "state",
        "acknowledged_at",
        "decision",
        "decision_at",
        "closed_at",
        "closure_reason",
        "complainant_feedback",
        "dispute_provider",
        "dispute_outcome",
    )
    messages = _rows(
        Message.objects.filter(cases).exclude(direction=Message.Direction.INTERNAL).order_by("pk"),
        "complaint_id",
        "direction",
        "body",
        "created_at",
    )
    return {
        "format": FORMAT,
        "exported_at": timezone.now(),
        "query": subject.query,
        "complainants": _rows(
            Complainant.objects.filter(pk__in=subject.complainant_ids).order_by("pk"),
            "id",
            "name",
            "email",
            "phone",
            "language",
            "preferred_channel",
            "consent_at",
            "created_at",
        ),
        "complaints": complaints,
        "messages": messages,
        "remedies": _rows(
            Remedy.objects.filter(cases).order_by("pk"),
            "complaint_id",
            "proposal",
            "kind",
            "description",
            "amount",
            "currency",
            "proposed_at",
            "superseded_at",
        ),
        "attachments": _rows(
            Attachment.objects.filter(cases, public=True).order_by("pk"),
            "id",
            "complaint_id",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
        ),
        "mails": _rows(
            OutboundEmail.objects.filter(cases | Q(to__in=sorted(subject.emails))).order_by("pk"),
            "created_at",
            "to",
            "subject",
            "kind",
            "status",
            "sent_at",
        ),
        "events": _rows(
            AuditEvent.objects.filter(
                case_type="complaint", case_id__in=subject.complaint_ids
            ).order_by("case_id", "seq"),
            "case_id",
            "seq",
            "at",
            "action",
        ),
        "survey_invitations": _rows(
            Invitation.objects.filter(pk__in=subject.invitation_ids).order_by("pk"),
            "id",
            "survey__key",
            "email",
            "name",
            "state",
            "created_at",
            "sent_at",
            "responded_at",
        ),
        "survey_responses": _rows(
            Response.objects.filter(pk__in=subject.response_ids).order_by("pk"),
            "id",
            "survey__key",
            "submitted_at",
            "language",
        ),
        "survey_answers": _rows(
            Answer.objects.filter(response_id__in=subject.response_ids).order_by("pk"),
            "response_id",
            "question__code",
            "value",
            "text",
            "choices",
        ),
        "survey_opt_outs": _rows(
            Suppression.objects.filter(pk__in=subject.suppression_ids), "email", "created_at"
        ),
        "call_backs": _rows(
            CallbackTask.objects.filter(pk__in=subject.callback_ids),
            "created_at",
            "score",
            "comment",
            "state",
            "done_at",
        ),
    }


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name).strip("._")[:100] or "file"


def subject_export_stream(subject: Subject) -> Iterator[bytes]:
    """The ZIP file in pieces: ``subject.json`` first, then each attachment's file."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        document = subject_document(subject)
        text = json.dumps(document, indent=2, ensure_ascii=False, default=str)
        archive.writestr("subject.json", text)
        yield sink.drain()
        files = Attachment.objects.filter(complaint_id__in=subject.complaint_ids).exclude(file="")
        for attachment in files.order_by("pk").iterator():
            name = f"files/{attachment.pk}-{_safe(attachment.original_name)}"
            try:
                source = attachment.file.open("rb")
            except FileNotFoundError:
                continue
            with source, archive.open(name, "w") as target:
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    yield sink.drain()
    yield sink.drain()
