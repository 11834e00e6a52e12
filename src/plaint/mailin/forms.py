"""The quarantine's one form: the reference of the case a mail belongs to."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AttachForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=20,
        help_text=_("For example C-2026-000123."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
