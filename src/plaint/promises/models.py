"""Codes of conduct (versioned), their promises, the per-complaint checks of each promise,
regulatory clock pauses, broken-promise claims and the regulatory profiles an organisation selected."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plaint.complaints.models import Channel
from plaint.core.calendars import Unit
from plaint.core.locales import text_in
from plaint.promises.states import CheckStatus, Clock, CodeState, Origin

# The longest text accepted in each language of Code.title and Promise.texts, and in
# Promise.conditions, Promise.exclusions, RegulatoryPause.reason and BrokenPromiseClaim.note (JSON and
# TextFields: no limit in the database). Their one declaration: forms and API schemas read it, as
# they read max_length of the CharFields.
TEXT_MAX = 5_000


def channel_labels(channels: list[str]) -> list[str]:
    """The channels a code or promise is scoped to (``Channel`` values), named in the reader's
    language; a value that is no channel is shown as stored."""
    labels = dict(Channel.choices)
    return [str(labels.get(channel, channel)) for channel in channels]


class Code(models.Model):
    """One version of a code of conduct. Versions of the same code share a ``slug``."""

    slug = models.SlugField(max_length=80)
    version = models.PositiveIntegerField(default=1)
    title = models.JSONField(default=dict, help_text=_("Title per language: {lang: text}"))
    owner = models.CharField(max_length=200, blank=True, default="")
    scope_products = models.JSONField(default=list, blank=True)
    scope_channels = models.JSONField(default=list, blank=True)
    scope_segments = models.JSONField(default=list, blank=True)
    effective_from = models.DateField(null=True, blank=True)
    effective_to = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=CodeState.choices, default=CodeState.DRAFT)
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.OWN)
    adopted_from = models.CharField(
        max_length=200, blank=True, default="", help_text=_("The body whose code was adopted")
    )
    source_document = models.CharField(max_length=300, blank=True, default="")
    source_url = models.CharField(max_length=500, blank=True, default="")
    profile_key = models.CharField(max_length=60, blank=True, default="")
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="code_slug_version_unique"),
            models.CheckConstraint(
                condition=models.Q(state__in=list(CodeState.values)), name="code_state_known"
            ),
            models.CheckConstraint(
                condition=models.Q(origin__in=list(Origin.values)), name="code_origin_known"
            ),
        ]
        indexes = [models.Index(fields=["state", "slug"], name="code_state_idx")]

    def __str__(self) -> str:
        return f"{text_in(self.title, 'en')} v{self.version}"

    def title_in(self, language: str) -> str:
        return text_in(self.title, language)

    @property
    def scope_channel_labels(self) -> list[str]:
        return channel_labels(self.scope_channels)

    @property
    def languages(self) -> list[str]:
        """Languages the code is written in: its title's (promise texts add theirs in selectors)."""
        return sorted(self.title)


class Promise(models.Model):
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="promises")
    position = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(
        max_length=80, help_text=_("Stable name of the promise across versions of its code")
    )
    texts = models.JSONField(default=dict, help_text=_("Text shown to customers: {lang: text}"))
    conditions = models.TextField(blank=True, default="")
    exclusions = models.TextField(blank=True, default="")
    clock = models.CharField(max_length=32, choices=Clock.choices)
    limit_amount = models.PositiveIntegerField(default=0)
    limit_unit = models.CharField(max_length=16, choices=Unit.choices, default=Unit.BUSINESS_DAYS)
    calendar = models.ForeignKey(
        "core.BusinessCalendar",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the organisation's default calendar"),
    )
    pauses_while_waiting = models.BooleanField(
        default=True, help_text=_("The clock stops while the case waits on the complainant")
    )
    honours_regulatory_pauses = models.BooleanField(default=True)
    target_rate = models.DecimalField(max_digits=5, decimal_places=4, default=0.95)
    at_risk_fraction = models.DecimalField(max_digits=4, decimal_places=3, default=0.8)
    measured_only = models.BooleanField(
        default=False,
        help_text=_(
            "Measured on the scorecard only: sets no due date on the complaint and sends no alerts"
        ),
    )
    categories = models.JSONField(default=list, blank=True, help_text=_("Category codes"))
    channels = models.JSONField(default=list, blank=True)
    products = models.JSONField(default=list, blank=True)
    segments = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["code", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["code", "key"], name="promise_key_unique_in_code"),
            models.CheckConstraint(
                condition=models.Q(clock__in=list(Clock.values)), name="promise_clock_known"
            ),
            models.CheckConstraint(
                condition=models.Q(limit_unit__in=list(Unit.values)), name="promise_unit_known"
            ),
            models.CheckConstraint(
                condition=models.Q(target_rate__gte=0, target_rate__lte=1),
                name="promise_target_is_a_rate",
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def channel_labels(self) -> list[str]:
        return channel_labels(self.channels)

    def text_in(self, language: str) -> str:
        return text_in(self.texts, language)


class PromiseCheck(models.Model):
    """Whether one promise was kept on one complaint. ``due_at`` is null while the clock is
    stopped open-endedly (waiting on the complainant) or has not started (no decision yet)."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="promise_checks"
    )
    promise = models.ForeignKey(Promise, on_delete=models.PROTECT, related_name="checks")
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    at_risk_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=CheckStatus.choices, default=CheckStatus.PENDING
    )
    notifies = models.BooleanField(default=True)
    met_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    notified_at_risk_at = models.DateTimeField(null=True, blank=True)
    notified_breach_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "promise"], name="promise_check_one_per_complaint"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=list(CheckStatus.values)),
                name="promise_check_status_known",
            ),
        ]
        indexes = [
            # The sweep reads only pending checks whose time came, and breaches not yet notified.
            models.Index(
                fields=["due_at"],
                name="check_pending_due_idx",
                condition=models.Q(status="pending"),
            ),
            models.Index(
                fields=["at_risk_at"],
                name="check_pending_risk_idx",
                condition=models.Q(status="pending", notified_at_risk_at__isnull=True),
            ),
            models.Index(
                fields=["id"],
                name="check_breach_unnotified_idx",
                condition=models.Q(
                    status="breached", notifies=True, notified_breach_at__isnull=True
                ),
            ),
            models.Index(fields=["promise", "status"], name="check_promise_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.promise_id} on {self.complaint_id}: {self.status}"


class RegulatoryPause(models.Model):
    """A regulator stopped the clock for one category of complaints (or all) over a period."""

    category = models.ForeignKey(
        "complaints.Category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: every category"),
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="regulatory_pause_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"pause {self.starts_at:%Y-%m-%d}-{self.ends_at:%Y-%m-%d}"


class BrokenPromiseClaim(models.Model):
    """The complainant says this promise was broken (a complaint about the code itself)."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="broken_promise_claims"
    )
    promise = models.ForeignKey(Promise, on_delete=models.PROTECT, related_name="claims")
    note = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "promise"], name="broken_promise_claim_once"
            )
        ]

    def __str__(self) -> str:
        return f"claim {self.promise_id} on {self.complaint_id}"


class ProfileSelection(models.Model):
    """A regulatory profile adopted for the whole organisation (blank scope) or a product line
    or category; ``code`` is the published code it produced."""

    profile_key = models.CharField(max_length=60)
    product_line = models.CharField(max_length=200, blank=True, default="")
    category = models.ForeignKey(
        "complaints.Category", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(default=True)
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    selected_at = models.DateTimeField()

    class Meta:
        ordering = ["-selected_at"]

    def __str__(self) -> str:
        return f"{self.profile_key} ({self.product_line or 'organisation'})"
