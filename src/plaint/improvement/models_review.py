"""Management review (ISO 10002:2018 8.6; ISO 9001:2015 9.3): one review of one period, its
frozen pack of inputs, the meeting's record and the actions it decided.

The pack is built once (``services.review_pack_build``) and kept as a snapshot: ``pack`` holds
the figures of every section as JSON and ``pack_html`` the rendered sections (tables and SVG
charts) in the review's language, so the page and the PDF show exactly what the meeting
saw, whatever happens to the data afterwards."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from plaint.improvement.states_review import ReviewState


class ManagementReview(models.Model):
    title = models.CharField(max_length=200)
    period_start = models.DateField()  # first day of the first month
    period_end = models.DateField()  # first day of the last month (inclusive)
    # The language the pack is built and printed in (one of settings.LANGUAGES).
    language = models.CharField(max_length=8, default="en")
    state = models.CharField(max_length=16, choices=ReviewState.choices, default=ReviewState.DRAFT)
    # Changes that bear on the complaints-handling system (ISO 9001 9.3.2 b)
    changes_regulation = models.TextField(blank=True, default="")
    changes_products = models.TextField(blank=True, default="")
    changes_organisation = models.TextField(blank=True, default="")
    # The frozen pack
    pack = models.JSONField(default=dict, blank=True)
    pack_html = models.TextField(blank=True, default="")
    pack_built_at = models.DateTimeField(null=True, blank=True)
    # The meeting
    meeting_on = models.DateField(null=True, blank=True)
    attendees = models.TextField(blank=True, default="")
    decisions = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=ReviewState.values), name="review_state_known"
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="review_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"MR-{self.pk}"


class ReviewAction(models.Model):
    """An action the meeting decided: what, who, by when; done with its evidence."""

    review = models.ForeignKey(ManagementReview, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    evidence = models.TextField(blank=True, default="")
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review", "due_on", "id"]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=models.Q(done_at__isnull=True),
                name="review_action_open_due_idx",
            )
        ]

    def __str__(self) -> str:
        return f"action {self.pk} of MR-{self.review_id}"
