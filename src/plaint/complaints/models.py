"""Complainants, complaints, their messages and notes, and proposed remedies."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plaint.complaints.states import OPEN, ClosureReason, DisputeOutcome, State


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")
    IN_PERSON = "in_person", _("In person")
    API = "api", _("API")


class ContactChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class RemedyKind(models.TextChoices):
    APOLOGY = "apology", _("Apology")
    EXPLANATION = "explanation", _("Explanation")
    REFUND = "refund", _("Refund")
    REPLACEMENT = "replacement", _("Replacement")
    REPAIR = "repair", _("Repair")
    COMPENSATION = "compensation", _("Compensation")
    OTHER = "other", _("Other")


MONEY_REMEDIES = {RemedyKind.REFUND, RemedyKind.COMPENSATION}

# The longest text accepted in the fields below, which have no max_length (TextField: no limit in
# the database). This is their one declaration: forms and API schemas read these constants, as they
# read max_length of the CharFields (plaint.core.limits.max_length).
DESCRIPTION_MAX = 20_000  # Complaint.description
DESIRED_OUTCOME_MAX = 5_000  # Complaint.desired_outcome
# Complaint.findings, root_cause, decision, out_of_scope_reason, complainant_feedback, dispute_note:
# what handlers and complainants write at each step.
STEP_TEXT_MAX = 20_000
MESSAGE_BODY_MAX = 20_000  # Message.body
REMEDY_DESCRIPTION_MAX = 5_000  # Remedy.description


class Category(models.Model):
    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    active = models.BooleanField(default=True)
    # A restricted category (health, staff conduct): its cases are read by its named readers
    # and by nobody else, whatever their role (``complaints.visibility``).
    restricted = models.BooleanField(default=False, db_default=False)
    readers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class RootCause(models.Model):
    """An entry of the root-cause taxonomy (ISO 10002 8.3: analysis by cause). Editable by managers;
    a cause may sit under a broader one (``parent``) to form a cause tree. A complaint names its
    cause by ``code`` (the foreign key's value), so reading the code needs no join."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Complainant(models.Model):
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True, default="")
    phone = models.CharField(max_length=40, blank=True, default="")
    language = models.CharField(max_length=8, default="en")
    preferred_channel = models.CharField(
        max_length=16, choices=ContactChannel.choices, default=ContactChannel.EMAIL
    )
    consent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["email"], name="complainant_email_idx")]

    def __str__(self) -> str:
        return self.name


class ReturnedCharField(models.CharField):
    """A CharField whose value the database may compute in the INSERT (``complaint_submit`` sets
    the reference from a sequence there): the stored value is read back with ``RETURNING``."""

    db_returning = True


class ComplaintQuerySet(models.QuerySet["Complaint"]):
    def overdue(self, now: dt.datetime) -> ComplaintQuerySet:
        """The open complaints past a due date whose clock runs: the one definition of overdue,
        in SQL (``Complaint.is_overdue_at`` is the same rule on one row)."""
        acknowledgement = models.Q(
            acknowledged_at__isnull=True,
            acknowledgement_due_at__lt=now,
            acknowledgement_paused=False,
        )
        response = models.Q(response_due_at__lt=now, response_paused=False)
        return self.filter(models.Q(state__in=list(OPEN)) & (acknowledgement | response))


