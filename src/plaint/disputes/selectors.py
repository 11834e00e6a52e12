"""Reads of the provider register, and which providers a complaint may go to (ISO 10003)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader, can_read_complaints, require
from plaint.complaints.models import Complaint
from plaint.complaints.states import OPEN as OPEN_COMPLAINT
from plaint.core.calendars import Unit, deadline
from plaint.core.errors import NotFound
from plaint.core.selectors import calendar_default, organisation_get
from plaint.disputes.models import EligibilityRule, Provider, ProviderMethod

READ = "read the dispute-resolution providers"


def _providers() -> QuerySet[Provider]:
    return (
        Provider.objects.prefetch_related(
            Prefetch("methods", queryset=ProviderMethod.objects.order_by("method")),
            Prefetch("rules", queryset=EligibilityRule.objects.prefetch_related("categories")),
        )
        .annotate(last_review_due=Max("reviews__next_review_due"))
        .order_by("name")
    )  # GROUP BY: no Meta.ordering


def provider_list(*, actor: Reader, active_only: bool = False) -> list[Provider]:
    """Every provider with its methods and rules (three queries whatever the count)."""
    require(can_read_complaints, actor, READ)
    providers = _providers()
    if active_only:
        providers = providers.filter(active=True)
    return list(providers)


def provider_get(*, actor: Reader, provider_id: int) -> Provider:
    require(can_read_complaints, actor, READ)
    provider = _providers().prefetch_related("reviews__reviewer").filter(pk=provider_id).first()
    if provider is None:
        raise NotFound(_("No such provider."))
    return provider


def review_due(provider: Provider) -> dt.date | None:
    """When the provider is next to be reviewed: the last review's date for the next one, or the
    evidence review date set on the provider, whichever comes first."""
    dates = [
        d for d in (getattr(provider, "last_review_due", None), provider.evidence_review_due) if d
    ]
    return min(dates) if dates else None


@dataclass
class Eligibility:
    """One provider's answer for one complaint: may it take the case, and if not, why not."""

    provider: Provider
    eligible: bool
    reasons: list[str] = field(default_factory=list)  # why not, one per rule that failed
    refer_by: dt.date | None = None  # the last day the complainant may refer


def response_deadline_missed(complaint: Complaint, now: dt.datetime | None = None) -> bool:
    """The complaint is still open without a decision and its deadline for the response has
    passed (its clock running): the organisation has not answered in time, which lets the
    complainant go to a provider as a final response would (ISO 10003 7.1)."""
    return (
        complaint.decision_at is None
        and complaint.state in OPEN_COMPLAINT
        and not complaint.response_paused
        and complaint.response_due_at < (now or timezone.now())
    )


def final_response_on(complaint: Complaint) -> dt.date | None:
    """The day of the organisation's final response (its decision, else its closing), in the
    organisation's time zone; while neither came, the day its deadline for the response passed,
    once it has (``response_deadline_missed``)."""
    moment = complaint.decision_at or complaint.closed_at
    if moment is None and response_deadline_missed(complaint):
        moment = complaint.response_due_at
    if moment is None:
        return None
    return timezone.localtime(moment, _office_zone()).date()


def _office_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(organisation_get().timezone)


def _rule_failures(
    rule: EligibilityRule,
    complaint: Complaint,
    value: Decimal | None,
    value_currency: str,
    jurisdiction: str,
    since_final: int | None,
) -> list[str]:
    failures: list[str] = []
    categories = {c.pk for c in rule.categories.all()}
    if categories and complaint.category_id not in categories:
        failures.append(_("its category is not one this provider takes"))
    if rule.products and complaint.product not in rule.products:
        failures.append(_("its product is not one this provider takes"))
    if rule.min_value is not None or rule.max_value is not None:
        if value is None:
            failures.append(_("the disputed amount is not known"))
        elif value_currency != rule.currency:
            failures.append(
                _("the disputed amount is not in %(currency)s") % {"currency": rule.currency}
            )
        elif (rule.min_value is not None and value < rule.min_value) or (
            rule.max_value is not None and value > rule.max_value
        ):
            failures.append(_("the disputed amount is outside the provider's limits"))
    jurisdictions = rule.jurisdictions or rule.provider.jurisdictions
    if jurisdictions and jurisdiction not in jurisdictions:
        failures.append(_("the complainant's country is outside its jurisdiction"))
    if rule.max_days_since_final_response is not None:
        if since_final is None:
            failures.append(_("the organisation has not given its final response yet"))
        elif since_final > rule.max_days_since_final_response:
            failures.append(_("too long has passed since the final response"))
    return failures


def eligible_providers(
    complaint: Complaint,
    *,
    value: Decimal | None = None,
    value_currency: str = "",
    jurisdiction: str = "",
    on: dt.date | None = None,
) -> list[Eligibility]:
    """Each active provider, eligible ones first: whether ``complaint`` (with the disputed
    ``value``, the complainant's country ``jurisdiction`` — the organisation's when empty) may go
    to it on day ``on``, the reasons when not, and the last day to refer. Called by services and
    by pages that have already checked the reader may see the complaint."""
    on = on or timezone.localdate()
    jurisdiction = (jurisdiction or organisation_get().country).upper()
    final = final_response_on(complaint)
    since_final = (on - final).days if final else None
    answers: list[Eligibility] = []
    for provider in provider_list_unchecked():
        if not provider.rules.all():
            answers.append(Eligibility(provider, False, [_("it has no eligibility rules")]))
            continue
        failures = [
            _rule_failures(
                rule, complaint, value, value_currency.upper(), jurisdiction, since_final
            )
            for rule in provider.rules.all()
        ]
        eligible = any(not f for f in failures)
        refer_by = None
        if eligible and final and provider.refer_within:
            refer_by = _refer_by(final, provider)
            if refer_by < on:
                eligible, failures = False, [[_("the time limit to refer has passed")]]
        reasons = [] if eligible else sorted({r for f in failures for r in f})
        answers.append(Eligibility(provider, eligible, reasons, refer_by))
    answers.sort(key=lambda a: (not a.eligible, a.provider.name.lower()))
    return answers


def due_after(start: dt.datetime, amount: int | None, unit: str) -> dt.datetime | None:
    """The deadline engine's answer for one of a provider's time limits, counted from ``start``
    (None: the provider sets none). Weeks count as seven calendar days; business days on the
    organisation's default business calendar."""
    if not amount:
        return None
    if unit == Unit.WEEKS:
        unit, amount = Unit.CALENDAR_DAYS, amount * 7
    calendar = calendar_default(organisation=organisation_get())
    return deadline(calendar, start, amount, Unit(unit))


def _refer_by(final: dt.date, provider: Provider) -> dt.date:
    """The last day to refer, counted from the day after the final response."""
    zone = _office_zone()
    start = dt.datetime.combine(final, dt.time(23, 59), tzinfo=zone)
    due = due_after(start, provider.refer_within, provider.refer_within_unit)
    assert due is not None  # called only for a provider with a time to refer
    return timezone.localtime(due, zone).date()


def provider_list_unchecked() -> list[Provider]:
    """The active providers with methods and rules, for services that already checked access."""
    return list(_providers().filter(active=True))
