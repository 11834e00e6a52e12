"""The webhook form of the settings pages: it parses; the services decide (URL rules, events)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from plaint.webhooks.models import URL_MAX, EventName
from plaint.webhooks.services.config import NAME_MAX


class WebhookForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    url = forms.CharField(
        label=_("URL"),
        max_length=URL_MAX,
        help_text=_("Where Plaint sends the events, by POST. It must start with https://."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=EventName.choices, widget=forms.CheckboxSelectMultiple
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
