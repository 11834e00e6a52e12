"""The anonymisation itself: given a person's rows (``selectors.Subject``), replace what names or
reaches them in every table that holds it (``registry.PERSONAL``), keeping every count, code,
date and outcome. Used by erasure on request and by the retention rules."""

from __future__ import annotations

import json
import re
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_tasks_db.models import DBTaskResult

from plaint.complaints.models import (
    Complainant,
    Complaint,
    Message,
    QueuePreference,
    Remedy,
    SavedView,
)
from plaint.complaints.services import search_document
from plaint.core.models import Attachment, AuditEvent, OutboundEmail
from plaint.core.services import ERASED_DOMAIN
from plaint.disputes.models import Dispute, HeldNotice, Obligation, SettlementOffer, Submission
from plaint.improvement.models import (
    AnalysisCase,
    AnalysisMonth,
    Audit,
    AuditProgramme,
    ChecklistItem,
    CorrectiveAction,
    Finding,
    PlannedAction,
    RecurringCluster,
)
from plaint.insights.models import IndicatorContact
from plaint.mailin.models import InboundMail
from plaint.notifications.models import Notification
from plaint.privacy.models import LegalHold
from plaint.privacy.selectors import PHONE_KEY_DIGITS, Subject, digits
from plaint.promises.models import BrokenPromiseClaim
from plaint.surveys.models import Answer, CallbackTask, Contact, Invitation, Suppression
from plaint.webhooks.models import WebhookDelivery

PLACEHOLDER = "[erased]"
IMPORTS_FOLDER = "imports"  # raw survey imports between their two steps (surveys.services.uploads)


@dataclass
class StandIns:
    """Stand-ins for a person's e-mails and phones, the same on every row of theirs, so
    repeat-complaint counts (which match e-mails and phone keys) stay what they were.

    Random (erasure on request: the person's rows are all erased at once, and nothing links the
    stand-in to them), or with ``keyed`` derived by a keyed digest (retention, which reaches a
    person's cases one at a time over months: each gets the same stand-in as the ones before)."""

    keyed: bool = False
    tag: str = field(default_factory=lambda: secrets.token_hex(5))
    emails: dict[str, str] = field(default_factory=dict)
    phones: dict[str, str] = field(default_factory=dict)  # phone key -> stand-in number

    def _digest(self, value: str) -> str:
        return salted_hmac("plaint.privacy.retention", value, algorithm="sha256").hexdigest()

    def email(self, address: str) -> str:
        key = address.strip().lower()
        if not key:
            return ""
        if key not in self.emails:
            local = (
                f"r{self._digest(key)[:16]}" if self.keyed else f"{self.tag}-{len(self.emails) + 1}"
            )
            self.emails[key] = f"{local}@{ERASED_DOMAIN}"
        return self.emails[key]

    def phone(self, number: str) -> str:
        key = digits(number)[-PHONE_KEY_DIGITS:]
        if not number.strip():
            return ""
        if len(digits(number)) < 7:
            return PLACEHOLDER
        if key not in self.phones:
            if self.keyed:
                stand_in = str(int(self._digest(key)[:12], 16) % 10**8).zfill(8)
            else:
                stand_in = "".join(secrets.choice("0123456789") for _ in range(8))
            self.phones[key] = f"+000 {stand_in}"
        return self.phones[key]


class Redactor:
    """Replaces the person's names, e-mails and phones wherever they occur in a text (case
    insensitive; a phone however it is spaced)."""

    def __init__(self, subject: Subject) -> None:
        parts: list[str] = []
        for needle in subject.needles():
            if needle in subject.phones and len(digits(needle)) >= 7:
                parts.append(r"\+?" + r"[^0-9A-Za-z]{0,3}".join(digits(needle)))
            else:
                parts.append(re.escape(needle))
        self.pattern = re.compile("|".join(parts), re.IGNORECASE) if parts else None
        self.needles = subject.needles()

    def __call__(self, text: str) -> str:
        if not text or self.pattern is None:
            return text
        return self.pattern.sub(PLACEHOLDER, text)

    def matches(self, field_name: str, *, cast: bool = False) -> Q:
        """Rows whose ``field_name`` contains a needle (for a JSON field, its text)."""
        query = Q(pk__in=[])
        name = f"{field_name}_text" if cast else field_name
        for needle in self.needles:
            query |= Q(**{f"{name}__icontains": needle})
        return query


