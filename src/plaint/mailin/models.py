"""Every e-mail received: its raw bytes (kept for the retention period), what became of it and,
while it waits in the quarantine, why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    CASE = "case", _("Became a case")
    MESSAGE = "message", _("Added to a case")
    QUARANTINED = "quarantined", _("In quarantine")
    DISCARDED = "discarded", _("Discarded")


class Reason(models.TextChoices):
    """Why a mail waits in the quarantine."""

    PARSE_ERROR = "parse_error", _("The message could not be read")
    NO_SENDER = "no_sender", _("No usable sender address")
    AUTOMATIC = "automatic", _("An automatic message (auto-reply, delivery report, bulk mail)")
    RATE_LIMITED = "rate_limited", _("The sender sent too many messages in an hour")
    SENDER_MISMATCH = "sender_mismatch", _("It names a case but does not come from its complainant")
    CLOSED_CASE = "closed_case", _("A reply to a finished case")
    REFUSED = "refused", _("A case could not be made from it")


class InboundMail(models.Model):
    source = models.CharField(max_length=64)  # "imap:<mailbox>" or "http"
    received_at = models.DateTimeField()
    # "mid:<Message-ID>", or "sha256:<hash of the raw bytes>" when it has none: one row per mail
    dedupe_key = models.CharField(max_length=320)
    message_id = models.CharField(max_length=300, blank=True, default="")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    raw = models.FileField(upload_to="mailin/%Y/%m/", blank=True)
    sender = models.CharField(max_length=320, blank=True, default="")
    subject = models.CharField(max_length=300, blank=True, default="")
    language = models.CharField(max_length=8, blank=True, default="")
    status = models.CharField(max_length=16, choices=Status.choices)
    reason = models.CharField(max_length=32, choices=Reason.choices, blank=True, default="")
    detail = models.TextField(blank=True, default="")  # the parse error, attachments left out …
    complaint = models.ForeignKey(
        "complaints.Complaint", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case_message = models.ForeignKey(
        "complaints.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # the finished case a reply named, when it opened a new case instead
    follows = models.ForeignKey(
        "complaints.Complaint", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["-id"],
                name="inboundmail_quarantine_idx",
                condition=models.Q(status="quarantined"),
            ),
            models.Index(fields=["sender", "received_at"], name="inboundmail_sender_idx"),
            models.Index(fields=["message_id"], name="inboundmail_message_id_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], name="inboundmail_dedupe_key_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=["case", "message", "quarantined", "discarded"]),
                name="inboundmail_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"mail {self.pk} from {self.sender or '?'} ({self.status})"
