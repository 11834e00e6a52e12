"""Writes of the organisation's configuration: its settings and its business calendars with their
closed days (managers and admins). Every change is audited and published as an
``OrganisationChanged`` / ``CalendarChanged`` event, so deadlines counted on them follow."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from typing import Any

import holidays
from django.db import transaction
from django.utils.translation import gettext as _

from plaint.accounts.access import can_configure, require
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.calendars import default_opening, format_opening_hours, supported_countries
from plaint.core.errors import NotFound, ValidationFailed
from plaint.core.events import publish
from plaint.core.models import BusinessCalendar, ClosedDay, Organisation
from plaint.organisation.events import CalendarChanged, OrganisationChanged

ORGANISATION_FIELDS = (
    "name",
    "country",
    "timezone",
    "acknowledgement_business_days",
    "response_business_days",
    "no_answer_close_days",
    "contact_email",
    "contact_phone",
    "team_visibility",
)

Errors = dict[str, list[str]]


def _organisation_errors(org: Organisation, changes: dict[str, Any]) -> Errors:
    """Field errors of the settings ``changes`` (normalises the country code in place)."""
    errors: Errors = {}
    if "country" in changes:
        changes["country"] = str(changes["country"]).upper()
        if changes["country"] not in holidays.list_supported_countries():
            errors["country"] = [_("Not a country with a known holiday calendar.")]
    if "timezone" in changes and changes["timezone"] not in zoneinfo.available_timezones():
        errors["timezone"] = [_("Not a known time zone, e.g. Europe/Tallinn.")]
    ack = changes.get("acknowledgement_business_days", org.acknowledgement_business_days)
    resp = changes.get("response_business_days", org.response_business_days)
    if ack > resp:
        errors["acknowledgement_business_days"] = [_("Must not be longer than the response time.")]
    return errors


@transaction.atomic
def organisation_update(*, actor: Actor, **changes: Any) -> Organisation:
    """Change the organisation's settings (managers and admins only)."""
    require(can_configure, actor.user, _("change the organisation's settings"))
    org = Organisation.objects.select_for_update().order_by("pk").first() or Organisation()
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown settings: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    errors = _organisation_errors(org, changes)
    if errors:
        raise ValidationFailed(_("Some settings are not valid."), fields=errors)
    before = {f: getattr(org, f) for f in changes}
    for field, value in changes.items():
        setattr(org, field, value)
    org.save()
    # the default calendar follows the country and time zone: deadlines counted on it follow too
    publish(OrganisationChanged(fields=tuple(changes)))
    audit_append(
        case_type="organisation",
        case_id=org.pk,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action="settings_changed",
        data={"before": before, "after": changes},
    )
    return org


# --- business calendars ------------------------------------------------------------------------------

CALENDAR_FIELDS = ("name", "country", "subdivision", "timezone", "opening_hours", "is_default")


def _clean_name(value: Any, current: BusinessCalendar | None, errors: Errors) -> str:
    name = str(value or "").strip()
    if not name:
        errors["name"] = [_("Give the calendar a name.")]
    elif (
        BusinessCalendar.objects.filter(name=name)
        .exclude(pk__in=[current.pk] if current else [])
        .exists()
    ):
        errors["name"] = [_("Another calendar already has this name.")]
    return name[:100]


def _clean_country(value: Any, errors: Errors) -> str:
    country = str(value or "").strip().upper()
    if country and country not in supported_countries():
        errors["country"] = [_("Not a country with a known holiday calendar, e.g. EE or GB.")]
    return country


def _clean_subdivision(value: Any, country: str, errors: Errors) -> str:
    subdivision = str(value or "").strip()
    subdivision = subdivision.upper() if subdivision.isascii() else subdivision
    known = supported_countries().get(country, ())
    if subdivision and "country" not in errors and subdivision not in known:
        errors["subdivision"] = [
            _("Not a region of this country; known: %(known)s.")
            % {"known": ", ".join(known) or _("none")}
        ]
    return subdivision


def _clean_timezone(value: Any, errors: Errors) -> str:
    tz = str(value or "").strip()
    if tz not in zoneinfo.available_timezones():
        errors["timezone"] = [_("Not a known time zone, e.g. Europe/Tallinn.")]
    return tz


def _opening_errors(opening: list[Any], *, others: bool) -> Errors:
    """Errors of seven days' ``(opens, closes)`` or ``None`` (closed). "Closed every day" is
    reported only when nothing else is wrong (``others``: other fields have errors)."""
    if len(opening) != 7:
        return {"opening_hours": [_("Give opening hours for each day, Monday to Sunday.")]}
    errors: Errors = {}
    for index, hours in enumerate(opening):
        if hours is None:
            continue
        start, end = hours
        if start is None or end is None:
            errors[f"opening_{index}"] = [_("Give both the opening and the closing time.")]
        elif not start < end:
            errors[f"opening_{index}"] = [_("Must close after it opens.")]
    if not errors and not others and all(hours is None for hours in opening):
        errors["opening_hours"] = [_("The calendar must be open on at least one day.")]
    return errors


