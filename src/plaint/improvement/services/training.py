"""Competence of the people who handle complaints (ISO 10002:2018 6.4; ISO 9001 7.2): the courses
they need (required per role, valid for some months) and the record of who completed which, when
and until when. Managers and admins keep both."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from plaint.accounts.access import STAFF_ROLES, can_configure, is_staff_member, require
from plaint.accounts.models import User
from plaint.core.actors import Actor
from plaint.core.bounds import EARLIEST_DAY, day_error
from plaint.core.errors import NotAllowed, NotFound, ValidationFailed
from plaint.improvement.models_policy import Course, TrainingRecord
from plaint.improvement.services.common import audit, text_clean

COURSE_CASE_TYPE = "course"
TRAINING_CASE_TYPE = "training_record"
WRITE = gettext_noop("keep training records")
MAX_VALIDITY_MONTHS = 120


def _require_keeper(actor: Actor) -> None:
    if actor.kind != "staff":
        raise NotAllowed(_("Only staff may do this."))
    require(can_configure, actor.user, WRITE)


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(_("Check the highlighted fields."), fields={field: [message]})


def _roles_clean(value: Any) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise _invalid("required_for", _("A list of roles."))
    known = {str(r) for r in STAFF_ROLES}
    unknown = sorted(set(value) - known)
    if unknown:
        raise _invalid("required_for", _("Unknown role: %(r)s.") % {"r": ", ".join(unknown)})
    return sorted(set(value))


def _validity_clean(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _invalid("validity_months", _("A whole number of months."))
    if not 1 <= value <= MAX_VALIDITY_MONTHS:
        raise _invalid(
            "validity_months",
            _("Between 1 and %(n)s months, or empty for no expiry.") % {"n": MAX_VALIDITY_MONTHS},
        )
    return value


def _name_clean(name: Any, exclude: int | None = None) -> str:
    clean = text_clean(name, "name", limit=200)
    others = Course.objects.filter(name__iexact=clean)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise _invalid("name", _("A course with this name exists."))
    return clean


@transaction.atomic
def course_create(
    *,
    actor: Actor,
    name: str,
    description: str = "",
    validity_months: int | None = None,
    required_for: list[str] | None = None,
    now: dt.datetime | None = None,
) -> Course:
    _require_keeper(actor)
    now = now or timezone.now()
    course = Course(
        name=_name_clean(name),
        description=text_clean(description, "description", required=False),
        validity_months=_validity_clean(validity_months),
        required_for=_roles_clean(required_for or []),
        created_at=now,
        updated_at=now,
    )
    course.save()
    audit(
        COURSE_CASE_TYPE,
        course.pk,
        actor,
        "course_created",
        {"validity_months": course.validity_months, "required_for": course.required_for},
        at=now,
    )
    return course


@transaction.atomic
def course_update(*, actor: Actor, course_id: int, **changes: Any) -> Course:
    """Change the fields given: name, description, validity_months, required_for, active."""
    _require_keeper(actor)
    unknown = set(changes) - {"name", "description", "validity_months", "required_for", "active"}
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    course = Course.objects.select_for_update().filter(pk=course_id).first()
    if course is None:
        raise NotFound(_("No such course."))
    cleaners: dict[str, Callable[[Any], Any]] = {
        "name": lambda v: _name_clean(v, exclude=course.pk),
        "description": lambda v: text_clean(v, "description", required=False),
        "validity_months": _validity_clean,
        "required_for": _roles_clean,
        "active": bool,
    }
    for field, value in changes.items():
        setattr(course, field, cleaners[field](value))
    course.updated_at = timezone.now()
    course.save(update_fields=[*changes, "updated_at"])
    audit(COURSE_CASE_TYPE, course.pk, actor, "course_changed", {"fields": sorted(changes)})
    return course


def valid_until_default(course: Course, completed_on: dt.date) -> dt.date | None:
    """The last day a completion counts: ``validity_months`` later, the day before the same day
    of the month (a yearly course completed on 10 March 2026 counts until 9 March 2027; one
    completed on 31 January for a month, until 27 or 28 February)."""
    if course.validity_months is None:
        return None
    index = completed_on.year * 12 + completed_on.month - 1 + course.validity_months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    same_day = dt.date(year, month + 1, min(completed_on.day, last))
    return same_day - dt.timedelta(days=1)


def _dates_clean(
    course: Course, completed_on: Any, valid_until: Any, today: dt.date
) -> tuple[dt.date, dt.date | None]:
    if not isinstance(completed_on, dt.date) or not EARLIEST_DAY <= completed_on <= today:
        raise _invalid(
            "completed_on",
            _("Give a date from %(earliest)s up to today.") % {"earliest": EARLIEST_DAY},
        )
    if valid_until is None:
        return completed_on, valid_until_default(course, completed_on)
    if not isinstance(valid_until, dt.date) or valid_until < completed_on:
        raise _invalid("valid_until", _("Must not be before the completion date."))
    error = day_error(valid_until)
    if error:
        raise _invalid("valid_until", error)
    return completed_on, valid_until


@transaction.atomic
def training_record(
    *,
    actor: Actor,
    person_id: int,
    course_id: int,
    completed_on: dt.date,
    valid_until: dt.date | None = None,
    evidence: str = "",
    now: dt.datetime | None = None,
) -> TrainingRecord:
    """Record that a member of staff completed a course; without ``valid_until`` it counts for the
    course's validity from the completion date."""
    _require_keeper(actor)
    now = now or timezone.now()
    person = User.objects.filter(pk=person_id).first()
    if person is None or not is_staff_member(person):
        raise _invalid("person_id", _("Choose an active member of staff."))
    course = Course.objects.filter(pk=course_id, active=True).first()
    if course is None:
        raise _invalid("course_id", _("Choose an active course."))
    done, until = _dates_clean(course, completed_on, valid_until, timezone.localdate(now))
    record = TrainingRecord(
        person=person,
        course=course,
        completed_on=done,
        valid_until=until,
        evidence=text_clean(evidence, "evidence", required=False, limit=500),
        recorded_by=actor.user,
        recorded_at=now,
    )
    record.save()
    audit(
        TRAINING_CASE_TYPE,
        record.pk,
        actor,
        "training_recorded",
        {
            "person": person.pk,
            "course": course.pk,
            "completed_on": done.isoformat(),
            "valid_until": until.isoformat() if until else None,
        },
        at=now,
    )
    return record
