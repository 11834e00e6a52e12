"""The provider register's forms. They parse; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plaint.complaints.models import Category
from plaint.disputes.states import LIMIT_UNITS, FeePayer, Method, ProviderKind, ReviewConclusion

UNITS = [
    ("business_days", _("business days")),
    ("calendar_days", _("calendar days")),
    ("weeks", _("weeks")),
]
assert [u for u, _label in UNITS] == list(LIMIT_UNITS)


def _codes(value: str) -> list[str]:
    return [part for part in value.replace(",", " ").split() if part]


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProviderKind.choices)
    description = forms.CharField(
        label=_("What it is, for complainants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    website = forms.CharField(label=_("Website"), required=False, max_length=300)
    email = forms.CharField(label=_("E-mail"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    address = forms.CharField(
        label=_("Postal address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    how_to_submit = forms.CharField(
        label=_("How a complainant refers a case"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    jurisdictions = forms.CharField(
        label=_("Countries (ISO codes, e.g. EE LV)"), required=False, max_length=300
    )
    languages = forms.CharField(
        label=_("Languages (codes, e.g. et en)"), required=False, max_length=200
    )
    refer_within = forms.IntegerField(label=_("Time to refer"), required=False, min_value=1)
    refer_within_unit = forms.ChoiceField(label=_("Unit"), choices=UNITS, initial="calendar_days")
    answer_within = forms.IntegerField(
        label=_("Time for the organisation to answer"), required=False, min_value=1
    )
    answer_within_unit = forms.ChoiceField(label=_("Unit"), choices=UNITS, initial="business_days")
    decide_within = forms.IntegerField(
        label=_("Time to decide after a complete file"), required=False, min_value=1
    )
    decide_within_unit = forms.ChoiceField(label=_("Unit"), choices=UNITS, initial="calendar_days")
    independence = forms.CharField(
        label=_("Evidence of independence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    competence = forms.CharField(
        label=_("Evidence of competence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_review_due = forms.DateField(
        label=_("Evidence to be reviewed by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    active = forms.BooleanField(label=_("Offered to complainants"), required=False, initial=True)

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["jurisdictions"] = _codes(data["jurisdictions"])
        data["languages"] = _codes(data["languages"])
        return data


class MethodsForm(forms.Form):
    """The three methods side by side: offered or not, bindings and fee."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for method, label in Method.choices:
            self.fields[f"{method}_offered"] = forms.BooleanField(label=label, required=False)
            self.fields[f"{method}_binding_org"] = forms.BooleanField(
                label=_("Binds the organisation"), required=False
            )
            self.fields[f"{method}_binding_complainant"] = forms.BooleanField(
                label=_("Binds the complainant"), required=False
            )
            self.fields[f"{method}_fee"] = forms.DecimalField(
                label=_("Fee"), required=False, min_value=0, max_digits=10, decimal_places=2
            )
            self.fields[f"{method}_currency"] = forms.CharField(
                label=_("Currency"), required=False, max_length=3
            )
            self.fields[f"{method}_payer"] = forms.ChoiceField(
                label=_("Who pays"), choices=FeePayer.choices, initial=FeePayer.NONE
            )

    def rows(self) -> list[list[forms.BoundField]]:
        return [
            [
                self[f"{m}_{part}"]
                for part in (
                    "offered",
                    "binding_org",
                    "binding_complainant",
                    "fee",
                    "currency",
                    "payer",
                )
            ]
            for m in Method.values
        ]

    def methods(self) -> list[dict[str, Any]]:
        d = self.cleaned_data
        return [
            {
                "method": m,
                "binding_on_organisation": d[f"{m}_binding_org"],
                "binding_on_complainant": d[f"{m}_binding_complainant"],
                "fee": d[f"{m}_fee"] or 0,
                "currency": d[f"{m}_currency"],
                "fee_payer": d[f"{m}_payer"],
            }
            for m in Method.values
            if d[f"{m}_offered"]
        ]

    @staticmethod
    def initial_for(provider: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for row in provider.methods.all():
            m = row.method
            initial.update(
                {
                    f"{m}_offered": True,
                    f"{m}_binding_org": row.binding_on_organisation,
                    f"{m}_binding_complainant": row.binding_on_complainant,
                    f"{m}_fee": row.fee or None,
                    f"{m}_currency": row.currency,
                    f"{m}_payer": row.fee_payer,
                }
            )
        return initial


class RuleForm(forms.Form):
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories (none: any)"),
        required=False,
        queryset=Category.objects.filter(active=True).order_by("name"),
    )
    products = forms.CharField(
        label=_("Products (one per line; none: any)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    min_value = forms.DecimalField(
        label=_("Lowest amount"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    max_value = forms.DecimalField(
        label=_("Highest amount"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    currency = forms.CharField(label=_("Currency"), required=False, max_length=3)
    jurisdictions = forms.CharField(
        label=_("Countries (none: the provider's)"), required=False, max_length=300
    )
    max_days_since_final_response = forms.IntegerField(
        label=_("At most days since the final response"),
        required=False,
        min_value=1,
        max_value=3650,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "category_ids": [c.pk for c in d["categories"]],
            "products": [p.strip() for p in d["products"].splitlines() if p.strip()],
            "min_value": d["min_value"],
            "max_value": d["max_value"],
            "currency_code": d["currency"],
            "jurisdictions": _codes(d["jurisdictions"]),
            "max_days_since_final_response": d["max_days_since_final_response"],
            "note": d["note"],
        }


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(
        label=_("Reviewed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=ReviewConclusion.choices)
    findings = forms.CharField(
        label=_("Findings (independence, competence, timeliness, fairness)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_review_due = forms.DateField(
        label=_("Next review (empty: in a year)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class EligibilityForm(forms.Form):
    complaint = forms.CharField(label=_("Complaint reference"), max_length=40)
    value = forms.DecimalField(
        label=_("Disputed amount"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    currency = forms.CharField(label=_("Currency"), required=False, max_length=3)
    country = forms.CharField(label=_("Complainant's country"), required=False, max_length=2)
