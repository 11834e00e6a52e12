"""The dispute workspace's forms. They parse; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from plaint.accounts.models import User
from plaint.disputes.lifecycle import Outcome
from plaint.disputes.models import Provider
from plaint.disputes.states import ConsentChannel, Method, ObligationKind, Side, SubmissionKind

CHANNELS = ConsentChannel.choices
OBLIGATION_KINDS = ObligationKind.choices
SIDES = Side.choices
SUBMISSION_KINDS = [c for c in SubmissionKind.choices if c[0] != SubmissionKind.POSITION]
OBLIGATION_ROWS = 3
TEXT = forms.Textarea(attrs={"rows": 3})


def _owners() -> Any:
    return User.objects.filter(is_active=True, role__in=["admin", "manager", "handler"]).order_by(
        "username"
    )


class ReferForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    claimed_amount = forms.DecimalField(
        label=_("Disputed amount"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    currency = forms.CharField(label=_("Currency"), required=False, max_length=3)
    channel = forms.ChoiceField(label=_("How the complainant agreed"), choices=CHANNELS)
    language = forms.ChoiceField(label=_("Language of the text shown"), choices=settings.LANGUAGES)
    text_shown = forms.CharField(
        label=_("The text the complainant was shown"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class NoticeForm(forms.Form):
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Provider.objects.order_by("name")
    )
    provider_reference = forms.CharField(label=_("The provider's reference"), max_length=100)
    complaint_reference = forms.CharField(
        label=_("Complaint reference (as the notice gives it)"), max_length=100, required=False
    )
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    details = forms.CharField(
        label=_("What the notice says"), required=False, max_length=5000, widget=TEXT
    )


class MatchForm(forms.Form):
    complaint = forms.CharField(label=_("Complaint reference"), max_length=40)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)


class PositionForm(forms.Form):
    position = forms.CharField(
        label=_("The organisation's position"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    reasons = forms.CharField(label=_("The neutral's reasons"), max_length=5000, widget=TEXT)
    neutral = forms.CharField(label=_("Neutral"), required=False, max_length=200)

    def __init__(self, *args: Any, allowed: frozenset[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if allowed is not None:
            field = self.fields["outcome"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [c for c in Outcome.choices if c[0] in allowed]
        for i in range(OBLIGATION_ROWS):
            self.fields[f"o{i}_kind"] = forms.ChoiceField(
                label=_("Obligation"), required=False, choices=[("", "—"), *OBLIGATION_KINDS]
            )
            self.fields[f"o{i}_description"] = forms.CharField(
                label=_("What"), required=False, max_length=5000
            )
            self.fields[f"o{i}_amount"] = forms.DecimalField(
                label=_("Amount"), required=False, min_value=0, max_digits=12, decimal_places=2
            )
            self.fields[f"o{i}_currency"] = forms.CharField(
                label=_("Currency"), required=False, max_length=3
            )
            self.fields[f"o{i}_due_on"] = forms.DateField(
                label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
            )
            self.fields[f"o{i}_owner"] = forms.ModelChoiceField(
                label=_("Owner"), required=False, queryset=_owners()
            )

    def obligation_rows(self) -> list[list[forms.BoundField]]:
        parts = ("kind", "description", "amount", "currency", "due_on", "owner")
        return [[self[f"o{i}_{p}"] for p in parts] for i in range(OBLIGATION_ROWS)]

    def obligations(self) -> list[dict[str, Any]]:
        d = self.cleaned_data
        rows = []
        for i in range(OBLIGATION_ROWS):
            if not d.get(f"o{i}_kind"):
                continue
            owner = d.get(f"o{i}_owner")
            rows.append(
                {
                    "kind": d[f"o{i}_kind"],
                    "description": d.get(f"o{i}_description") or "",
                    "amount": d.get(f"o{i}_amount"),
                    "currency": d.get(f"o{i}_currency") or "",
                    "due_on": d.get(f"o{i}_due_on"),
                    "owner_id": owner.pk if owner else 0,
                }
            )
        return rows


class AnswerForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=5000)


class CloseForm(forms.Form):
    lessons = forms.CharField(
        label=_("What the organisation learned"), max_length=5000, widget=TEXT
    )


class ExitForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=5000)


class SubmissionForm(forms.Form):
    side = forms.ChoiceField(label=_("From"), choices=SIDES)
    kind = forms.ChoiceField(label=_("Kind"), choices=SUBMISSION_KINDS)
    body = forms.CharField(label=_("Text"), max_length=5000, widget=TEXT)
    # checked for size and type by the service (``core.uploads``), like every upload
    attachment = forms.FileField(label=_("A file (optional)"), required=False)


class DoneForm(forms.Form):
    evidence = forms.CharField(
        label=_("Evidence (a payment reference, the date of the apology…)"), max_length=5000
    )


class OfferForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=12, decimal_places=2)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="EUR")
    terms = forms.CharField(label=_("Terms"), max_length=5000, widget=TEXT)
