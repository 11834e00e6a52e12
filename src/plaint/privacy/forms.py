"""The Personal data pages' forms: find a person, place a hold, the retention rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from plaint.privacy.models import HOLD_REASON_MAX, RetentionPolicy
from plaint.privacy.selectors import QUERY_MAX
from plaint.privacy.services.retention import RULE_FIELDS, RULE_MAX


class FindForm(forms.Form):
    query = forms.CharField(
        label=_("E-mail, phone, name or case reference"),
        max_length=QUERY_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "auto"}),
    )


class HoldForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "C-2026-000123", "dir": "ltr"}),
    )
    person = forms.BooleanField(
        label=_("Hold all the cases of this case's complainant"), required=False
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=HOLD_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


class RetentionForm(forms.Form):
    """One whole number per rule; 0 switches the rule off."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in RULE_FIELDS:
            label = getattr(RetentionPolicy._meta.get_field(name), "help_text", name)
            self.fields[name] = forms.IntegerField(label=label, min_value=0, max_value=RULE_MAX)
