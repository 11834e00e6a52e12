"""Legal holds, the record of erasures, and the retention rules (one row of settings)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

HOLD_REASON_MAX = 1_000


class LegalHold(models.Model):
    """A hold on one complaint or on one complainant (a person): while it is in force (not
    released), neither erasure nor retention touches what it covers."""

    complaint = models.ForeignKey(
        "complaints.Complaint", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    complainant = models.ForeignKey(
        "complaints.Complainant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            (
                "handle_subject_requests",
                "Can find, export and erase a person's data (managers need it; admins have it)",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(complaint__isnull=False) | models.Q(complainant__isnull=False),
                name="legal_hold_has_subject",
            )
        ]
        indexes = [
            models.Index(
                fields=["complaint"],
                name="legal_hold_complaint_idx",
                condition=models.Q(released_at__isnull=True),
            ),
            models.Index(
                fields=["complainant"],
                name="legal_hold_complainant_idx",
                condition=models.Q(released_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"hold {self.pk}"

    @property
    def in_force(self) -> bool:
        return self.released_at is None


class Erasure(models.Model):
    """That a person's data was erased: when, by whom, how many rows of each kind changed. It
    holds nothing of the person (their chain in the audit trail is case type ``erasure``)."""

    class Kind(models.TextChoices):
        REQUEST = "request", _("Erasure on request")
        RETENTION = "retention", _("Retention rule")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    counts = models.JSONField(default=dict)  # {"complaints": 3, "messages": 7, ...}

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["request", "retention"]), name="erasure_kind_known"
            )
        ]

    def __str__(self) -> str:
        return f"erasure {self.pk} ({self.kind})"


class RetentionPolicy(models.Model):
    """The organisation's retention rules, one row (defaults: docs/privacy.md). Zero switches a
    rule off. ``last_run_at`` is when the worker last applied them (once a day)."""

    closed_complaint_months = models.PositiveSmallIntegerField(
        default=36, help_text=_("Anonymise a closed complaint this many months after closure")
    )
    outbox_days = models.PositiveSmallIntegerField(
        default=90, help_text=_("Delete sent or abandoned mails this many days after writing")
    )
    webhook_delivery_days = models.PositiveSmallIntegerField(
        default=90, help_text=_("Delete finished webhook deliveries after this many days")
    )
    case_read_months = models.PositiveSmallIntegerField(
        default=24, help_text=_("Delete access-log entries after this many months")
    )
    task_result_days = models.PositiveSmallIntegerField(
        default=30, help_text=_("Delete finished background jobs after this many days")
    )
    survey_import_hours = models.PositiveSmallIntegerField(
        default=24, help_text=_("Delete raw survey import files after this many hours")
    )
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return "retention rules"
