"""The organisation's configuration pages: its settings, its business calendars and the workers'
periodic duties. Every staff member reads the calendars; managers and admins change them (the
services check too) and read the duties."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone as django_timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from plaint.accounts.access import can_configure, is_staff_member
from plaint.accounts.gates import staff_page
from plaint.core.actors import Actor
from plaint.core.calendars import Calendar, Opening, holiday_names
from plaint.core.errors import NotAllowed, PlaintError, ValidationFailed
from plaint.core.selectors import (
    calendar_default,
    calendar_list,
    calendar_row_get,
    calendar_value,
    duty_statuses,
    organisation_get,
)
from plaint.core.views import apply_form_errors, error_response, in_organisation_timezone
from plaint.organisation.forms import (
    WEEKDAYS,
    CalendarForm,
    ClosedDayForm,
    OrganisationForm,
    calendar_form_initial,
)
from plaint.organisation.services import (
    ORGANISATION_FIELDS,
    calendar_create,
    calendar_update,
    closed_day_add,
    closed_day_remove,
    organisation_update,
)

CALENDARS_REFUSED = gettext_lazy("Only managers and admins change calendars.")


@staff_page(can_configure, refusal=gettext_lazy("Only managers and admins change settings."))
def organisation_settings(request: HttpRequest) -> HttpResponse:
    """Managers and admins edit the organisation's settings."""
    org = organisation_get()
    initial: dict[str, Any] = {f: getattr(org, f) for f in ORGANISATION_FIELDS}
    org_form = OrganisationForm(initial=initial, prefix="org")
    status = 200
    if request.method == "POST":
        org_form = OrganisationForm(request.POST, initial=initial, prefix="org")
        if org_form.is_valid():
            try:
                organisation_update(actor=Actor.staff(request.user), **org_form.cleaned_data)
            except ValidationFailed as exc:
                apply_form_errors(org_form, exc)
            except PlaintError as exc:
                return error_response(request, exc)
            else:
                messages.success(request, _("Settings saved."))
                return redirect("staff:settings")
        status = 422
    return render(request, "organisation/settings.html", {"org_form": org_form}, status=status)


@staff_page(is_staff_member, refusal=gettext_lazy("Only staff see business calendars."))
def calendar_list_page(request: HttpRequest) -> HttpResponse:
    """Every business calendar; managers and admins add new ones. Other staff read."""
    may_edit = can_configure(request.user)
    org = organisation_get()
    form = CalendarForm(
        initial=calendar_form_initial(country=org.country, timezone=org.timezone), prefix="cal"
    )
    status = 200
    if request.method == "POST":
        if not may_edit:
            return error_response(request, NotAllowed(str(CALENDARS_REFUSED)))
        form = CalendarForm(request.POST, prefix="cal")
        if form.is_valid():
            try:
                row = calendar_create(actor=Actor.staff(request.user), **form.service_kwargs())
            except ValidationFailed as exc:
                apply_form_errors(form, exc)
            except PlaintError as exc:
                return error_response(request, exc)
            else:
                messages.success(request, _("Calendar “%(name)s” created.") % {"name": row.name})
                return redirect("staff:calendar", calendar_id=row.pk)
        status = 422
    rows = calendar_list()
    return render(
        request,
        "organisation/calendars.html",
        {
            "rows": rows,
            "derived_default": None if any(r.is_default for r in rows) else calendar_default(),
            "form": form if may_edit else None,
            "may_edit": may_edit,
        },
        status=status,
    )


@staff_page(is_staff_member, refusal=gettext_lazy("Only staff see business calendars."))
def calendar_page(request: HttpRequest, calendar_id: int) -> HttpResponse:
    """One calendar: its settings, its closed days and the next closed days it will count."""
    try:
        row = calendar_row_get(calendar_id=calendar_id)
    except PlaintError as exc:
        return error_response(request, exc)
    may_edit = can_configure(request.user)
    form = CalendarForm(initial=calendar_form_initial(row), prefix="cal")
    day_form = ClosedDayForm(prefix="day")
    status = 200
    if request.method == "POST":
        if not may_edit:
            return error_response(request, NotAllowed(str(CALENDARS_REFUSED)))
        if "save_calendar" in request.POST:
            form = CalendarForm(request.POST, prefix="cal")
        elif "add_closed_day" in request.POST:
            day_form = ClosedDayForm(request.POST, prefix="day")
        try:
            if _calendar_post(request, row.pk, form=form, day_form=day_form):
                return redirect("staff:calendar", calendar_id=row.pk)
        except ValidationFailed as exc:
            target = day_form if "add_closed_day" in request.POST else form
            apply_form_errors(target, exc)
        except forms.ValidationError:
            return error_response(request, ValidationFailed(_("That is not a date.")))
        except PlaintError as exc:
            return error_response(request, exc)
        status = 422
    calendar = calendar_value(row)
    return render(
        request,
        "organisation/calendar_detail.html",
        {
            "row": row,
            "form": form if may_edit else None,
            "day_form": day_form if may_edit else None,
            "may_edit": may_edit,
            "weekdays": _opening_rows(calendar.opening),
            "upcoming": _upcoming_closed_days(calendar),
        },
        status=status,
    )


def _calendar_post(
    request: HttpRequest, calendar_id: int, *, form: CalendarForm, day_form: ClosedDayForm
) -> bool:
    """Carry out the calendar page's POST (save, add or remove a closed day) with the form the
    page bound to it; True when done, False when that form is not valid."""
    actor = Actor.staff(request.user)
    if "save_calendar" in request.POST:
        if form.is_valid():
            calendar_update(actor=actor, calendar_id=calendar_id, **form.service_kwargs())
            messages.success(request, _("Calendar saved."))
            return True
    elif "add_closed_day" in request.POST:
        if day_form.is_valid():
            closed_day_add(actor=actor, calendar_id=calendar_id, **day_form.cleaned_data)
            messages.success(request, _("Closed day added."))
            return True
    elif "remove_closed_day" in request.POST:
        day = forms.DateField().clean(request.POST["remove_closed_day"])
        closed_day_remove(actor=actor, calendar_id=calendar_id, date=day)
        messages.success(request, _("Closed day removed."))
        return True
    return False


def _opening_rows(opening: Opening) -> list[tuple[str, str]]:
    """The weekdays' hours as shown (the engine calendar's, the country default applied)."""
    return [
        (
            str(day),
            f"{hours[0]:%H:%M}-{hours[1]:%H:%M}" if hours else str(_("closed")),
        )
        for day, hours in zip(WEEKDAYS, opening, strict=True)
    ]


def _upcoming_closed_days(calendar: Calendar, *, days: int = 366) -> list[tuple[Any, str]]:
    """Public holidays and the organisation's closed days on working weekdays in the next year."""
    today = django_timezone.localdate()
    found = []
    for offset in range(days):
        day = today + dt.timedelta(days=offset)
        if calendar.opening[day.weekday()] is None:
            continue
        if day in calendar.closed_days:
            found.append((day, str(_("Organisation closed"))))
        elif name := holiday_names(calendar.country, calendar.subdivision, day.year).get(day):
            found.append((day, _("Public holiday: %(name)s") % {"name": name}))
    return found


@require_GET
@staff_page(can_configure, refusal=gettext_lazy("Only managers and admins see the duties."))
@in_organisation_timezone
def duties_page(request: HttpRequest) -> HttpResponse:
    """The workers' periodic duties: how often each runs, its last run, who holds it now."""
    return render(request, "organisation/duties.html", {"duties": duty_statuses()})