@dataclass
class Changes:
    """What an anonymisation changed (or, in a dry run, would change): rows per kind, and the
    files to delete once the transaction has committed."""

    counts: Counter[str] = field(default_factory=Counter)
    files: list[str] = field(default_factory=list)

    def add(self, kind: str, n: int) -> None:
        if n:
            self.counts[kind] += n


def _save(
    rows: Sequence[models.Model], fields: list[str], changes: Changes, kind: str, dry: bool
) -> None:
    if rows and not dry:
        type(rows[0])._default_manager.bulk_update(rows, fields, batch_size=500)
    changes.add(kind, len(rows))


def _redact_rows(
    queryset: models.QuerySet[Any],
    fields: list[str],
    redact: Redactor,
    changes: Changes,
    kind: str,
    dry: bool,
) -> None:
    """Redact ``fields`` of the rows of ``queryset`` where any of them mentions the person."""
    where = Q(pk__in=[])
    for name in fields:
        where |= redact.matches(name)
    rows = []
    for row in queryset.filter(where):
        for name in fields:
            setattr(row, name, redact(getattr(row, name)))
        rows.append(row)
    _save(rows, fields, changes, kind, dry)


def anonymise(
    subject: Subject, *, dry: bool, whole_person: bool = True, stand_ins: StandIns | None = None
) -> Changes:
    """Anonymise (or with ``dry``, count) every row of ``subject``'s. Call inside a transaction
    that holds the cases' row locks; delete ``Changes.files`` after it commits.

    ``whole_person=False`` (retention: one expired case) touches only the case's own rows: its
    mails, not every mail to the address; no search through saved searches, jobs and files; the
    repeat keys stay (the person's later cases still count as repeats of what they kept)."""
    stand_ins = stand_ins or StandIns()
    redact = Redactor(subject)
    changes = Changes()
    _complainants(subject, stand_ins, changes, dry)
    _complaints(subject, redact, changes, dry)
    _attachments(subject, changes, dry)
    _mails(subject, stand_ins, redact, changes, dry, whole_person=whole_person)
    _inbound_mails(subject, stand_ins, redact, changes, dry, whole_person=whole_person)
    _surveys(subject, stand_ins, redact, changes, dry)
    _audit_personal(subject, redact, changes, dry, whole_person=whole_person)
    if whole_person:
        _contact_keys(subject, stand_ins, changes, dry)
        _scan_elsewhere(subject, redact, changes, dry)
        _import_files(redact, changes)
    return changes


def _complainants(subject: Subject, stand_ins: StandIns, changes: Changes, dry: bool) -> None:
    rows = list(Complainant.objects.filter(pk__in=subject.complainant_ids))
    for person in rows:
        person.name = PLACEHOLDER
        person.email = stand_ins.email(person.email)
        person.phone = stand_ins.phone(person.phone)
    _save(rows, ["name", "email", "phone"], changes, "complainants", dry)


# Written by the complainant: replaced whole. Written by staff: the person's mentions redacted.
COMPLAINANT_TEXT = ["subject", "description", "desired_outcome", "complainant_feedback"]
STAFF_TEXT = [
    "product",
    "findings",
    "root_cause",
    "decision",
    "out_of_scope_reason",
    "dispute_note",
]


