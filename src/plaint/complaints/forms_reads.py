"""The auditor's filters of the access log: a person, a case, a period."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from plaint.complaints.forms import int_or_none
from plaint.complaints.forms_choices import staff_member_choices
from plaint.complaints.models import Complaint
from plaint.complaints.selectors_reads import ReadFilters
from plaint.core.bounds import validate_day
from plaint.core.limits import max_length
from plaint.core.widgets import PlainSelect


class ReadLogFilterForm(forms.Form):
    """The log page's GET parameters; a value out of bounds is an error next to its filter."""

    user = forms.ChoiceField(label=_("Person"), required=False, widget=PlainSelect)
    case = forms.CharField(
        label=_("Case reference"),
        required=False,
        max_length=max_length(Complaint, "reference"),
        widget=forms.TextInput(attrs={"placeholder": "C-2026-000123"}),
    )
    start = forms.DateField(
        validators=[validate_day],
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        validators=[validate_day],
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["user"]).choices = staff_member_choices(
            str(_("anyone"))
        )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period comes before its start."))
        return cleaned

    def to_filters(self) -> ReadFilters:
        d = self.cleaned_data
        return ReadFilters(
            user=int_or_none(d.get("user")),
            case=(d.get("case") or "").strip(),
            start=d.get("start"),
            end=d.get("end"),
        )
