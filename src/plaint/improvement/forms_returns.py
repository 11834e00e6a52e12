"""The regulatory returns' forms: which return, for which half-year (the page's GET form, whose
parameters the exports and the API read too), and one mapping row."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from plaint.core.errors import ValidationFailed
from plaint.improvement.models_returns import ReturnFormat, SourceKind
from plaint.improvement.returns_formats import Period, period_default, period_parse, periods_recent


class ReturnForm(forms.Form):
    report = forms.ChoiceField(
        label=_("Regulatory return"), choices=ReturnFormat.choices, initial=ReturnFormat.HALF_YEARLY
    )
    # "2026-H1" reads left to right in every language (a right-to-left page would show "H1-2026")
    period = forms.ChoiceField(label=_("Half-year"), widget=forms.Select(attrs={"dir": "ltr"}))

    def __init__(self, data: Any, *, today: dt.date, zone: ZoneInfo) -> None:
        super().__init__(data)
        self.zone = zone
        recent = periods_recent(today, zone)
        choices = [(p.label, p.label) for p in recent]
        asked = str(self.data.get("period", "")) if self.is_bound else ""
        if asked and asked not in dict(choices):  # an older half-year, asked by its address
            with contextlib.suppress(ValidationFailed):
                choices.append((period_parse(asked, zone).label, asked))
        period_field = self.fields["period"]
        assert isinstance(period_field, forms.ChoiceField)
        period_field.choices = choices
        period_field.initial = period_default(today, zone).label

    def chosen(self) -> tuple[str, Period]:
        """The format and the half-year asked for (the defaults when the form is unbound)."""
        if self.is_bound and self.is_valid():
            d = self.cleaned_data
            return d["report"], period_parse(d["period"], self.zone)
        period = str(self.fields["period"].initial)
        return ReturnFormat.HALF_YEARLY, period_parse(period, self.zone)


class MappingForm(forms.Form):
    report = forms.ChoiceField(
        label=_("Regulatory return"), choices=ReturnFormat.choices, widget=forms.HiddenInput
    )
    kind = forms.ChoiceField(label=_("Plaint's value is a"), choices=SourceKind.choices)
    source = forms.CharField(
        label=_("Plaint's value"),
        max_length=200,
        help_text=_(
            "A category's or root cause's code, a product's name, or a code of the lists below; "
            "* for every value of its kind without a row of its own."
        ),
    )
    target = forms.CharField(label=_("The regulator's code"), max_length=100)