def _complaints(subject: Subject, redact: Redactor, changes: Changes, dry: bool) -> None:
    rows = list(
        Complaint.objects.filter(pk__in=subject.complaint_ids).select_related("complainant")
    )
    _cluster_labels({case.subject for case in rows if case.subject}, redact, changes, dry)
    # the analysis rollup keeps products as the complaints have them
    rollup = AnalysisMonth.objects.all()
    _redact_rows(rollup, ["scope_value", "value"], redact, changes, "analysis rollup", dry)
    theirs = AnalysisCase.objects.filter(complaint_id__in=subject.complaint_ids)
    _redact_rows(theirs, ["product"], redact, changes, "analysis rollup", dry)
    for case in rows:
        for name in COMPLAINANT_TEXT:
            if getattr(case, name):
                setattr(case, name, PLACEHOLDER)
        for name in STAFF_TEXT:
            setattr(case, name, redact(getattr(case, name)))
        case.search_document = search_document(
            subject=case.subject, description=case.description, name=PLACEHOLDER, email=""
        )
    _save(rows, [*COMPLAINANT_TEXT, *STAFF_TEXT, "search_document"], changes, "complaints", dry)
    messages = list(Message.objects.filter(complaint_id__in=subject.complaint_ids))
    for message in messages:
        inbound = message.direction == Message.Direction.INBOUND
        message.body = PLACEHOLDER if inbound else redact(message.body)
    _save(messages, ["body"], changes, "messages", dry)
    cases = Q(complaint_id__in=subject.complaint_ids)
    _redact_rows(Remedy.objects.filter(cases), ["description"], redact, changes, "remedies", dry)
    holds = LegalHold.objects.filter(cases | Q(complainant_id__in=subject.complainant_ids))
    _redact_rows(holds, ["reason"], redact, changes, "legal holds", dry)
    _redact_rows(BrokenPromiseClaim.objects.filter(cases), ["note"], redact, changes, "claims", dry)


def _cluster_labels(subjects: set[str], redact: Redactor, changes: Changes, dry: bool) -> None:
    """A recurring issue is labelled with the subject of one of its complaints: the person's own
    words when it is one of theirs (replaced), a mention of them otherwise (redacted)."""
    where = Q(label__in=sorted(subjects)) | redact.matches("label") | redact.matches("product")
    rows = list(RecurringCluster.objects.filter(where))
    for cluster in rows:
        cluster.label = PLACEHOLDER if cluster.label in subjects else redact(cluster.label)
        cluster.product = redact(cluster.product)
    _save(rows, ["label", "product"], changes, "recurring issues", dry)


def _attachments(subject: Subject, changes: Changes, dry: bool) -> None:
    rows = list(Attachment.objects.filter(complaint_id__in=subject.complaint_ids))
    for attachment in rows:
        if attachment.file:
            changes.files.append(attachment.file.name)
        attachment.file.name = ""
        attachment.original_name = f"erased{attachment.file_type}"
    _save(rows, ["file", "original_name"], changes, "attachments", dry)


def _mails(
    subject: Subject,
    stand_ins: StandIns,
    redact: Redactor,
    changes: Changes,
    dry: bool,
    *,
    whole_person: bool,
) -> None:
    theirs = Q(complaint_id__in=subject.complaint_ids)
    if whole_person:
        theirs |= (
            Q(to__in=sorted(subject.emails))
            | redact.matches("to")
            | redact.matches("subject")
            | redact.matches("body")
            | redact.matches("last_error")
        )
    rows = list(OutboundEmail.objects.filter(theirs))
    for mail in rows:
        if mail.to.strip().lower() in subject.emails:
            mail.to = stand_ins.email(mail.to)
        mail.subject = PLACEHOLDER
        mail.body = PLACEHOLDER
        mail.last_error = ""
        if mail.status == OutboundEmail.Status.PENDING:  # never send what was erased
            mail.status = OutboundEmail.Status.FAILED
            mail.last_error = "personal data erased before delivery"
    _save(rows, ["to", "subject", "body", "last_error", "status"], changes, "mails", dry)
    references = [r for r in subject.references if r]
    about = Q(pk__in=[])
    if whole_person:
        about |= redact.matches("body") | redact.matches("last_error")
    for reference in references:
        about |= Q(body__contains=f'"{reference}"')
    deliveries = list(WebhookDelivery.objects.filter(about))
    for delivery in deliveries:
        delivery.body = '{"erased": true}'
        delivery.last_error = ""
        if delivery.status == WebhookDelivery.Status.PENDING:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.last_error = "personal data erased before delivery"
    _save(deliveries, ["body", "last_error", "status"], changes, "webhook deliveries", dry)


