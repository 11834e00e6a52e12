"""Reads of competence: each person's status on each course their role requires (valid, due soon,
expired, never completed) and the summary the management review shows (ISO 10002:2018 6.4 and
8.6; ISO 9001 7.2). Handlers read their own records; the other staff roles read everyone's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plaint.accounts.access import STAFF_ROLES, Reader, can_read_complaints
from plaint.accounts.models import Role, User
from plaint.core.errors import NotAllowed, NotFound
from plaint.improvement.models_policy import Course, TrainingRecord

DUE_WITHIN_DAYS = 60  # "due": still valid, but for at most this many more days


class Status(models.TextChoices):
    """Worst first: the order the lists are sorted in."""

    EXPIRED = "expired", gettext_lazy("Expired")
    NEVER = "never", gettext_lazy("Never completed")
    DUE = "due", gettext_lazy("Due soon")
    VALID = "valid", gettext_lazy("Valid")


SEVERITY = {s: i for i, s in enumerate(Status.values)}


def competence_status(
    valid_until: dt.date | None, *, recorded: bool, on: dt.date, within_days: int
) -> Status:
    """The one definition: a completion counts up to and including its ``valid_until`` day (none:
    for good); it is due when that day is at most ``within_days`` after ``on``."""
    if not recorded:
        return Status.NEVER
    if valid_until is None:
        return Status.VALID
    if valid_until < on:
        return Status.EXPIRED
    if (valid_until - on).days <= within_days:
        return Status.DUE
    return Status.VALID


@dataclass(frozen=True)
class CompetenceRow:
    person: User
    course: Course
    required: bool
    status: Status
    completed_on: dt.date | None
    valid_until: dt.date | None


@dataclass
class PersonCompetence:
    person: User
    rows: list[CompetenceRow] = field(default_factory=list)

    @property
    def worst(self) -> Status | None:
        required = [r.status for r in self.rows if r.required]
        return min(required, key=SEVERITY.__getitem__) if required else None


@dataclass(frozen=True)
class CompetenceSummary:
    """Who is due or expired on ``on``: what the management review reads."""

    on: dt.date
    within_days: int
    people: int  # active staff with at least one required course
    required: int  # person-and-required-course course pairs
    counts: dict[str, int]  # per Status value, over the required pairs
    attention: list[CompetenceRow]  # the required pairs expired, never completed or due

    @property
    def all_valid(self) -> bool:
        return not self.attention


def _best(records: list[TrainingRecord]) -> TrainingRecord:
    """The completion that counts longest (no expiry first), then the latest."""
    return max(
        records,
        key=lambda r: (r.valid_until is None, r.valid_until or dt.date.min, r.completed_on, r.pk),
    )


def _own_only(actor: Reader) -> bool:
    """A handler reads only their own records."""
    return isinstance(actor, User) and actor.role == Role.HANDLER


def _people(actor: Reader | None) -> list[User]:
    people = User.objects.filter(is_active=True, role__in=list(STAFF_ROLES))
    if actor is not None and _own_only(actor):
        people = people.filter(pk=actor.pk or 0)
    return list(people.order_by("username"))


def _matrix(people: list[User], on: dt.date, within_days: int) -> list[PersonCompetence]:
    courses = list(Course.objects.order_by("name", "pk"))
    by_pair: dict[tuple[int, int], list[TrainingRecord]] = {}
    for record in TrainingRecord.objects.filter(person__in=people):
        by_pair.setdefault((record.person_id, record.course_id), []).append(record)
    result = []
    for person in people:
        entry = PersonCompetence(person=person)
        for course in courses:
            required = course.active and person.role in course.required_for
            records = by_pair.get((person.pk, course.pk))
            if not required and not records:
                continue
            best = _best(records) if records else None
            status = competence_status(
                best.valid_until if best else None,
                recorded=best is not None,
                on=on,
                within_days=within_days,
            )
            entry.rows.append(
                CompetenceRow(
                    person=person,
                    course=course,
                    required=required,
                    status=status,
                    completed_on=best.completed_on if best else None,
                    valid_until=best.valid_until if best else None,
                )
            )
        result.append(entry)
    return result


def competence_matrix(
    *, actor: Reader, on: dt.date, within_days: int = DUE_WITHIN_DAYS
) -> list[PersonCompetence]:
    """Each person the actor may see (a handler: only themselves) with their courses."""
    if not can_read_complaints(actor):
        raise NotAllowed(_("Your role may not do this."))
    return _matrix(_people(actor), on, within_days)


def competence_due(on: dt.date, within_days: int = DUE_WITHIN_DAYS) -> CompetenceSummary:
    """Over every active member of staff: the required courses expired, never completed or due
    within ``within_days`` of ``on`` (worst first), with counts per status."""
    counts = dict.fromkeys(Status.values, 0)
    attention: list[CompetenceRow] = []
    people = 0
    for entry in _matrix(_people(None), on, within_days):
        required = [r for r in entry.rows if r.required]
        people += bool(required)
        for row in required:
            counts[row.status] += 1
            if row.status != Status.VALID:
                attention.append(row)
    attention.sort(
        key=lambda r: (SEVERITY[r.status], r.valid_until or dt.date.min, r.person.username)
    )
    return CompetenceSummary(
        on=on,
        within_days=within_days,
        people=people,
        required=sum(counts.values()),
        counts=counts,
        attention=attention,
    )


def training_records(*, actor: Reader, person_id: int) -> tuple[User, list[TrainingRecord]]:
    """One person's records, newest first; a handler reads only their own (another person is
    "not found", as one that does not exist)."""
    if not can_read_complaints(actor):
        raise NotAllowed(_("Your role may not do this."))
    person = User.objects.filter(pk=person_id, role__in=list(STAFF_ROLES)).first()
    if person is None or (_own_only(actor) and person.pk != actor.pk):
        raise NotFound(_("No such person."))
    records = list(
        TrainingRecord.objects.filter(person=person)
        .select_related("course", "recorded_by")
        .order_by("-completed_on", "-pk")
    )
    return person, records


def course_list(*, active_only: bool = False) -> list[Course]:
    courses = Course.objects.order_by("name", "pk")
    if active_only:
        courses = courses.filter(active=True)
    return list(courses)


def course_get(*, course_id: int) -> Course:
    course = Course.objects.filter(pk=course_id).first()
    if course is None:
        raise NotFound(_("No such course."))
    return course


def training_record_get(*, actor: Reader, record_id: int) -> TrainingRecord:
    """One record, as ``training_records`` would list it to the actor."""
    if not can_read_complaints(actor):
        raise NotAllowed(_("Your role may not do this."))
    records = TrainingRecord.objects.select_related("person", "course", "recorded_by")
    if _own_only(actor):
        records = records.filter(person_id=actor.pk)
    found = records.filter(pk=record_id).first()
    if found is None:
        raise NotFound(_("No such training record."))
    return found
