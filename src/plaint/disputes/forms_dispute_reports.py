"""The dispute reports' filters: a period of months (the last twelve by default), a provider and
a method; the annual report's calendar year."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plaint.disputes.models import Provider
from plaint.disputes.selectors_dispute_reports import ReportFilters
from plaint.disputes.states import Method
from plaint.insights.forms import DefaultPeriodMixin, MonthField
from plaint.insights.selectors.filters import add_months, utc_start

MAX_MONTHS = 120
FIRST_YEAR, LAST_YEAR = 2000, 2100


class DisputeReportForm(DefaultPeriodMixin, forms.Form):
    start = MonthField(label=_("From month"))
    end = MonthField(label=_("To month"))
    provider = forms.ModelChoiceField(
        label=_("Provider"),
        required=False,
        queryset=Provider.objects.order_by("name"),
        empty_label=_("All providers"),
    )
    method = forms.ChoiceField(
        label=_("Method"), required=False, choices=[("", _("All methods")), *Method.choices]
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The last month comes before the first."))
        elif start and end and (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
            self.add_error("start", _("Choose at most 120 months."))
        for name in ("start", "end"):
            month = data.get(name)
            if month and not FIRST_YEAR <= month.year <= LAST_YEAR:
                self.add_error(name, _("Choose a month from 2000 to 2100."))
        return data

    def filters(self) -> ReportFilters:
        """The filters of a valid (or unbound) form; no period: the last twelve months (UTC)."""
        data = getattr(self, "cleaned_data", {})
        start, end = self.period()
        provider = data.get("provider")
        return ReportFilters(
            start=utc_start(start),
            end=utc_start(add_months(end, 1)),
            provider=provider.pk if provider else None,
            method=data.get("method") or "",
        )


class AnnualReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)

    @staticmethod
    def default_year() -> int:
        return timezone.now().astimezone(dt.UTC).year

    def filters(self) -> ReportFilters:
        year = self.cleaned_data["year"]
        return ReportFilters(
            start=dt.datetime(year, 1, 1, tzinfo=dt.UTC),
            end=dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC),
        )