class Complaint(models.Model):
    reference = ReturnedCharField(max_length=20, unique=True, null=True, blank=True)
    complainant = models.ForeignKey(
        Complainant, on_delete=models.PROTECT, related_name="complaints"
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    received_at = models.DateTimeField()
    subject = models.CharField(max_length=200)
    description = models.TextField()
    desired_outcome = models.TextField(blank=True, default="")
    product = models.CharField(max_length=200, blank=True, default="")
    # The customer segment at receipt (a short code, e.g. "business"): promises can be restricted
    # to segments (ISO 10001). On the case, like channel and product, so it stays what it was.
    segment = models.CharField(max_length=32, blank=True, default="", db_default="")
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    about_process = models.BooleanField(
        default=False, help_text=_("The complaint is about the complaints-handling process itself")
    )
    severity = models.CharField(max_length=16, choices=Severity.choices, blank=True, default="")
    priority = models.CharField(max_length=16, choices=Priority.choices, default=Priority.NORMAL)
    safety_issue = models.BooleanField(default=False)
    state = models.CharField(max_length=32, choices=State.choices, default=State.RECEIVED)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement_due_at = models.DateTimeField()
    response_due_at = models.DateTimeField()
    decision_at = models.DateTimeField(null=True, blank=True)
    remedy_delivered_at = models.DateTimeField(null=True, blank=True)
    # Waiting on the complainant: the periods as [[start, end or null], ...] (ISO strings), which
    # stop the promise clocks that pause, and the state a resumed case returns to. Database
    # defaults too, so bulk loaders (bench/) that COPY the other columns keep working.
    paused_periods = models.JSONField(
        default=list, blank=True, db_default=models.Value([], output_field=models.JSONField())
    )
    resume_state = models.CharField(max_length=32, blank=True, default="", db_default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(
        max_length=16, choices=ClosureReason.choices, blank=True, default=""
    )
    # External dispute resolution (ISO 10003): the provider's outcome, recorded once after referral.
    dispute_provider = models.CharField(max_length=200, blank=True, default="", db_default="")
    dispute_outcome = models.CharField(
        max_length=40, choices=DisputeOutcome.choices, blank=True, default="", db_default=""
    )
    dispute_closed_on = models.DateField(null=True, blank=True)
    dispute_binding = models.BooleanField(null=True, blank=True)
    dispute_note = models.TextField(blank=True, default="", db_default="")
    out_of_scope_reason = models.TextField(blank=True, default="")
    findings = models.TextField(blank=True, default="")
    root_cause = models.TextField(blank=True, default="")
    # the cause from the taxonomy (the text above stays: what the handler wrote)
    cause = models.ForeignKey(
        RootCause,
        to_field="code",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_column="cause_code",
    )
    decision = models.TextField(blank=True, default="")
    complainant_feedback = models.TextField(blank=True, default="")
    tracking_digest = models.CharField(max_length=64, unique=True)
    # The queue's text search reads this one column: subject, description and the complainant's
    # name and e-mail, normalised (``complaints.services.search_document``). Kept by
    # the services that change any of those; one trigram index on PostgreSQL (migration 0003).
    search_document = models.TextField(blank=True, default="", editable=False)
    # Whether the clock of each due date is stopped (waiting on the complainant, and none of the
    # promises defining the date has a due time). Derived values the promises app keeps with the
    # due dates (``services.complaint_clocks_set``); while stopped, the date shows where the clock
    # stood, not a deadline, so the case is not overdue on it.
    acknowledgement_paused = models.BooleanField(default=False, db_default=False)
    response_paused = models.BooleanField(default=False, db_default=False)
    # A case imported from another system's history: where it came from (the import's source,
    # e.g. "cfpb") and its id there, unique per source, so importing the same file again updates
    # the case instead of adding another (``services.imports``). Empty for native cases.
    external_source = models.CharField(max_length=50, blank=True, default="", db_default="")
    external_id = models.CharField(max_length=100, blank=True, default="", db_default="")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        indexes = [
            # Keyset pagination of the queue: newest first, id breaks ties.
            models.Index(fields=["-received_at", "-id"], name="complaint_received_idx"),
            models.Index(fields=["state", "-received_at", "-id"], name="complaint_state_idx"),
            models.Index(fields=["assignee", "state"], name="complaint_assignee_idx"),
            models.Index(fields=["team", "state"], name="complaint_team_idx"),
            # Team visibility (complaints.visibility): a handler's queue count, whose condition
            # names these columns, reads this index alone (at 100,000 complaints, 2 ms against
            # 95 ms of reading the table).
            models.Index(
                fields=["team", "assignee", "category", "id"], name="complaint_visibility_idx"
            ),
            models.Index(fields=["category", "-received_at"], name="complaint_category_idx"),
            models.Index(fields=["response_due_at"], name="complaint_response_due_idx"),
            # With the one above, lets the "overdue only" filter find its rows by index (OR).
            models.Index(
                fields=["acknowledgement_due_at"],
                name="complaint_ack_due_idx",
                condition=models.Q(acknowledged_at__isnull=True),
            ),
            # The analysis page's "open now" figures (backlog by age, load per team and handler):
            # the open cases only, with the columns the figures and their filters read, so the
            # grouped statement is an index-only scan on PostgreSQL instead of a table scan.
            models.Index(
                fields=["received_at"],
                name="complaint_open_load_idx",
                include=["team", "assignee", "category", "channel", "segment"],
                condition=models.Q(state__in=sorted(OPEN)),
            ),
            # The indicators' "closed since the last rollup" and time-to-resolve reads.
            models.Index(
                fields=["closed_at"],
                name="complaint_closed_idx",
                condition=models.Q(closed_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=list(State.values)), name="complaint_state_known"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=list(Channel.values)), name="complaint_channel_known"
            ),
            models.UniqueConstraint(
                fields=["external_source", "external_id"],
                condition=~models.Q(external_id=""),
                name="complaint_external_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"complaint {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN

    def is_overdue_at(self, now: dt.datetime) -> bool:
        """``ComplaintQuerySet.overdue`` on this row: open, and past a due date whose clock runs
        (the acknowledgement's only until the case is acknowledged)."""
        if self.state not in OPEN:
            return False
        if (
            self.acknowledged_at is None
            and not self.acknowledgement_paused
            and self.acknowledgement_due_at < now
        ):
            return True
        return not self.response_paused and self.response_due_at < now

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_at(timezone.now())


class Message(models.Model):
    class Direction(models.TextChoices):
        INBOUND = "in", _("From the complainant")
        OUTBOUND = "out", _("To the complainant")
        INTERNAL = "note", _("Internal note")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["complaint", "created_at"], name="message_complaint_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(direction__in=["in", "out", "note"]),
                name="message_direction_known",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} on {self.complaint_id}"

    @property
    def is_public(self) -> bool:
        return self.direction != self.Direction.INTERNAL


class TrackingLink(models.Model):
    """A tracking link issued after the case's first one (``Complaint.tracking_digest``): every
    mail to the complainant carries a fresh link, and every link of the case stays valid. Only the
    SHA-256 of the token is stored, as for the first link."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="tracking_links"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"tracking link of {self.complaint_id}"


class RemedyQuerySet(models.QuerySet["Remedy"]):
    def current(self) -> RemedyQuerySet:
        """The remedies of the latest proposal: the one definition of what the case page, the
        tracking page, the decision mail and the API show as the remedies offered (in Python, for
        rows already read: ``Remedy.is_current``)."""
        return self.filter(superseded_at__isnull=True)

    def superseded(self) -> RemedyQuerySet:
        """The remedies of earlier proposals, replaced by a later one and kept for the record."""
        return self.filter(superseded_at__isnull=False)


class Remedy(models.Model):
    """One remedy of one proposal. A new proposal (a revision, or the answer of an internal
    review) supersedes the remedies of the earlier ones; they stay stored, with their round."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="remedies")
    # The proposal this remedy belongs to: 1 for the first ``propose_response`` of the case, 2 for
    # the next, and so on (the propose event's ``proposal`` in the audit trail).
    proposal = models.PositiveSmallIntegerField(default=1, db_default=1)
    kind = models.CharField(max_length=16, choices=RemedyKind.choices)
    description = models.TextField(blank=True, default="")
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, default="")
    proposed_at = models.DateTimeField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When a later proposal replaced this one's remedies; null while it is the current proposal.
    superseded_at = models.DateTimeField(null=True, blank=True)

    objects = RemedyQuerySet.as_manager()

    class Meta:
        ordering = ["proposal", "id"]  # as proposed
        verbose_name_plural = "remedies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="remedy_amount_positive",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_current(self) -> bool:
        """``RemedyQuerySet.current`` for one row: not replaced by a later proposal."""
        return self.superseded_at is None


REPLY_TEMPLATE_TEXT_MAX = 5_000  # each language's text of ReplyTemplate.texts


class ReplyTemplate(models.Model):
    """A reply a manager keeps ready (a "macro"): a text per language with placeholders that the
    case page fills in as plain text ({reference}, {name}, {due_date}, {organisation})."""

    name = models.CharField(max_length=100)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="reply_templates"
    )
    texts = models.JSONField(default=dict)  # language code -> text
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["active", "name"], name="reply_template_active_idx")]

    def __str__(self) -> str:
        return self.name


