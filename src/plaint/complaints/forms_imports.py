"""The forms of the complaint history import's staff pages: the file, then what each column holds
and how the file's values read as Plaint's codes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plaint.complaints.services import TARGETS, VALUE_KINDS
from plaint.core import csvfiles

TARGET_LABELS = {
    "external_id": _("ID in the other system"),
    "received_at": _("Received"),
    "subject": _("Subject"),
    "description": _("Description"),
    "desired_outcome": _("Desired outcome"),
    "name": _("Complainant's name"),
    "email": _("E-mail"),
    "phone": _("Phone"),
    "language": _("Language"),
    "channel": _("Channel"),
    "category": _("Category"),
    "product": _("Product or service"),
    "segment": _("Customer segment"),
    "acknowledged_at": _("Acknowledged"),
    "decided_at": _("Responded (decision)"),
    "closed_at": _("Closed"),
    "referred_at": _("Referred to external dispute resolution"),
    "outcome": _("Outcome of a closed case"),
    "remedy": _("Remedy offered"),
    "decision": _("Decision text"),
}
VALUE_LABELS = {
    "channel": _("Channel values"),
    "category": _("Category values"),
    "product": _("Product values"),
    "outcome": _("Outcome values"),
    "remedy": _("Remedy values"),
}


class HistoryUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    source = forms.SlugField(
        label=_("Source"),
        max_length=50,
        required=False,
        help_text=_("A short code for the other system, e.g. cfpb: IDs are unique per source."),
    )
    mapping = forms.ChoiceField(label=_("Saved mapping"), required=False)
    encoding = forms.ChoiceField(
        label=_("Encoding"),
        choices=[("auto", _("Detect")), *csvfiles.ENCODINGS],
        initial="auto",
        required=False,
    )

    def __init__(self, *args: Any, mappings: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = self.fields["mapping"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [("", _("— none: recognise the columns —")), *((m, m) for m in mappings)]


def _rules(text: str) -> dict[str, str]:
    """ "value in the file | code" a line → {value: code}."""
    rules: dict[str, str] = {}
    for raw in text.splitlines():
        if not raw.strip():
            continue
        value, bar, code = raw.partition("|")
        if not bar:
            raise forms.ValidationError(
                _("Write each rule as “value in the file | code”: %(line)s") % {"line": raw}
            )
        rules[value.strip()] = code.strip()
    return rules


def rules_text(rules: Mapping[str, str]) -> str:
    return "\n".join(f"{value} | {code}" for value, code in rules.items())


class ColumnMappingForm(forms.Form):
    """What an import's mapping page asks: a column of the file per field (``targets``, labelled by
    ``target_labels``) and the value rules per kind ("value in the file | code" a line). The
    complaint history import and the disputes' import of past outcomes each name their own."""

    targets: tuple[str, ...] = ()
    target_labels: Mapping[str, Any] = {}
    value_kinds: tuple[str, ...] = ()
    value_labels: Mapping[str, Any] = {}
    value_help: Any = _("One rule a line: value in the file | Plaint's code.")
    value_rows = 3

    def __init__(self, *args: Any, header: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        columns = [("", _("— not in the file —")), *((h, h) for h in header if h)]
        for target in self.targets:
            self.fields[f"col_{target}"] = forms.ChoiceField(
                label=self.target_labels[target], choices=columns, required=False
            )
        for kind in self.value_kinds:
            self.fields[f"values_{kind}"] = forms.CharField(
                label=self.value_labels[kind],
                required=False,
                widget=forms.Textarea(attrs={"rows": self.value_rows, "dir": "auto"}),
                help_text=self.value_help,
            )

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"col_{t}"] for t in self.targets]

    def value_fields(self) -> list[forms.BoundField]:
        return [self[f"values_{k}"] for k in self.value_kinds]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for kind in self.value_kinds:
            try:
                data[f"rules_{kind}"] = _rules(data.get(f"values_{kind}") or "")
            except forms.ValidationError as exc:
                self.add_error(f"values_{kind}", exc)
        return data

    def columns(self) -> dict[str, str]:
        chosen = self.cleaned_data
        return {t: chosen[f"col_{t}"] for t in self.targets if chosen[f"col_{t}"]}

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {k: self.cleaned_data[f"rules_{k}"] for k in self.value_kinds}
        values["dates"] = self.cleaned_data["dates"]
        return values


class HistoryMappingForm(ColumnMappingForm):
    """One choice of column per field, the value rules per kind, the source, the date order."""

    targets, target_labels = TARGETS, TARGET_LABELS
    value_kinds, value_labels = VALUE_KINDS, VALUE_LABELS

    source = forms.SlugField(label=_("Source"), max_length=50)
    dates = forms.ChoiceField(
        label=_("Dates written 03/04/2024 are"),
        choices=[
            ("month_first", _("3 April (month first)")),
            ("day_first", _("3 March (day first)")),
        ],
    )
    save_as = forms.CharField(
        label=_("Save this mapping as"), max_length=100, required=False,
        help_text=_("Optional: a name to use this mapping again."),
    )  # fmt: skip


def mapping_initial(columns: Mapping[str, str], values: Mapping[str, Any], source: str) -> dict:
    initial: dict[str, Any] = {f"col_{t}": c for t, c in columns.items()}
    for kind in VALUE_KINDS:
        initial[f"values_{kind}"] = rules_text(values.get(kind) or {})
    initial["dates"] = values.get("dates", "month_first")
    initial["source"] = source
    return initial
