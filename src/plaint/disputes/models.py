"""The dispute-resolution providers an organisation offers its complainants (ISO 10003 5 and 6):
what each does, what it costs, its time limits, which complaints it may take, and the yearly
review of each. Amounts are decimals with an ISO 4217 currency beside them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plaint.disputes.lifecycle import Outcome, State
from plaint.disputes.states import (
    ConsentChannel,
    FeePayer,
    Method,
    ObligationKind,
    OpenedVia,
    ProviderKind,
    ReviewConclusion,
    Side,
    SubmissionKind,
)


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


class Dispute(models.Model):
    """One complaint before one provider. Its steps are ``plaint.disputes.lifecycle``; every change
    is an event in its hash-chained audit trail (``case_type`` "dispute")."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="disputes"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="disputes")
    method = models.CharField(max_length=16, choices=Method.choices)
    state = models.CharField(max_length=16, choices=State.choices, default=State.NOTICE)
    opened_via = models.CharField(max_length=16, choices=OpenedVia.choices)
    provider_reference = models.CharField(max_length=100, blank=True, default="")
    neutral = models.CharField(max_length=200, blank=True, default="")  # the provider's person
    # the neutral's account, when the provider's person signs in to the neutral's portal
    # (plaint.disputes.services.neutral); the name above stays for one given by the provider
    neutral_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    neutral_assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # copied from the provider's method when the dispute opens: later changes of the register do
    # not change what applied to this dispute
    binding_on_organisation = models.BooleanField(default=False)
    binding_on_complainant = models.BooleanField(default=False)
    claimed_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, default="")
    opened_at = models.DateTimeField()
    position_due = models.DateTimeField(null=True, blank=True)
    position_sent_at = models.DateTimeField(null=True, blank=True)
    file_complete_at = models.DateTimeField(null=True, blank=True)
    outcome_due = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True, default="")
    outcome_at = models.DateTimeField(null=True, blank=True)
    reasons = models.TextField(blank=True, default="")  # the neutral's reasons, as given
    lessons = models.TextField(blank=True, default="")  # what the organisation learned
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_reference"],
                condition=~models.Q(provider_reference=""),
                name="dispute_provider_reference_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(claimed_amount__isnull=True) | models.Q(claimed_amount__gte=0),
                name="dispute_claim_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "opened_at"], name="dispute_state_idx"),
            models.Index(fields=["provider", "opened_at"], name="dispute_provider_idx"),
            # the dispute reports' periods (selectors_dispute_reports)
            models.Index(fields=["opened_at"], name="dispute_opened_idx"),
            models.Index(fields=["outcome_at"], name="dispute_outcome_at_idx"),
            models.Index(fields=["closed_at"], name="dispute_closed_at_idx"),
            models.Index(
                fields=["neutral_user", "opened_at"],
                condition=models.Q(neutral_user__isnull=False),
                name="dispute_neutral_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return dispute_reference(self.pk)


def dispute_reference(dispute_id: int) -> str:
    """How people name a dispute: "D-14" (``Dispute.reference``), from its id alone."""
    return f"D-{dispute_id}"


class Submission(models.Model):
    """What a side put before the provider: the organisation's position, a submission in the
    exchange, a request for information or its answer."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="submissions")
    side = models.CharField(max_length=16, choices=Side.choices)
    kind = models.CharField(max_length=16, choices=SubmissionKind.choices)
    # a request for information: the side asked (a Side code); empty for everything else
    addressed_to = models.CharField(max_length=16, choices=Side.choices, blank=True, default="")
    text = models.TextField()
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # a file sent with it: the complainant's from the tracking page, or one staff added
    # (checked like every upload; an attachment of the complaint, not among its public files)
    attachment = models.ForeignKey(
        "core.Attachment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.dispute_id}: {self.kind} by {self.side}"


class NeutralDeclaration(models.Model):
    """A neutral's conflict-of-interest declaration on a dispute assigned to them, made before
    they see anything of the case. Written once; with a conflict the case stays closed to them
    and staff are told."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="declarations")
    neutral = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    conflict = models.BooleanField()
    details = models.TextField(blank=True, default="")  # the conflict, in the neutral's words
    declared_at = models.DateTimeField()

    class Meta:
        ordering = ["declared_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dispute", "neutral"], name="neutral_declaration_once"),
            models.CheckConstraint(
                condition=models.Q(conflict=False) | ~models.Q(details=""),
                name="neutral_conflict_has_details",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dispute_id}: neutral {self.neutral_id} conflict={self.conflict}"


class Consent(models.Model):
    """The complainant's informed consent to a referral: when, how, the exact words shown and the
    language they were shown in. Written once, never changed."""

    dispute = models.OneToOneField(Dispute, on_delete=models.CASCADE, related_name="consent")
    given_at = models.DateTimeField()
    channel = models.CharField(max_length=16, choices=ConsentChannel.choices)
    text_shown = models.TextField()
    language = models.CharField(max_length=8)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"consent to {self.dispute_id}"


