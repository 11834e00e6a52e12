"""The forms of the staff pages that import a provider's past outcomes: the file and whose it
is, then which column holds each field and how the provider's words read as Plaint's codes. The
rule lines are read as the complaint history import reads them ("word in the file | code")."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plaint.complaints.forms_imports import _rules
from plaint.core import csvfiles
from plaint.disputes.services.outcome_rows import TARGETS, VALUE_KINDS
from plaint.disputes.states import Method

TARGET_LABELS = {
    "complaint": _("Complaint reference"),
    "provider_reference": _("Provider's reference"),
    "method": _("Method"),
    "outcome": _("Outcome"),
    "opened_at": _("Opened"),
    "decided_at": _("Decided (the outcome's date)"),
    "claimed_amount": _("Amount claimed"),
    "currency": _("Currency"),
    "reasons": _("Reasons"),
}
VALUE_LABELS = {"outcome": _("Outcome words"), "method": _("Method words")}


class OutcomeUploadForm(forms.Form):
    provider = forms.TypedChoiceField(label=_("Provider"), coerce=int)
    file = forms.FileField(label=_("CSV or XLSX file"))
    encoding = forms.ChoiceField(
        label=_("Encoding"),
        choices=[("auto", _("Detect")), *csvfiles.ENCODINGS],
        initial="auto",
        required=False,
    )

    def __init__(self, *args: Any, providers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = self.fields["provider"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [("", "—"), *providers]


class OutcomeMappingForm(forms.Form):
    """One choice of column per field, the word rules per kind, the date order, the method."""

    dates = forms.ChoiceField(
        label=_("Dates written 03/04/2024 are"),
        choices=[
            ("day_first", _("3 March (day first)")),
            ("month_first", _("3 April (month first)")),
        ],
    )
    default_method = forms.ChoiceField(
        label=_("Method when the file does not say"),
        choices=[("", _("— from the outcome —")), *Method.choices],
        required=False,
    )

    def __init__(self, *args: Any, header: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        columns = [("", _("— not in the file —")), *((h, h) for h in header if h)]
        for target in TARGETS:
            self.fields[f"col_{target}"] = forms.ChoiceField(
                label=TARGET_LABELS[target], choices=columns, required=False
            )
        for kind in VALUE_KINDS:
            self.fields[f"values_{kind}"] = forms.CharField(
                label=VALUE_LABELS[kind],
                required=False,
                widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
                help_text=_("One rule a line: word in the file | Plaint's code."),
            )

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"col_{t}"] for t in TARGETS]

    def value_fields(self) -> list[forms.BoundField]:
        return [self[f"values_{k}"] for k in VALUE_KINDS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for kind in VALUE_KINDS:
            try:
                data[f"rules_{kind}"] = _rules(data.get(f"values_{kind}") or "")
            except forms.ValidationError as exc:
                self.add_error(f"values_{kind}", exc)
        return data

    def columns(self) -> dict[str, str]:
        return {t: self.cleaned_data[f"col_{t}"] for t in TARGETS if self.cleaned_data[f"col_{t}"]}

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {k: self.cleaned_data[f"rules_{k}"] for k in VALUE_KINDS}
        values["dates"] = self.cleaned_data["dates"]
        values["default_method"] = self.cleaned_data.get("default_method") or ""
        return values
