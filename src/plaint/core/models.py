"""Organisation settings, the hash-chained audit trail, the e-mail outbox, attachments and API
idempotency records."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """The single row of settings that a manager edits; defaults are ISO 10002-friendly."""

    name = models.CharField(max_length=200, default="Plaint demo organisation")
    country = models.CharField(
        max_length=2,
        default="EE",
        help_text=_("ISO 3166 code whose public holidays close the office"),
    )
    timezone = models.CharField(max_length=64, default="Europe/Tallinn")
    acknowledgement_business_days = models.PositiveSmallIntegerField(default=2)
    response_business_days = models.PositiveSmallIntegerField(default=20)
    no_answer_close_days = models.PositiveSmallIntegerField(
        default=14,
        help_text=_("Days after the decision before a case with no answer may be closed"),
    )
    contact_email = models.EmailField(blank=True, default="")
    contact_phone = models.CharField(max_length=40, blank=True, default="")
    # Who sees which case (``complaints.visibility``): off, every staff member reads every case;
    # on, a handler reads the cases of their own team, those without a team and those assigned
    # to them, while managers, auditors and admins read all.
    team_visibility = models.BooleanField(
        default=False,
        db_default=False,
        help_text=_("Handlers see only their own team's cases"),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    acknowledgement_business_days__lte=models.F("response_business_days")
                ),
                name="organisation_ack_before_response",
            )
        ]

    def __str__(self) -> str:
        return self.name


class AuditEvent(models.Model):
    """One append-only event of one case's hash chain.

    ``data`` is hashed (codes, ids, before/after of non-personal fields); ``personal`` is not, so
    erasing a complainant's details never breaks a chain. ``hash_version`` says what the hash
    covers: 2 (every event written since core 0008) adds ``actor_label``, the name the case page
    shows; 1 (events written before) does not, and stays verifiable as it was written.
    """

    case_type = models.CharField(max_length=32)
    case_id = models.BigIntegerField()
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=64)
    data = models.JSONField(default=dict)
    personal = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    hash_version = models.PositiveSmallIntegerField(default=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case_type", "case_id", "seq"], name="audit_one_event_per_seq"
            )
        ]
        ordering = ["case_type", "case_id", "seq"]

    def __str__(self) -> str:
        return f"{self.case_type}:{self.case_id}#{self.seq} {self.action}"


class OutboundEmail(models.Model):
    """A mail written in the same transaction as the change that caused it; the worker delivers it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Gave up")

    created_at = models.DateTimeField(auto_now_add=True)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    language = models.CharField(max_length=8, default="en")
    kind = models.CharField(max_length=40)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="emails",
    )
    message_id = models.CharField(max_length=200)  # unique: see Meta (no LIKE index needed)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        indexes = [
            # What the workers' drain reads: pending mails by due time. Sent mails leave it, so
            # it stays as small as the queue however long the outbox's history grows.
            models.Index(
                fields=["next_attempt_at", "id"],
                name="outbox_pending_due_idx",
                condition=models.Q(status="pending"),
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "sent", "failed"]),
                name="outbox_status_known",
            ),
            # A constraint, not unique=True: on PostgreSQL that would add a second index for
            # LIKE queries, which nobody runs on a Message-ID, to every mail's INSERT.
            models.UniqueConstraint(fields=["message_id"], name="outbox_message_id_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to} ({self.status})"


def attachment_path(instance: Attachment, filename: str) -> str:
    """``attachments/YYYY/MM/<random>/<name>``: a folder of its own for every upload. Two web hosts
    saving "photo.jpg" at the same moment into a shared object store would otherwise both find
    the name free and one would replace the other's file (the local folder creates files
    exclusively; S3 has no such create that every compatible store honours)."""
    return f"attachments/{timezone.now():%Y/%m}/{get_random_string(16)}/{filename}"


class Attachment(models.Model):
    """A checked upload belonging to a complaint (and optionally to one of its messages)."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="attachments"
    )
    message = models.ForeignKey(
        "complaints.Message",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    file = models.FileField(upload_to=attachment_path, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    public = models.BooleanField(default=True, help_text=_("Visible to the complainant"))

    def __str__(self) -> str:
        return self.original_name

    @property
    def file_type(self) -> str:
        """The kind of file as people name it, its extension: ".docx" (lower case; "" if none)."""
        stem, dot, extension = self.original_name.rpartition(".")
        return f".{extension.lower()}" if dot and stem and extension else ""


class IdempotencyRecord(models.Model):
    """Remembers an API write by its Idempotency-Key so a retried request returns the same result."""

    key = models.CharField(max_length=200)
    principal = models.CharField(max_length=64)
    operation = models.CharField(max_length=64)
    request_hash = models.CharField(max_length=64)
    result_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["principal", "operation", "key"], name="idempotency_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.operation}:{self.key}"


class AuditDigest(models.Model):
    """A seal: the chain heads that moved since the seal before, keyed with an HMAC whose key lives
    outside the database, and written as the same line to the append-only seal log
    (``plaint.core.audit.seals``). ``number`` counts the seals and ``prev_mac`` links each to the
    one before, so a deleted seal leaves a gap.

    Rows written before core 0008 have no number and no MAC: unkeyed legacy digests of every head,
    kept for the record and not trusted by ``plaint audit verify``.
    """

    created_at = models.DateTimeField(default=timezone.now)  # signed: set once, by the sealer
    number = models.PositiveIntegerField(null=True, blank=True)
    key_id = models.CharField(max_length=40, blank=True, default="")
    prev_mac = models.CharField(max_length=64, blank=True, default="")
    mac = models.CharField(max_length=64, blank=True, default="")
    upto = models.BigIntegerField(default=0)  # the highest event id when the seal was made
    chains = models.PositiveIntegerField()
    events = models.PositiveIntegerField(default=0)
    digest = models.CharField(max_length=64)
    heads = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["number"], name="audit_seal_number_unique")]

    def __str__(self) -> str:
        return f"seal #{self.number} {self.created_at:%Y-%m-%d %H:%M} ({self.chains} chains)"


class AuditSealedHead(models.Model):
    """The sealer's note of how far each chain has been sealed, so that a seal carries only the
    heads that moved. A working cache: ``plaint audit verify`` trusts the seal log, never this."""

    case_type = models.CharField(max_length=32)
    case_id = models.BigIntegerField()
    seq = models.PositiveIntegerField()
    hash = models.CharField(max_length=64)
    seal = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case_type", "case_id"], name="audit_sealed_head_chain")
        ]

    def __str__(self) -> str:
        return f"{self.case_type}:{self.case_id} sealed at #{self.seq}"


class BusinessCalendar(models.Model):
    """When the organisation is open, for counting deadlines: a country's (and region's) public
    holidays, opening hours per weekday, a time zone and the organisation's own closed days.

    ``opening_hours`` holds seven entries, Monday first: ``["09:00", "17:00"]`` or ``null`` (closed).
    The engine works on the immutable ``plaint.core.calendars.Calendar`` built from this row.
    """

    name = models.CharField(max_length=100, unique=True)
    country = models.CharField(
        max_length=2, blank=True, help_text=_("ISO 3166 code; empty = no public holidays")
    )
    subdivision = models.CharField(max_length=10, blank=True, default="")
    timezone = models.CharField(max_length=64)
    opening_hours = models.JSONField(default=list)
    is_default = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="calendar_one_default",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ClosedDay(models.Model):
    """A day the organisation is closed beyond the public holidays (e.g. a company day off)."""

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="closed_days"
    )
    date = models.DateField()
    reason = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "date"], name="closed_day_once_per_calendar"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.reason}".strip()


class RateLimitCounter(models.Model):
    """Attempts of one client at one action in one time window, shared by every web process.

    Written only by ``core.ratelimit`` with a single upsert; old windows are removed by housekeeping.
    """

    key = models.CharField(max_length=80)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="ratelimit_one_row")
        ]
        indexes = [models.Index(fields=["window_start"], name="ratelimit_window_idx")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


class ConfigurationToken(models.Model):
    """One row whose token changes on every configuration change (codes, promises, pauses,
    categories, calendars, the organisation's settings), in the change's own transaction: what a
    process caches from the configuration is cached under this token (``core.services
    .config_changed``, ``core.selectors.config_token``)."""

    token = models.CharField(max_length=32, default="")

    def __str__(self) -> str:
        return self.token


class Duty(models.Model):
    """A periodic duty of the workers (``core.duties``): one row per duty holding the lease that
    lets exactly one worker run it per period, whatever the number of workers, and the record of
    its last run. Written only by ``core.duties`` with conditional UPDATEs."""

    class Outcome(models.TextChoices):
        NEVER = "", _("Never ran")
        RUNNING = "running", _("Running")
        OK = "ok", _("Done")
        FAILED = "failed", _("Failed")

    name = models.CharField(max_length=60, unique=True)
    period = models.DurationField()
    lease_holder = models.CharField(max_length=200, blank=True, default="")  # host:pid
    lease_until = models.DateTimeField(null=True, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.CharField(
        max_length=10, choices=Outcome.choices, blank=True, default=Outcome.NEVER
    )
    last_error = models.TextField(blank=True, default="")
    runs = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    # runs begun after the previous holder's lease ended while it was still running (it died)
    takeovers = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_outcome__in=["", "running", "ok", "failed"]),
                name="duty_outcome_known",
            )
        ]

    def __str__(self) -> str:
        return self.name