class Obligation(models.Model):
    """One thing the outcome asks of the organisation (a refund, an apology, a repair by a date),
    tracked to completion with evidence."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="obligations")
    kind = models.CharField(max_length=16, choices=ObligationKind.choices)
    description = models.TextField()
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, default="")
    due_on = models.DateField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    evidence = models.TextField(blank=True, default="")
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=models.Q(done_at__isnull=True),
                name="obligation_open_due_idx",
            ),
            # obligations due in a period, done or not (the dispute reports' compliance)
            models.Index(fields=["due_on"], name="obligation_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.dispute_id}: {self.kind}"


class SettlementOffer(models.Model):
    """An offer the organisation makes to settle. Above the approval amount a manager approves it
    before it is made, and who approved it is recorded."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="offers")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    terms = models.TextField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    needs_approval = models.BooleanField(default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    made_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dispute_id}: {self.amount} {self.currency}"


class HeldNotice(models.Model):
    """A provider's notice Plaint could not match to a complaint: kept until a person matches it,
    never dropped."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    provider_reference = models.CharField(max_length=100)
    complaint_reference = models.CharField(max_length=100, blank=True, default="")
    details = models.TextField(blank=True, default="")
    received_at = models.DateTimeField()
    matched_to = models.ForeignKey(
        Dispute, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    matched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_reference"], name="held_notice_reference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider_id}: {self.provider_reference}"


class DisputeSettings(models.Model):
    """The organisation's dispute settings (one row): the settlement amount above which an offer
    needs a manager's approval."""

    approval_above = models.DecimalField(max_digits=12, decimal_places=2, default=500)
    currency = models.CharField(max_length=3, default="EUR")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"approval above {self.approval_above} {self.currency}"


class PolicyState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("In force")
    SUPERSEDED = "superseded", _("Superseded")


class PolicyBinding(models.TextChoices):
    """Whether the outcomes of the external processes the organisation offers bind it."""

    BINDING = "binding", _("Outcomes bind the organisation")
    BINDING_IF_ACCEPTED = (
        "if_accepted",
        _("Outcomes bind the organisation once the complainant accepts them"),
    )
    NOT_BINDING = "not_binding", _("Outcomes are recommendations to the organisation")
    PER_PROVIDER = "per_provider", _("As each provider's method says")


class DisputePolicy(models.Model):
    """One version of the organisation's dispute-resolution policy (ISO 10003 5.2): which
    disputes it offers external resolution for, its value limits, whether outcomes bind it.
    At most one draft and one version in force; publishing freezes a version."""

    version = models.PositiveIntegerField(unique=True)
    state = models.CharField(max_length=16, choices=PolicyState.choices, default=PolicyState.DRAFT)
    title = models.JSONField(default=dict, blank=True)  # {lang: text}
    scope = models.JSONField(default=dict, blank=True)  # {lang: which disputes it offers for}
    body = models.JSONField(default=dict, blank=True)  # {lang: the rest, blank-line paragraphs}
    min_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, default="")
    binding = models.CharField(
        max_length=16, choices=PolicyBinding.choices, default=PolicyBinding.PER_PROVIDER
    )
    change_note = models.CharField(max_length=500, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    effective_from = models.DateField(null=True, blank=True)
    effective_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=PolicyState.values), name="dispute_policy_state_known"
            ),
            models.UniqueConstraint(
                fields=["state"], condition=models.Q(state="draft"), name="dispute_policy_one_draft"
            ),
            models.UniqueConstraint(
                fields=["state"],
                condition=models.Q(state="published"),
                name="dispute_policy_one_in_force",
            ),
            models.CheckConstraint(
                condition=models.Q(min_value__isnull=True)
                | models.Q(max_value__isnull=True)
                | models.Q(min_value__lte=models.F("max_value")),
                name="dispute_policy_band_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"dispute policy v{self.version} ({self.state})"

    @property
    def languages(self) -> list[str]:
        """The languages this version has a text in, in the site's order."""
        return [code for code, _name in settings.LANGUAGES if self.scope.get(code)]


class LegalReferralState(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for a manager's review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class LegalReferral(models.Model):
    """Staff's record that a complaint needs referral to a legal or regulatory authority, with
    the reason, reviewed by a manager (approved, or returned with a note)."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="legal_referrals"
    )
    authority = models.CharField(max_length=200)
    reason = models.TextField()
    state = models.CharField(
        max_length=16, choices=LegalReferralState.choices, default=LegalReferralState.PROPOSED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=LegalReferralState.values),
                name="legal_referral_state_known",
            )
        ]
        indexes = [models.Index(fields=["state", "recorded_at"], name="legal_referral_state_idx")]

    def __str__(self) -> str:
        return f"legal referral {self.pk}"