def _inbound_mails(
    subject: Subject,
    stand_ins: StandIns,
    redact: Redactor,
    changes: Changes,
    dry: bool,
    *,
    whole_person: bool,
) -> None:
    """Mails received from the person (e-mail intake): the raw message is deleted, the sender
    gets the stand-in address, the subject a placeholder, the quarantine detail is cleared."""
    theirs = Q(complaint_id__in=subject.complaint_ids) | Q(follows_id__in=subject.complaint_ids)
    if whole_person:
        theirs |= (
            Q(sender__in=sorted(subject.emails))
            | redact.matches("sender")
            | redact.matches("subject")
            | redact.matches("detail")
        )
    rows = list(InboundMail.objects.filter(theirs))
    for mail in rows:
        if mail.raw:
            changes.files.append(mail.raw.name)
        mail.raw.name = ""
        if mail.sender:
            mail.sender = stand_ins.email(mail.sender)
        mail.subject = PLACEHOLDER
        mail.detail = ""
    _save(rows, ["raw", "sender", "subject", "detail"], changes, "mails received", dry)


def _surveys(
    subject: Subject, stand_ins: StandIns, redact: Redactor, changes: Changes, dry: bool
) -> None:
    invitations = list(Invitation.objects.filter(pk__in=subject.invitation_ids))
    for invitation in invitations:
        invitation.email = stand_ins.email(invitation.email)
        invitation.name = ""
    _save(invitations, ["email", "name"], changes, "survey invitations", dry)
    contacts = list(Contact.objects.filter(pk__in=subject.contact_ids))
    for contact in contacts:
        contact.email = stand_ins.email(contact.email)
        contact.name = ""
    _save(contacts, ["email", "name"], changes, "survey contacts", dry)
    opt_outs = list(Suppression.objects.filter(pk__in=subject.suppression_ids))
    for opt_out in opt_outs:
        opt_out.email = stand_ins.email(opt_out.email)
    _save(opt_outs, ["email"], changes, "survey opt-outs", dry)
    answers = list(Answer.objects.filter(response_id__in=subject.response_ids).exclude(text=""))
    for answer in answers:
        answer.text = PLACEHOLDER
    _save(answers, ["text"], changes, "survey answers", dry)
    callbacks = list(CallbackTask.objects.filter(pk__in=subject.callback_ids))
    for task in callbacks:
        task.email = stand_ins.email(task.email)
        task.name = ""
        task.comment = PLACEHOLDER if task.comment else ""
        task.note = redact(task.note)
    _save(callbacks, ["email", "name", "comment", "note"], changes, "call-backs", dry)


def _contact_keys(subject: Subject, stand_ins: StandIns, changes: Changes, dry: bool) -> None:
    """The repeat-complaint keys of the indicator rollup follow the stand-ins."""
    renames: dict[str, str] = {}
    for email in subject.emails:
        renames[f"e:{email}"] = f"e:{stand_ins.email(email)}"
    for phone in subject.phones:
        key = digits(phone)[-PHONE_KEY_DIGITS:]
        if len(digits(phone)) >= 7:
            renames[f"p:{key}"] = f"p:{digits(stand_ins.phone(phone))[-PHONE_KEY_DIGITS:]}"
    rows = list(IndicatorContact.objects.filter(key__in=list(renames)))
    if not dry:
        for row in rows:
            IndicatorContact.objects.filter(key=row.key).update(key=renames[row.key])
    changes.add("contact keys", len(rows))


def _scan_elsewhere(subject: Subject, redact: Redactor, changes: Changes, dry: bool) -> None:
    """Where staff may have typed the person's name or address: saved searches; and the
    background jobs' rows, whose arguments or results could carry it."""
    _redact_rows(SavedView.objects.all(), ["query"], redact, changes, "saved searches", dry)
    _redact_rows(
        QueuePreference.objects.all(), ["last_query"], redact, changes, "saved searches", dry
    )
    _corrective_actions(redact, changes, dry)
    _internal_audits(redact, changes, dry)
    _disputes(redact, changes, dry)
    jobs = DBTaskResult.objects.annotate(
        args_kwargs_text=Cast("args_kwargs", TextField()),
        return_value_text=Cast("return_value", TextField()),
    ).filter(
        redact.matches("args_kwargs", cast=True)
        | redact.matches("return_value", cast=True)
        | redact.matches("traceback")
    )
    rows = list(jobs)
    for job in rows:
        job.args_kwargs = {"args": [], "kwargs": {"erased": True}}
        job.return_value = None
        job.traceback = PLACEHOLDER if job.traceback else ""
        if job.status == "READY":  # its arguments are gone: it must not run
            job.status = "FAILED"
            job.finished_at = timezone.now()
    _save(
        rows,
        ["args_kwargs", "return_value", "traceback", "status", "finished_at"],
        changes,
        "jobs",
        dry,
    )


