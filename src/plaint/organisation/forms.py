"""The forms of the organisation's settings and business calendars."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plaint.core.bounds import validate_day
from plaint.core.calendars import default_opening, parse_opening_hours
from plaint.core.models import BusinessCalendar


class OrganisationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Organisation name"), max_length=200)
    country = forms.CharField(
        label=gettext_lazy("Country (ISO code)"),
        max_length=2,
        help_text=gettext_lazy("Its public holidays are not business days."),
    )
    timezone = forms.CharField(label=gettext_lazy("Time zone"), max_length=64)
    acknowledgement_business_days = forms.IntegerField(
        label=gettext_lazy("Acknowledge within (business days)"), min_value=0, max_value=365
    )
    response_business_days = forms.IntegerField(
        label=gettext_lazy("Respond within (business days)"), min_value=1, max_value=365
    )
    no_answer_close_days = forms.IntegerField(
        label=gettext_lazy("Close without an answer after (days)"), min_value=1, max_value=365
    )
    contact_email = forms.EmailField(label=gettext_lazy("Contact e-mail"), required=False)
    contact_phone = forms.CharField(
        label=gettext_lazy("Contact phone"), required=False, max_length=40
    )
    team_visibility = forms.BooleanField(
        label=gettext_lazy("Handlers see only their own team's cases"), required=False
    )


WEEKDAYS = (
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
)


class CalendarForm(forms.Form):
    """A calendar's settings; each weekday has an opening and a closing time (both empty = closed)."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    country = forms.CharField(
        label=gettext_lazy("Country (ISO code)"),
        max_length=2,
        required=False,
        help_text=gettext_lazy("Its public holidays are closed days. Empty: no public holidays."),
    )
    subdivision = forms.CharField(
        label=gettext_lazy("Region"),
        max_length=10,
        required=False,
        help_text=gettext_lazy(
            "For regional holidays, e.g. SCT (Scotland), NSW (New South Wales)."
        ),
    )
    timezone = forms.CharField(label=gettext_lazy("Time zone"), max_length=64)
    is_default = forms.BooleanField(
        label=gettext_lazy("Default calendar of the organisation"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index, day in enumerate(WEEKDAYS):
            for name, label in (
                (f"opening_{index}", _("%(day)s opens") % {"day": day}),
                (f"closing_{index}", _("%(day)s closes") % {"day": day}),
            ):
                self.fields[name] = forms.TimeField(
                    label=label,
                    required=False,
                    widget=forms.TimeInput(
                        attrs={"type": "time", "aria-label": label}, format="%H:%M"
                    ),
                )

    def weekday_rows(self) -> list[tuple[str, Any, Any]]:
        return [
            (str(day), self[f"opening_{index}"], self[f"closing_{index}"])
            for index, day in enumerate(WEEKDAYS)
        ]

    def opening_hours(self) -> list[tuple[Any, Any] | None]:
        data = self.cleaned_data
        hours: list[tuple[Any, Any] | None] = []
        for index in range(7):
            start, end = data.get(f"opening_{index}"), data.get(f"closing_{index}")
            hours.append(None if start is None and end is None else (start, end))
        return hours

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "country": data["country"],
            "subdivision": data["subdivision"],
            "timezone": data["timezone"],
            "is_default": data["is_default"],
            "opening_hours": self.opening_hours(),
        }


def calendar_form_initial(
    row: BusinessCalendar | None = None, *, country: str = "", timezone: str = ""
) -> dict[str, Any]:
    """The calendar form's initial values: a saved calendar's, or a new one's in this country."""
    if row is None:
        opening = default_opening(country)
        initial: dict[str, Any] = {"country": country, "timezone": timezone}
    else:
        opening = parse_opening_hours(row.opening_hours) or default_opening(row.country)
        initial = {
            "name": row.name,
            "country": row.country,
            "subdivision": row.subdivision,
            "timezone": row.timezone,
            "is_default": row.is_default,
        }
    for index, hours in enumerate(opening):
        initial[f"opening_{index}"] = hours[0] if hours else None
        initial[f"closing_{index}"] = hours[1] if hours else None
    return initial


class ClosedDayForm(forms.Form):
    date = forms.DateField(
        validators=[validate_day],
        label=gettext_lazy("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)
