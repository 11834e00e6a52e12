"""Recurring issues found among complaints (ISO 10002 8.3: systemic and recurring problems),
objectives and corrective actions (ISO 9001:2015 6.2 and 10.2; ISO 10002:2018 8.3 and 8.4).

A detection run scans the complaints received in a window and records the clusters it finds with
their members; the page shows the latest run. Clusters are findings, not cases: a person reads
them and decides whether one is worth a corrective action.

An indicator is stored as its spec (``indicators.spec_clean``): objectives compare its value over
their period with a target; a corrective action reads it at opening (the baseline) and again after
its actions (the check)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plaint.improvement.models_policy import (  # noqa: F401  (the app's models, one module each subject)
    Course,
    PolicyRole,
    PolicyState,
    PolicyVersion,
    TrainingRecord,
)
from plaint.improvement.models_returns import ReturnMapping  # noqa: F401 (Django finds models here)
from plaint.improvement.states import Comparison, Source, State


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


class Objective(models.Model):
    """A measurable objective: the indicator, the target it must reach (at least / at most) over a
    period of whole months, and who owns it."""

    name = models.CharField(max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    indicator = models.JSONField()
    comparison = models.CharField(max_length=2, choices=Comparison.choices)
    target = models.FloatField()
    period_start = models.DateField()  # first day of the first month
    period_end = models.DateField()  # first day of the last month (inclusive)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(comparison__in=["ge", "le"]), name="objective_comparison_known"
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="objective_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CorrectiveAction(models.Model):
    """One nonconformity worked to its cause, with actions and an effectiveness check."""

    title = models.CharField(max_length=200)
    state = models.CharField(max_length=32, choices=State.choices, default=State.OPEN)
    source = models.CharField(max_length=16, choices=Source.choices)
    source_ref = models.CharField(max_length=300, blank=True, default="")
    complaints = models.ManyToManyField("complaints.Complaint", related_name="+", blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    problem = models.TextField()
    containment = models.TextField(blank=True, default="")
    whys = models.JSONField(default=list, blank=True)  # the 5-whys, in order
    root_cause = models.TextField(blank=True, default="")
    # The cause tree (``causetree``): [{"id", "parent", "text", "root"}], parents before children.
    cause_tree = models.JSONField(default=list, blank=True)
    # The effectiveness check: the indicator, its criterion, the months it is read over.
    indicator = models.JSONField()
    comparison = models.CharField(max_length=2, choices=Comparison.choices)
    target = models.FloatField()
    window_months = models.PositiveSmallIntegerField(default=3)
    baseline_start = models.DateField()
    baseline_end = models.DateField()
    baseline = models.JSONField(default=dict)  # Reading.as_dict() at opening
    round = models.PositiveSmallIntegerField(default=1)
    check_start = models.DateField(null=True, blank=True)
    check_end = models.DateField(null=True, blank=True)
    check_due_on = models.DateField(null=True, blank=True)
    check_result = models.JSONField(default=dict, blank=True)  # Reading.as_dict() of the check
    effective = models.BooleanField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    check_reminded_at = models.DateTimeField(null=True, blank=True)  # "the check is due" told
    check_overdue_alerted_at = models.DateTimeField(null=True, blank=True)
    earlier_rounds = models.JSONField(default=list, blank=True)
    closing_note = models.TextField(blank=True, default="")
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["state", "check_due_on"], name="corrective_state_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=State.values), name="corrective_state_known"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=Source.values), name="corrective_source_known"
            ),
            models.CheckConstraint(
                condition=models.Q(comparison__in=["ge", "le"]),
                name="corrective_comparison_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"CA-{self.pk}"


class PlannedAction(models.Model):
    """One action of a corrective action: what, who, by when; done with its evidence."""

    corrective_action = models.ForeignKey(
        CorrectiveAction, on_delete=models.CASCADE, related_name="actions"
    )
    round = models.PositiveSmallIntegerField(default=1)
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    evidence = models.TextField(blank=True, default="")
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["corrective_action", "due_on", "id"]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=models.Q(done_at__isnull=True),
                name="planned_action_open_due_idx",
            )
        ]

    def __str__(self) -> str:
        return f"action {self.pk} of CA-{self.corrective_action_id}"


class AnalysisMonth(models.Model):
    """One slice of the analysis page's rollup (``plaint.improvement.rollup``): the complaints
    received in one UTC month before the rollup's watermark, as they stood at the last refresh,
    that match one filter of the page (``scope`` = ``scope_value``; no filter: both empty).

    The slice's total row (``dimension`` empty) holds the complaints received, decided and
    declined, the decided promise checks per promise key (``{key: [met, decided]}``) and the
    whole hours to acknowledge and to resolve as histograms in fixed bins (``rollup.BIN_EDGES``),
    sparse: (bin uint16, count uint32) pairs, little-endian. Its other rows hold the complaints
    received per value of one Pareto dimension (category id, cause code, product, channel)."""

    month = models.DateField()  # first day of the month
    scope = models.CharField(max_length=16, blank=True, default="")
    scope_value = models.CharField(max_length=200, blank=True, default="")
    dimension = models.CharField(max_length=16, blank=True, default="")
    value = models.CharField(max_length=200, blank=True, default="")
    received = models.PositiveIntegerField(default=0)
    decided = models.PositiveIntegerField(default=0)  # with a decision communicated
    declined = models.PositiveIntegerField(default=0)  # of those, the decision not accepted
    ack_hours = models.BinaryField(default=b"")
    resolve_hours = models.BinaryField(default=b"")
    promises = models.JSONField(default=dict)

    class Meta:
        indexes = [
            models.Index(fields=["scope", "scope_value", "month"], name="analysismonth_slice_idx"),
            models.Index(fields=["month"], name="analysismonth_month_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="analysismonth_first_of_month"
            )
        ]

    def __str__(self) -> str:
        return f"analysis {self.month:%Y-%m} {self.scope}={self.scope_value} {self.dimension}"


class AnalysisCase(models.Model):
    """One complaint of the analysis rollup (``plaint.improvement.rollup``), received before its
    watermark, as it stood at the last refresh: the values of the page's filters and Pareto
    dimensions, the whole hours to acknowledge and to resolve, whether decided and declined, and
    its decided promise checks per promise key (``{key: [met, decided]}``). What the page reads
    when two or more filters are set at once: the figures' columns only, about an eighth of a
    complaint's row, so reading every one of them costs a fraction of reading the complaints."""

    complaint_id = models.BigIntegerField(primary_key=True)  # derived rows: no foreign key
    month = models.DateField()  # first day of the UTC month of receipt
    category = models.BigIntegerField(null=True)  # the category's id
    cause = models.CharField(max_length=50, blank=True, default="")  # the root cause's code
    product = models.CharField(max_length=200, blank=True, default="")
    channel = models.CharField(max_length=16, blank=True, default="")
    team = models.BigIntegerField(null=True)  # the team's id
    segment = models.CharField(max_length=32, blank=True, default="")
    ack_hours = models.IntegerField(null=True)  # whole hours from receipt; None: not yet
    resolve_hours = models.IntegerField(null=True)
    decided = models.BooleanField(default=False)  # a decision communicated
    declined = models.BooleanField(default=False)  # that decision not accepted
    promises = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["month"], name="analysiscase_month_idx")]

    def __str__(self) -> str:
        return f"analysis of complaint {self.complaint_id}"