def _corrective_actions(redact: Redactor, changes: Changes, dry: bool) -> None:
    """What staff wrote in corrective actions (ISO 9001 10.2) may name a complainant: the texts,
    the 5 whys, the cause tree and the earlier rounds (JSON, redacted as text), and the titles
    the notifications about them show."""
    texts = ["title", "problem", "containment", "root_cause", "closing_note", "source_ref"]
    json_fields = ["whys", "cause_tree", "earlier_rounds"]
    _redact_rows(
        PlannedAction.objects.all(),
        ["description", "evidence"],
        redact,
        changes,
        "corrective actions",
        dry,
    )
    _redact_rows(
        Notification.objects.exclude(subject_title=""),
        ["subject_title"],
        redact,
        changes,
        "notifications",
        dry,
    )
    where = Q(pk__in=[])
    for name in texts:
        where |= redact.matches(name)
    for name in json_fields:
        where |= redact.matches(name, cast=True)
    rows = list(
        CorrectiveAction.objects.annotate(
            **{f"{name}_text": Cast(name, TextField()) for name in json_fields}
        ).filter(where)
    )
    for action in rows:
        for name in texts:
            setattr(action, name, redact(getattr(action, name)))
        for name in json_fields:
            value = json.loads(redact(json.dumps(getattr(action, name), ensure_ascii=False)))
            setattr(action, name, value)
    _save(rows, [*texts, *json_fields], changes, "corrective actions", dry)


def _disputes(redact: Redactor, changes: Changes, dry: bool) -> None:
    """What staff, the provider and the neutral wrote in disputes (ISO 10003) may name the person."""
    for model, fields in (
        (Dispute, ["reasons", "lessons"]),
        (Submission, ["text"]),
        (Obligation, ["description", "evidence"]),
        (SettlementOffer, ["terms"]),
        (HeldNotice, ["details", "complaint_reference"]),
    ):
        _redact_rows(model.objects.all(), fields, redact, changes, "disputes", dry)


def _internal_audits(redact: Redactor, changes: Changes, dry: bool) -> None:
    """What auditors and managers wrote in internal audits may name a complainant."""
    for queryset, fields in (
        (AuditProgramme.objects.all(), ["objectives"]),
        (Audit.objects.all(), ["title", "scope_note", "conclusion"]),
        (ChecklistItem.objects.all(), ["notes"]),
        (Finding.objects.all(), ["statement", "evidence_note"]),
    ):
        _redact_rows(queryset, fields, redact, changes, "internal audits", dry)


def _audit_personal(
    subject: Subject, redact: Redactor, changes: Changes, dry: bool, *, whole_person: bool
) -> None:
    """The audit events' unhashed ``personal`` part of the person's cases, and any other event
    whose ``personal`` mentions them; the hashed part is never touched, so every chain verifies."""
    where = Q(case_type="complaint", case_id__in=subject.complaint_ids) & ~Q(personal={})
    if whole_person:
        where |= redact.matches("personal", cast=True)
    events = AuditEvent.objects.annotate(personal_text=Cast("personal", TextField())).filter(where)
    rows = list(events)
    for event in rows:
        event.personal = {}
    _save(rows, ["personal"], changes, "audit events (unhashed part)", dry)


def _import_files(redact: Redactor, changes: Changes) -> None:
    """Raw survey import files (kept a day between an import's two steps) that mention them."""
    if redact.pattern is None:
        return
    try:
        _dirs, names = default_storage.listdir(IMPORTS_FOLDER)
    except FileNotFoundError:
        return
    for name in names:
        path = f"{IMPORTS_FOLDER}/{name}"
        try:
            with default_storage.open(path, "rb") as handle:
                text = handle.read().decode("utf-8", errors="replace")
        except FileNotFoundError:
            continue
        if redact.pattern.search(text):
            changes.files.append(path)
            changes.add("survey import files", 1)


def delete_files(paths: list[str]) -> None:
    for path in paths:
        try:
            default_storage.delete(path)
        except FileNotFoundError:  # removed meanwhile
            continue
