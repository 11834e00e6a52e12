"""Forms of management reviews: they parse what a person typed; the services validate."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from plaint.insights.forms import MonthField

TEXT = forms.Textarea(attrs={"rows": 4})


class ReviewForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    period_start = MonthField(label=_("From month"), required=True)
    period_end = MonthField(label=_("To month"), required=True)
    language = forms.ChoiceField(
        label=_("Language of the pack"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
    )


class ChangesForm(forms.Form):
    regulation = forms.CharField(
        label=_("Changes in regulation"), widget=TEXT, max_length=5000, required=False
    )
    products = forms.CharField(
        label=_("Changes in products and services"), widget=TEXT, max_length=5000, required=False
    )
    organisation = forms.CharField(
        label=_("Changes in the organisation"), widget=TEXT, max_length=5000, required=False
    )


class MeetingForm(forms.Form):
    meeting_on = forms.DateField(
        label=_("Meeting date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    attendees = forms.CharField(label=_("Attendees"), widget=TEXT, max_length=2000)
    decisions = forms.CharField(label=_("Decisions"), widget=TEXT, max_length=20000)
