"""Recurring issues found among complaints (ISO 10002 8.3: systemic and recurring problems).

A detection run scans the complaints received in a window and records the clusters it finds with
their members; the page shows the latest run. Clusters are findings, not cases: a person reads
them and decides whether one is worth a corrective action."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClusterKind(models.TextChoices):
    SAME_CAUSE = "same_cause", _("Same product and category")
    SIMILAR_TEXT = "similar_text", _("Similar wording")


class ClusterRun(models.Model):
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    scanned = models.PositiveIntegerField(default=0)
    found = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["-finished_at"], name="clusterrun_finished")]

    def __str__(self) -> str:
        return f"clusters {self.window_start:%Y-%m-%d}..{self.window_end:%Y-%m-%d}"


class RecurringCluster(models.Model):
    run = models.ForeignKey(ClusterRun, on_delete=models.CASCADE, related_name="clusters")
    kind = models.CharField(max_length=16, choices=ClusterKind.choices)
    product = models.CharField(max_length=200, blank=True, default="")
    category = models.ForeignKey(
        "complaints.Category", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    label = models.CharField(max_length=200)  # the subject of a member: what the cluster is about
    size = models.PositiveIntegerField()
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()

    class Meta:
        ordering = ["-size", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ClusterKind.values), name="cluster_kind_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.label} ({self.size})"


class ClusterMember(models.Model):
    cluster = models.ForeignKey(
        RecurringCluster, on_delete=models.CASCADE, related_name="memberships"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cluster", "complaint"], name="cluster_member_once")
        ]

    def __str__(self) -> str:
        return f"cluster {self.cluster_id}: complaint {self.complaint_id}"