SAVED_VIEW_QUERY_MAX = 2_000  # SavedView.query and QueuePreference.last_query


class SavedView(models.Model):
    """A named set of the queue's filter parameters (a query string such as
    ``assignee=me&state=received``): its owner's, or shared with a team by a manager. Choosing it
    opens the queue with those parameters; the queue's one query path does the rest."""

    name = models.CharField(max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    # Shared with every member of this team; null: the owner's own view.
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    query = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["owner", "name"], name="saved_view_owner_idx"),
            models.Index(
                fields=["team", "name"],
                name="saved_view_team_idx",
                condition=models.Q(team__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class QueuePreference(models.Model):
    """What the queue remembers for one person: the filters they last looked at, restored when
    they open the queue without any (on any device, not only in one browser's cookie)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="queue_preference",
    )
    last_query = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"queue of {self.user_id}"


class ReadVia(models.TextChoices):
    """How a member of staff read a case."""

    PAGE = "page", _("Staff page")
    API = "api", _("API")
    ATTACHMENT = "attachment", _("Attachment download")


class CaseRead(models.Model):
    """One read of a case by a member of staff (ISO 10002 4.7, confidentiality: who saw the
    personal data of which complaint, when and how). Append-only: written once by
    ``case_read_record`` and never changed; the complainant's own tracking page is not staff and
    writes none. Kept until the retention rules of the complaint register exist; a user or
    complaint with reads is not deleted (PROTECT), so the log never loses its subject."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    via = models.CharField(max_length=12, choices=ReadVia.choices)

    class Meta:
        indexes = [
            # "who read this case", newest first, and "what did this person read"
            models.Index(fields=["complaint", "-at", "-id"], name="case_read_complaint_idx"),
            models.Index(fields=["user", "-at", "-id"], name="case_read_user_idx"),
            # the whole log, newest first (the auditor's page with no filter, a period)
            models.Index(fields=["-at", "-id"], name="case_read_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(via__in=list(ReadVia.values)),
                name="case_read_via_known",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.complaint_id} by {self.via}"


class ImportMapping(models.Model):
    """A saved column mapping of the complaint history import: which column of a file holds
    which Plaint field (``columns``: target → header), and how the file's values read as Plaint's
    codes (``values``: kind → {value in the file: code}) for channel, category, product, outcome
    and remedy. ``source`` names the other system; the external IDs are unique per source."""

    name = models.CharField(max_length=100, unique=True)
    source = models.SlugField(max_length=50)
    columns = models.JSONField(default=dict)
    values = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the worker")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ComplaintImport(models.Model):
    """One run of the complaint history import (or its dry run): what it read, how far it got,
    what it did and the refused rows with their line numbers (the first ``IMPORT_ERRORS_KEPT``)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True, default="")
    source = models.SlugField(max_length=50)
    file_name = models.CharField(max_length=255, blank=True, default="")
    upload = models.CharField(max_length=64, blank=True, default="")  # stored file's id
    columns = models.JSONField(default=dict)
    values = models.JSONField(default=dict)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    size = models.BigIntegerField(default=0)  # bytes of the file
    bytes_read = models.BigIntegerField(default=0)  # how far the reading got: the progress
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # [[line, message], ...]
    message = models.TextField(blank=True, default="")  # why a failed run stopped
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=list(ImportStatus.values)),
                name="complaint_import_status_known",
            )
        ]

    def __str__(self) -> str:
        return f"import {self.pk} from {self.source}"


IMPORT_ERRORS_KEPT = 1000
