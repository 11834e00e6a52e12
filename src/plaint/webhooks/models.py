"""A receiver of case events (``Webhook``) and each event sent to it (``WebhookDelivery``, an
outbox row written in the transaction of the change, delivered by the worker)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventName(models.TextChoices):
    """The events a webhook may ask for: stable codes sent as ``event`` in every body."""

    COMPLAINT_CREATED = "complaint.created", _("A complaint was received")
    COMPLAINT_STEP_DONE = "complaint.step_done", _("A step moved a complaint to another state")
    COMPLAINT_CLOSED = "complaint.closed", _("A complaint was closed or withdrawn")
    PROMISE_BREACHED = "promise.breached", _("A promise on a complaint was breached")
    SURVEY_ANSWERED = "survey.answered", _("A survey was answered")


URL_MAX = 500


class Webhook(models.Model):
    """Where to POST which events. ``secret`` signs every delivery, so it is kept (it cannot be a
    digest) but shown only once, when it is made or rotated."""

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=URL_MAX)
    events = models.JSONField(default=list)  # a list of EventName codes
    secret = models.CharField(max_length=100)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    secret_rotated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.url})"


class WebhookDelivery(models.Model):
    """One event for one webhook: its exact body (what is signed), and how delivery went."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Gave up")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    delivery_id = models.CharField(max_length=36)  # a UUID, sent as X-Plaint-Delivery
    event = models.CharField(max_length=40, choices=EventName.choices)
    body = models.TextField()
    created_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # What the workers' drain reads: pending deliveries by due time (as the mail outbox).
            models.Index(
                fields=["next_attempt_at", "id"],
                name="webhook_delivery_due_idx",
                condition=models.Q(status="pending"),
            ),
            # The delivery log on a webhook's page: newest first.
            models.Index(fields=["webhook", "-id"], name="webhook_delivery_log_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "delivered", "failed"]),
                name="webhook_delivery_status_known",
            ),
            models.UniqueConstraint(fields=["delivery_id"], name="webhook_delivery_id_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.event} to webhook {self.webhook_id} ({self.status})"
