"""The analysis page's filters."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from plaint.accounts.models import Team
from plaint.complaints.models import Category, Channel, RootCause
from plaint.improvement.selectors import AnalysisFilters
from plaint.insights.forms import DefaultPeriodMixin, MonthField

MAX_MONTHS = 120


class AnalysisForm(DefaultPeriodMixin, forms.Form):
    start = MonthField(label=_("From month"))
    end = MonthField(label=_("To month"))
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=Category.objects.order_by("name")
    )
    product = forms.CharField(
        label=_("Product"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"list": "products"}),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", "—"), *Channel.choices]
    )
    team = forms.ModelChoiceField(
        label=_("Team"), required=False, queryset=Team.objects.order_by("name")
    )
    segment = forms.CharField(label=_("Segment"), required=False, max_length=32)

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The last month comes before the first."))
        elif start and end and (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
            self.add_error("start", _("Choose at most 120 months."))
        return data

    def filters(self) -> AnalysisFilters:
        """The filters of a valid form; an empty period means the last twelve months."""
        data = self.cleaned_data
        start, end = self.period()
        category, team = data.get("category"), data.get("team")
        return AnalysisFilters(
            start=start,
            end=end,
            category=category.pk if category else None,
            product=(data.get("product") or "").strip(),
            channel=data.get("channel") or "",
            team=team.pk if team else None,
            segment=(data.get("segment") or "").strip(),
        )


class RootCauseForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.SlugField(
        label=_("Code"),
        max_length=50,
        required=False,
        help_text=_("Letters, digits and hyphens; empty: made from the name."),
    )
    parent = forms.ChoiceField(label=_("Under"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        broad = RootCause.objects.filter(parent__isnull=True).order_by("name")
        cast(forms.ChoiceField, self.fields["parent"]).choices = [("", _("— a broad cause —"))] + [
            (c.code, c.name) for c in broad
        ]
