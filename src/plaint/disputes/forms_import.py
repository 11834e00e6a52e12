"""The forms of the staff pages that import a provider's past outcomes: the file and whose it
is, then which column holds each field and how the provider's words read as Plaint's codes. The
rule lines are read as the complaint history import reads them ("word in the file | code")."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plaint.complaints.forms_imports import ColumnMappingForm
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


class OutcomeMappingForm(ColumnMappingForm):
    """One choice of column per field, the word rules per kind, the date order, the method."""

    targets, target_labels = TARGETS, TARGET_LABELS
    value_kinds, value_labels = VALUE_KINDS, VALUE_LABELS
    value_help = _("One rule a line: word in the file | Plaint's code.")
    value_rows = 4

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

    def values(self) -> dict[str, Any]:
        values = super().values()
        values["default_method"] = self.cleaned_data.get("default_method") or ""
        return values
