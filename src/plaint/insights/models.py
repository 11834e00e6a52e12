"""Insights data: aggregates of survey answers (kept up to date on every response, rebuildable
from the raw answers) and the business volumes that turn complaint counts into rates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    ALL = "all", _("All responses")
    CHANNEL = "channel", _("Channel")
    CATEGORY = "category", _("Category")
    PRODUCT = "product", _("Product")
    LANGUAGE = "language", _("Language")
    SEGMENT = "segment", _("Customer segment")


class AnswerCount(models.Model):
    """How many submitted responses gave ``value`` to a scale question in a month, overall
    (dimension "all", segment "") and per segment value of each dimension. A single-choice
    question's answers are counted under ``value`` = the chosen option's position in
    ``Question.options`` (see docs/insights.md)."""

    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey("surveys.Question", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # first day of the month, UTC
    dimension = models.CharField(max_length=12, choices=Dimension.choices)
    segment = models.CharField(max_length=200, blank=True, default="")
    value = models.SmallIntegerField()
    count = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "dimension", "segment", "month", "value"],
                name="answercount_cell_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(dimension__in=list(Dimension.values)),
                name="answercount_dimension_known",
            ),
        ]
        indexes = [
            models.Index(fields=["survey", "dimension", "month"], name="answercount_survey_idx")
        ]

    def __str__(self) -> str:
        return (
            f"{self.question_id} {self.dimension}={self.segment} {self.month:%Y-%m}: {self.value}"
        )


class PairCount(models.Model):
    """How many submitted responses answered ``value_a`` to question a and ``value_b`` to
    question b (a < b, scale questions) in a month: the sufficient statistics of correlations and
    of the regression behind derived importance."""

    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="+")
    question_a = models.ForeignKey("surveys.Question", on_delete=models.CASCADE, related_name="+")
    question_b = models.ForeignKey("surveys.Question", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    value_a = models.SmallIntegerField()
    value_b = models.SmallIntegerField()
    count = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question_a", "question_b", "month", "value_a", "value_b"],
                name="paircount_cell_unique",
            ),
        ]
        indexes = [models.Index(fields=["survey", "month"], name="paircount_survey_idx")]

    def __str__(self) -> str:
        return f"{self.question_a_id}x{self.question_b_id} {self.month:%Y-%m}"


class VolumeImport(models.Model):
    """One upload of monthly business volumes, with the report of its rejected rows."""

    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=200, blank=True, default="")
    rows_total = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    # [{"line": 3, "errors": ["orders: not a whole number"]}]
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"volume import {self.pk}"


class PeriodVolume(models.Model):
    """Orders and customers served in a month: the denominators of complaint rates."""

    month = models.DateField(unique=True)  # first day of the month
    orders = models.PositiveIntegerField(null=True, blank=True)
    customers = models.PositiveIntegerField(null=True, blank=True)
    source = models.ForeignKey(
        VolumeImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="volumes"
    )
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["month"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="periodvolume_first_of_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class IndicatorMonth(models.Model):
    """The indirect indicators of one month (UTC) from the complaints received or closed before
    the rollup's watermark, rebuilt by ``indicator_months_rebuild``: what the dashboard reads so
    it does not scan the complaints table; it adds what came after the watermark. ``durations`` holds the exact times to
    resolve of the complaints closed in the month (microseconds, int64, sorted), so percentiles
    over any run of months are exact."""

    month = models.DateField(unique=True)  # first day of the month
    received = models.PositiveIntegerField(default=0)
    about_process = models.PositiveIntegerField(default=0)
    identified = models.PositiveIntegerField(default=0)  # received with an e-mail or phone
    repeats = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    durations = models.BinaryField(default=b"")

    class Meta:
        ordering = ["month"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="indicatormonth_first_of_month"
            )
        ]

    def __str__(self) -> str:
        return f"indicators {self.month:%Y-%m}"


class IndicatorRollup(models.Model):
    """The one row saying how far ``IndicatorMonth`` goes: everything received or closed before
    ``refreshed_at`` (the watermark) is in it; the rest is computed live."""

    boundary = models.DateField()  # the month of the watermark (its row is partial)
    refreshed_at = models.DateTimeField()  # the watermark
    seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"indicator rollup up to {self.refreshed_at:%Y-%m-%d %H:%M}"


class IndicatorContact(models.Model):
    """Per contact key ("e:" + e-mail, "p:" + last eight phone digits), the last receipt of a
    complaint before the rollup's watermark, for contacts seen in the 365 days before it: the
    live repeat check needs no scan of the past year (the rule: ``plaint.insights.sql``)."""

    key = models.CharField(max_length=260, primary_key=True)
    last_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key