def _calendar_clean(changes: dict[str, Any], current: BusinessCalendar | None) -> dict[str, Any]:
    """Check and normalise calendar fields; field-level errors a manager can act on."""
    errors: Errors = {}
    clean: dict[str, Any] = {}
    if "name" in changes:
        clean["name"] = _clean_name(changes["name"], current, errors)
    country = current.country if current else ""
    if "country" in changes:
        country = clean["country"] = _clean_country(changes["country"], errors)
    if "subdivision" in changes or "country" in changes:
        subdivision = changes.get("subdivision", current.subdivision if current else "")
        clean["subdivision"] = _clean_subdivision(subdivision, country, errors)
    if "timezone" in changes:
        clean["timezone"] = _clean_timezone(changes["timezone"], errors)
    if "opening_hours" in changes:
        opening = changes["opening_hours"]
        if opening is None:
            opening = default_opening(country if "country" not in errors else "")
        opening = list(opening)
        opening_errors = _opening_errors(opening, others=bool(errors))
        errors.update(opening_errors)
        if not opening_errors:
            clean["opening_hours"] = format_opening_hours(tuple(opening))
    if "is_default" in changes:
        clean["is_default"] = bool(changes["is_default"])
        if current is not None and current.is_default and not clean["is_default"]:
            errors["is_default"] = [_("Make another calendar the default instead.")]
    if errors:
        raise ValidationFailed(_("Some calendar settings are not valid."), fields=errors)
    return clean


def _calendar_changed(
    *, actor: Actor, calendar: BusinessCalendar, action: str, data: dict, clocks_follow: bool = True
) -> None:
    """Audit a calendar change; ``clocks_follow``: publish ``CalendarChanged`` so the deadlines
    counted on this calendar are recomputed."""
    audit_append(
        case_type="calendar",
        case_id=calendar.pk,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        data=data,
    )
    if clocks_follow:
        publish(CalendarChanged(calendar_id=calendar.pk))


def _calendar_locked(calendar_id: int) -> BusinessCalendar:
    calendar = BusinessCalendar.objects.select_for_update().filter(pk=calendar_id).first()
    if calendar is None:
        raise NotFound(_("No such calendar."))
    return calendar


@transaction.atomic
def calendar_create(
    *,
    actor: Actor,
    name: str,
    timezone: str,
    country: str = "",
    subdivision: str = "",
    opening_hours: Sequence[tuple[dt.time, dt.time] | None] | None = None,
    is_default: bool = False,
) -> BusinessCalendar:
    """Add a business calendar (managers and admins). ``opening_hours`` None = 09:00-17:00 outside the
    country's weekend. Making it the default moves the default from the previous one."""
    require(can_configure, actor.user, _("configure business calendars"))
    clean = _calendar_clean(
        {
            "name": name,
            "country": country,
            "subdivision": subdivision,
            "timezone": timezone,
            "opening_hours": opening_hours,
            "is_default": is_default,
        },
        None,
    )
    if clean["is_default"]:
        BusinessCalendar.objects.select_for_update().filter(is_default=True).update(
            is_default=False
        )
    calendar = BusinessCalendar.objects.create(**clean)
    _calendar_changed(  # a new default: promises on "the default calendar" follow it
        actor=actor,
        calendar=calendar,
        action="calendar_created",
        data=clean,
        clocks_follow=calendar.is_default,
    )
    return calendar


@transaction.atomic
def calendar_update(*, actor: Actor, calendar_id: int, **changes: Any) -> BusinessCalendar:
    """Change a calendar's name, country, region, time zone, opening hours or default flag."""
    require(can_configure, actor.user, _("configure business calendars"))
    unknown = set(changes) - set(CALENDAR_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown calendar settings: %s") % ", ".join(sorted(unknown)))
    calendar = _calendar_locked(calendar_id)
    clean = _calendar_clean(changes, calendar)
    changed = {k: v for k, v in clean.items() if getattr(calendar, k) != v}
    if not changed:
        return calendar
    if changed.get("is_default"):
        BusinessCalendar.objects.select_for_update().filter(is_default=True).exclude(
            pk=calendar.pk
        ).update(is_default=False)
    before = {k: getattr(calendar, k) for k in changed}
    for field, value in changed.items():
        setattr(calendar, field, value)
    calendar.save(update_fields=[*changed, "updated_at"])
    _calendar_changed(
        actor=actor,
        calendar=calendar,
        action="calendar_changed",
        data={"before": before, "after": changed},
    )
    return calendar


@transaction.atomic
def closed_day_add(*, actor: Actor, calendar_id: int, date: dt.date, reason: str = "") -> ClosedDay:
    """Close the organisation on one more day of this calendar (e.g. a company day off)."""
    require(can_configure, actor.user, _("configure business calendars"))
    calendar = _calendar_locked(calendar_id)
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise ValidationFailed(_("Give a date."), fields={"date": [_("Give a date.")]})
    if ClosedDay.objects.filter(calendar=calendar, date=date).exists():
        raise ValidationFailed(
            _("This day is already closed."), fields={"date": [_("This day is already closed.")]}
        )
    reason = (reason or "").strip()[:200]
    day = ClosedDay.objects.create(calendar=calendar, date=date, reason=reason)
    _calendar_changed(
        actor=actor,
        calendar=calendar,
        action="closed_day_added",
        data={"date": date.isoformat(), "reason": reason},
    )
    return day


@transaction.atomic
def closed_day_remove(*, actor: Actor, calendar_id: int, date: dt.date) -> None:
    """Open the organisation again on a day it had closed."""
    require(can_configure, actor.user, _("configure business calendars"))
    calendar = _calendar_locked(calendar_id)
    deleted, _rows = ClosedDay.objects.filter(calendar=calendar, date=date).delete()
    if not deleted:
        raise NotFound(_("This day is not closed."))
    _calendar_changed(
        actor=actor,
        calendar=calendar,
        action="closed_day_removed",
        data={"date": date.isoformat()},
    )
