"""Web adapters of core: the one mapping of service errors onto pages and forms, and the
organisation settings page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plaint.accounts.access import can_configure
from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, PlaintError, ValidationFailed

ERROR_TITLES = {
    403: gettext_lazy("Not allowed"),
    404: gettext_lazy("Not found"),
    409: gettext_lazy("Not possible now"),
    422: gettext_lazy("Please check your input"),
    429: gettext_lazy("Too many attempts"),
}


def apply_form_errors(form: forms.Form, exc: PlaintError) -> None:
    """Put a service's field errors next to the form's fields; the rest above the form."""
    placed = False
    for name, errors in exc.fields.items():
        target = name if name in form.fields else None
        for error in errors:
            form.add_error(target, error)
            placed = placed or target is not None
    if not placed or not exc.fields:
        form.add_error(None, exc.message)


def error_response(request: HttpRequest, exc: PlaintError, *, status: int | None = None):
    """A page that says what went wrong, with the status the error carries (403, 404, 409, 429…)."""
    status = status or exc.status
    return render(
        request,
        "core/error.html",
        {"title": ERROR_TITLES.get(status, _("Something went wrong")), "message": exc.message},
        status=status,
    )


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


class CategoryForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Category name"), max_length=100)
    code = forms.SlugField(
        label=gettext_lazy("Code"),
        required=False,
        max_length=50,
        help_text=gettext_lazy("Made from the name if empty."),
    )


@login_required
def organisation_settings(request: HttpRequest) -> HttpResponse:
    """Managers and admins edit the organisation's settings and add complaint categories."""
    from plaint.complaints.models import Category
    from plaint.complaints.services import category_create
    from plaint.core.selectors import organisation_get
    from plaint.core.services import ORGANISATION_FIELDS, organisation_update

    if not can_configure(request.user):
        return error_response(request, NotAllowed(_("Only managers and admins change settings.")))
    org = organisation_get()
    initial: dict[str, Any] = {f: getattr(org, f) for f in ORGANISATION_FIELDS}
    org_form = OrganisationForm(initial=initial, prefix="org")
    category_form = CategoryForm(prefix="cat")
    status = 200
    if request.method == "POST":
        actor = Actor.staff(request.user)
        if "save_organisation" in request.POST:
            org_form = OrganisationForm(request.POST, initial=initial, prefix="org")
            if org_form.is_valid():
                try:
                    organisation_update(actor=actor, **org_form.cleaned_data)
                except ValidationFailed as exc:
                    apply_form_errors(org_form, exc)
                except PlaintError as exc:
                    return error_response(request, exc)
                else:
                    messages.success(request, _("Settings saved."))
                    return redirect("staff:settings")
        elif "create_category" in request.POST:
            category_form = CategoryForm(request.POST, prefix="cat")
            if category_form.is_valid():
                try:
                    category = category_create(
                        actor=actor,
                        code=category_form.cleaned_data["code"],
                        name=category_form.cleaned_data["name"],
                    )
                except ValidationFailed as exc:
                    apply_form_errors(category_form, exc)
                except PlaintError as exc:
                    return error_response(request, exc)
                else:
                    messages.success(
                        request, _("Category “%(name)s” created.") % {"name": category.name}
                    )
                    return redirect("staff:settings")
        status = 422
    return render(
        request,
        "core/settings.html",
        {
            "org_form": org_form,
            "category_form": category_form,
            "categories": list(Category.objects.order_by("name")),
        },
        status=status,
    )


def attachment_response(attachment) -> FileResponse:
    """Send a stored, type-checked upload as a download that the browser will not render inline.

    ``sandbox`` keeps even a mislabelled file from running script in our origin.
    """
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- business calendars ------------------------------------------------------------------------------

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


def calendar_form_initial(row=None, *, country: str = "", timezone: str = "") -> dict[str, Any]:
    from plaint.core.calendars import default_opening, parse_opening_hours

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
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)


def _staff_or_403(request: HttpRequest) -> HttpResponse | None:
    from plaint.accounts.access import is_staff_member

    if not is_staff_member(request.user):
        return error_response(request, NotAllowed(_("Only staff see business calendars.")))
    return None


@login_required
def calendar_list_page(request: HttpRequest) -> HttpResponse:
    """Every business calendar; managers and admins add new ones. Other staff read."""
    from plaint.core.selectors import calendar_default, calendar_list, organisation_get
    from plaint.core.services import calendar_create

    if (refused := _staff_or_403(request)) is not None:
        return refused
    may_edit = can_configure(request.user)
    org = organisation_get()
    form = CalendarForm(
        initial=calendar_form_initial(country=org.country, timezone=org.timezone), prefix="cal"
    )
    status = 200
    if request.method == "POST":
        if not may_edit:
            return error_response(
                request, NotAllowed(_("Only managers and admins change calendars."))
            )
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
        "core/calendars.html",
        {
            "rows": rows,
            "derived_default": None if any(r.is_default for r in rows) else calendar_default(),
            "form": form if may_edit else None,
            "may_edit": may_edit,
        },
        status=status,
    )


@login_required
def calendar_page(request: HttpRequest, calendar_id: int) -> HttpResponse:
    """One calendar: its settings, its closed days and the next closed days it will count."""
    from plaint.core.selectors import calendar_row_get, calendar_value
    from plaint.core.services import calendar_update, closed_day_add, closed_day_remove

    if (refused := _staff_or_403(request)) is not None:
        return refused
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
            return error_response(
                request, NotAllowed(_("Only managers and admins change calendars."))
            )
        actor = Actor.staff(request.user)
        try:
            if "save_calendar" in request.POST:
                form = CalendarForm(request.POST, prefix="cal")
                if form.is_valid():
                    calendar_update(actor=actor, calendar_id=row.pk, **form.service_kwargs())
                    messages.success(request, _("Calendar saved."))
                    return redirect("staff:calendar", calendar_id=row.pk)
            elif "add_closed_day" in request.POST:
                day_form = ClosedDayForm(request.POST, prefix="day")
                if day_form.is_valid():
                    closed_day_add(actor=actor, calendar_id=row.pk, **day_form.cleaned_data)
                    messages.success(request, _("Closed day added."))
                    return redirect("staff:calendar", calendar_id=row.pk)
            elif "remove_closed_day" in request.POST:
                day = forms.DateField().clean(request.POST["remove_closed_day"])
                closed_day_remove(actor=actor, calendar_id=row.pk, date=day)
                messages.success(request, _("Closed day removed."))
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
        "core/calendar_detail.html",
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


def _opening_rows(opening) -> list[tuple[str, str]]:
    """The weekdays' hours as shown (the engine calendar's, the country default applied)."""
    return [
        (
            str(day),
            f"{hours[0]:%H:%M}-{hours[1]:%H:%M}" if hours else str(_("closed")),
        )
        for day, hours in zip(WEEKDAYS, opening, strict=True)
    ]


def _upcoming_closed_days(calendar, *, days: int = 366) -> list[tuple[Any, str]]:
    """Public holidays and the organisation's closed days on working weekdays in the next year."""
    import datetime as dt

    from django.utils import timezone as django_timezone

    from plaint.core.calendars import holiday_names

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
