"""The neutral's forms (their portal) and the staff form that assigns a neutral. They parse; the
services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plaint.accounts.models import User
from plaint.disputes.forms_cases import OBLIGATION_ROWS, TEXT, OutcomeForm

ANSWERS = [("no", _("I have no conflict of interest")), ("yes", _("I have a conflict of interest"))]
ASKABLE = [("organisation", _("The organisation")), ("complainant", _("The complainant"))]


class DeclarationForm(forms.Form):
    conflict = forms.ChoiceField(
        label=_("Conflict of interest"), choices=ANSWERS, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=_("The conflict (required when you have one)"),
        required=False,
        max_length=5000,
        widget=TEXT,
    )


class RequestForm(forms.Form):
    addressed_to = forms.ChoiceField(label=_("Ask"), choices=ASKABLE)
    body = forms.CharField(label=_("What you need"), max_length=5000, widget=TEXT)


class NeutralOutcomeForm(OutcomeForm):
    """The outcome form without the organisation's people: the neutral names no owner (the
    organisation's owner is chosen by the service) and is the neutral themselves."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["neutral"]
        for name in [n for n in self.fields if n.endswith("_owner")]:
            del self.fields[name]

    def obligation_rows(self) -> list[list[forms.BoundField]]:
        parts = ("kind", "description", "amount", "currency", "due_on")
        return [[self[f"o{i}_{p}"] for p in parts] for i in range(OBLIGATION_ROWS)]


class AssignForm(forms.Form):
    neutral = forms.ModelChoiceField(
        label=_("Neutral's account"),
        required=False,
        queryset=User.objects.filter(role="neutral", is_active=True).order_by("username"),
        empty_label=_("— nobody —"),
    )
    name = forms.CharField(label=_("Name as the provider gives it"), required=False, max_length=200)
