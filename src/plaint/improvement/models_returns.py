"""Regulatory returns: how Plaint's own values (categories, products, root causes, outcomes,
remedies, channels, customer segments) are coded in a regulator's file. Kept as data, edited by
managers on the returns page; ``selectors_returns`` reads it when it writes a return."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReturnFormat(models.TextChoices):
    HALF_YEARLY = "half_yearly", _("Half-yearly complaints return")
    IDR = "idr", _("Per-complaint IDR data file")


class SourceKind(models.TextChoices):
    """Which of Plaint's values a mapping row codes."""

    CATEGORY = "category", _("Category")
    PRODUCT = "product", _("Product")
    ROOT_CAUSE = "root_cause", _("Root cause")
    OUTCOME = "outcome", _("Outcome")
    REMEDY = "remedy", _("Remedy")
    CHANNEL = "channel", _("Channel")
    SEGMENT = "segment", _("Customer segment")


# A mapping row whose source is this codes every value of its kind that has no row of its own
# (e.g. "every customer segment is an individual unless said otherwise").
ANY_VALUE = "*"


class ReturnMapping(models.Model):
    """One value of Plaint (``kind`` and ``source``: a category's code, a product's name, a root
    cause's code, an outcome, a remedy kind, a channel or a segment) and the code the regulator's
    file gives it (``target``) in one return format."""

    report = models.CharField(max_length=16, choices=ReturnFormat.choices)
    kind = models.CharField(max_length=16, choices=SourceKind.choices)
    source = models.CharField(max_length=200)
    target = models.CharField(max_length=100)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["report", "kind", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind", "source"], name="return_mapping_unique_source"
            ),
            models.CheckConstraint(
                condition=models.Q(report__in=ReturnFormat.values),
                name="return_mapping_report_known",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=SourceKind.values), name="return_mapping_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.kind} {self.source} -> {self.target}"