class AnalysisRollup(models.Model):
    """The one row saying how far ``AnalysisMonth`` goes: the complaints received before
    ``refreshed_at`` (the watermark), as they stood then; the page counts later receipts live."""

    refreshed_at = models.DateTimeField()  # the watermark
    rebuilt_at = models.DateTimeField()  # the last full rebuild
    months = models.PositiveIntegerField(default=0)  # months recomputed by the last refresh
    seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"analysis rollup up to {self.refreshed_at:%Y-%m-%d %H:%M}"


# Management review (ISO 10002 8.6, ISO 9001 9.3): its own module, registered with the app here.
# Internal audit lives in its own module; imported here so Django finds its models.
from plaint.improvement.models_audit import (  # noqa: E402
    Audit,
    AuditProgramme,
    ChecklistItem,
    Finding,
)
from plaint.improvement.models_review import ManagementReview, ReviewAction  # noqa: E402

__all__ = [
    "AnalysisCase",
    "AnalysisMonth",
    "AnalysisRollup",
    "Audit",
    "AuditProgramme",
    "ChecklistItem",
    "ClusterKind",
    "ClusterMember",
    "ClusterRun",
    "CorrectiveAction",
    "Finding",
    "ManagementReview",
    "Objective",
    "PlannedAction",
    "RecurringCluster",
    "ReviewAction",
]
