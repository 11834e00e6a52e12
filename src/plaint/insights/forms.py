"""Dashboard forms: filters, the sample-size planner, the comparison, the volume upload."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plaint.core.bounds import parse_month
from plaint.insights.models import Dimension
from plaint.insights.selectors.filters import POPULATION_MAX, add_months, month_of
from plaint.insights.selectors.planner import (
    MARGIN_MAX,
    MARGIN_MIN,
    PROPORTION_MAX,
    PROPORTION_MIN,
    RESPONSE_RATE_MIN,
)

CONFIDENCES = [("0.95", "95%"), ("0.9", "90%"), ("0.99", "99%")]


class MonthInput(forms.TextInput):
    input_type = "month"


class MonthField(forms.CharField):
    widget = MonthInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("YYYY-MM"))
        super().__init__(max_length=7, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_month(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


def default_period(end: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The period a report shows when none is chosen: the twelve months up to ``end`` (this UTC
    month when None), as the first days of its first and last months."""
    end = end or month_of(timezone.now())
    return add_months(end, -11), end


class DefaultPeriodMixin:
    """For a report's filter form with a period of months (the fields ``start`` and ``end``, which
    may be left empty): its month inputs show the months the page shows. An empty ``end`` is this
    month and an empty ``start`` the eleven months before ``end`` (``default_period``), filled in
    the form's data (unbound: its initial values), so the period is checked with them too (a
    ``start`` alone after this month is a period that ends before it starts)."""

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None:
            data = _with_period(data)
        super().__init__(data, *args, **kwargs)  # type: ignore[call-arg]
        if data is None:
            start, end = default_period()
            initial = cast(dict, self.initial)  # type: ignore[attr-defined]
            initial.setdefault("start", f"{start:%Y-%m}")
            initial.setdefault("end", f"{end:%Y-%m}")

    def period(self) -> tuple[dt.date, dt.date]:
        """The first days of the first and last months the page shows: those of a valid form,
        else ``default_period``'s (an unbound form's)."""
        data = getattr(self, "cleaned_data", None) or {}
        default_start, end = default_period(data.get("end"))
        return data.get("start") or default_start, end


def _with_period(data: Any) -> Any:
    """``data`` (a query string's values) with an empty period filled in as ``default_period``
    reads it; a ``start`` is not filled in after an ``end`` that is no month (its error shows)."""
    start, end = (str(data.get(name) or "").strip() for name in ("start", "end"))
    if start and end:
        return data
    data = data.copy() if isinstance(data, QueryDict) else dict(data)
    if not end:
        end = f"{default_period()[1]:%Y-%m}"
        data["end"] = end
    if not start:
        # not after an end that is no month (or has no month eleven months before it)
        with contextlib.suppress(ValueError, OverflowError):
            data["start"] = f"{default_period(parse_month(end))[0]:%Y-%m}"
    return data


def segment_choices(values: dict[str, list[tuple[str, str]]]) -> list:
    labels = dict(Dimension.choices)
    choices: list = [("", _("All responses"))]
    for dim, items in values.items():
        choices.append((labels.get(dim, dim), [(f"{dim}:{v}", label) for v, label in items]))
    return choices


def split_segment(raw: str | None) -> tuple[str, str]:
    """A segment choice ("dimension:value") as (dimension, value); ("", "") for all responses."""
    if not raw or ":" not in raw:
        return "", ""
    dim, value = raw.split(":", 1)
    return dim, value


class DashboardForm(DefaultPeriodMixin, forms.Form):
    survey = forms.ChoiceField(label=_("Survey"), required=False)
    start = MonthField(label=_("From month"))
    end = MonthField(label=_("To month"))
    segment = forms.ChoiceField(label=_("Segment"), required=False)
    breakdown = forms.ChoiceField(
        label=_("Break down by"),
        required=False,
        choices=[(d.value, d.label) for d in Dimension if d != Dimension.ALL],
    )
    confidence = forms.ChoiceField(label=_("Confidence"), required=False, choices=CONFIDENCES)
    population = forms.IntegerField(
        label=_("Population size"),
        required=False,
        min_value=1,
        max_value=POPULATION_MAX,
        help_text=_("For the margin of error; empty: the complaints closed in the period."),
    )
    min_count = forms.IntegerField(
        label=_("Hide cells with fewer answers than"),
        required=False,
        min_value=1,
        max_value=100_000,
        initial=10,
    )
    method = forms.ChoiceField(
        label=_("Importance"),
        required=False,
        choices=[
            ("regression", _("Derived: regression on the overall question")),
            ("correlation", _("Derived: correlation with the overall question")),
            ("stated", _("Stated weights")),
        ],
    )

    def __init__(self, *args, surveys: list[dict], segments: dict, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["survey"]).choices = [
            (s["key"], s["title"].get(language) or s["title"].get("en") or s["key"])
            for s in surveys
        ]
        cast(forms.ChoiceField, self.fields["segment"]).choices = segment_choices(segments)

    def split_segment(self) -> tuple[str, str]:
        return split_segment(self.cleaned_data.get("segment"))


class PlanForm(forms.Form):
    prefix = "plan"
    margin = forms.DecimalField(
        label=_("Margin of error (± percentage points)"),
        min_value=MARGIN_MIN * 100,
        max_value=MARGIN_MAX * 100,
        decimal_places=2,
        initial=5,
    )
    confidence = forms.ChoiceField(label=_("Confidence"), choices=CONFIDENCES)
    population = forms.IntegerField(
        label=_("Population size"), required=False, min_value=1, max_value=POPULATION_MAX
    )
    proportion = forms.DecimalField(
        label=_("Expected proportion (%)"),
        min_value=PROPORTION_MIN * 100,
        max_value=PROPORTION_MAX * 100,
        decimal_places=1,
        initial=50,
        required=False,
        help_text=_("50% needs the most responses; keep it unless you know better."),
    )
    response_rate = forms.DecimalField(
        label=_("Response rate (%)"),
        required=False,
        min_value=RESPONSE_RATE_MIN * 100,
        max_value=100,
        decimal_places=1,
        help_text=_("Empty: the survey's observed rate over the last 12 months."),
    )


class CompareForm(forms.Form):
    prefix = "cmp"
    question = forms.ChoiceField(label=_("Question"))
    a_start = MonthField(label=_("Group A from"))
    a_end = MonthField(label=_("Group A to"))
    a_segment = forms.ChoiceField(label=_("Group A segment"), required=False)
    b_start = MonthField(label=_("Group B from"))
    b_end = MonthField(label=_("Group B to"))
    b_segment = forms.ChoiceField(label=_("Group B segment"), required=False)

    def __init__(self, *args, questions: list[tuple[str, str]], segments: dict, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["question"]).choices = questions
        cast(forms.ChoiceField, self.fields["a_segment"]).choices = segment_choices(segments)
        cast(forms.ChoiceField, self.fields["b_segment"]).choices = segment_choices(segments)


class VolumeUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: month (YYYY-MM), orders, customers. One row per month."),
    )
