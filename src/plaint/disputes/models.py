"""The dispute-resolution providers an organisation offers its complainants (ISO 10003 5 and 6):
what each does, what it costs, its time limits, which complaints it may take, and the yearly
review of each. Amounts are decimals with an ISO 4217 currency beside them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plaint.disputes.states import FeePayer, Method, ProviderKind, ReviewConclusion


class Provider(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=16, choices=ProviderKind.choices)
    description = models.TextField(blank=True, default="")  # what it is, for complainants
    website = models.URLField(max_length=300, blank=True, default="")
    email = models.EmailField(blank=True, default="")
    phone = models.CharField(max_length=40, blank=True, default="")
    address = models.TextField(blank=True, default="")
    how_to_submit = models.TextField(blank=True, default="")  # how a complainant refers a case
    jurisdictions = models.JSONField(default=list, blank=True)  # ISO 3166-1 alpha-2 codes
    languages = models.JSONField(default=list, blank=True)  # language codes it works in
    # Time limits, each an amount and a unit of the deadline engine (plaint.core.calendars.Unit):
    # the complainant must refer within this long after the organisation's final response; the
    # organisation must answer a notice within this long; the provider decides within this long
    # of a complete file.
    refer_within = models.PositiveSmallIntegerField(null=True, blank=True)
    refer_within_unit = models.CharField(max_length=16, default="calendar_days")
    answer_within = models.PositiveSmallIntegerField(null=True, blank=True)
    answer_within_unit = models.CharField(max_length=16, default="business_days")
    decide_within = models.PositiveSmallIntegerField(null=True, blank=True)
    decide_within_unit = models.CharField(max_length=16, default="calendar_days")
    independence = models.TextField(blank=True, default="")  # evidence of impartiality
    competence = models.TextField(blank=True, default="")  # evidence of the neutrals' competence
    evidence_review_due = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=list(ProviderKind.values)), name="provider_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProviderMethod(models.Model):
    """One method a provider offers, whether its outcome binds each side, and its fee."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="methods")
    method = models.CharField(max_length=16, choices=Method.choices)
    binding_on_organisation = models.BooleanField(default=False)
    binding_on_complainant = models.BooleanField(default=False)
    fee = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, blank=True, default="")
    fee_payer = models.CharField(max_length=16, choices=FeePayer.choices, default=FeePayer.NONE)
    fee_note = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["provider_id", "method"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "method"], name="provider_method_unique"),
            models.CheckConstraint(condition=models.Q(fee__gte=0), name="provider_fee_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id}: {self.method}"


class EligibilityRule(models.Model):
    """Which complaints a provider may take. A complaint is eligible when every condition the rule
    sets holds; a provider with several rules takes what any of them allows; a provider with none
    takes nothing (an organisation says what it offers, it never offers by accident)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="rules")
    categories = models.ManyToManyField("complaints.Category", blank=True, related_name="+")
    products = models.JSONField(default=list, blank=True)  # exact product names; empty: any
    min_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, default="")
    jurisdictions = models.JSONField(default=list, blank=True)  # empty: the provider's own
    max_days_since_final_response = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["provider_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_value__isnull=True)
                | models.Q(max_value__isnull=True)
                | models.Q(min_value__lte=models.F("max_value")),
                name="eligibility_value_band_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id}: rule {self.pk}"


class ProviderReview(models.Model):
    """The yearly review of a provider: is it still independent, competent, timely and fair?"""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    conclusion = models.CharField(max_length=16, choices=ReviewConclusion.choices)
    findings = models.TextField()
    next_review_due = models.DateField()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["provider_id", "-reviewed_on", "-pk"]
        indexes = [models.Index(fields=["next_review_due"], name="provider_review_due_idx")]
        verbose_name = _("provider review")

    def __str__(self) -> str:
        return f"{self.provider_id}: {self.reviewed_on}"
