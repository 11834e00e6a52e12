"""The new-case pass: on the worker's housekeeping, tell each team's members of the new cases in
the categories the team looks after.

It runs from a watermark instead of in the intake, so filing a complaint costs no statement more
(public intake stays at its statement count, bench/README.md). Complaint ids are taken before the
intake commits, so a case with a lower id can appear after a higher one was read: the ids below
the watermark not seen yet are kept (``NewCaseWatermark.missing``) and looked for on later passes
until they appear or are older than ``MISSING_FOR`` (an intake rolled back, or a validation error
after the ids were taken). Each case is read once; the constraint on ``Notification`` makes a
second notification impossible even so."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from plaint.accounts.models import User
from plaint.complaints.models import Complaint
from plaint.core.models import AuditEvent
from plaint.notifications.models import Kind, NewCaseWatermark, TeamCategory
from plaint.notifications.services.sending import Tell, notifications_send

BATCH = 2000
MISSING_FOR = dt.timedelta(minutes=15)  # far longer than any intake transaction takes
MISSING_KEPT = 1000  # ids below the highest read that may still appear (intakes in flight)

CaseRow = tuple[int, str | None, str, int | None]  # id, reference, subject, category id


def new_cases_notify(*, now: dt.datetime | None = None) -> int:
    """Read the cases filed since the last pass, in batches, and tell the teams: the number of
    cases read."""
    now = now or timezone.now()
    read = 0
    while True:
        with transaction.atomic():
            count, full = _pass(now)
        read += count
        if not full:
            return read


def _pass(now: dt.datetime) -> tuple[int, bool]:
    mark = NewCaseWatermark.objects.select_for_update().first()
    if mark is None:
        mark = NewCaseWatermark.objects.create(last_complaint_id=0)
        mark = NewCaseWatermark.objects.select_for_update().get(pk=mark.pk)
    fields = ("pk", "reference", "subject", "category_id")
    newer: list[CaseRow] = list(
        Complaint.objects.filter(pk__gt=mark.last_complaint_id)
        .order_by("pk")
        .values_list(*fields)[:BATCH]
    )
    missing = {int(pk): at for pk, at in mark.missing.items()}
    late: list[CaseRow] = (
        list(Complaint.objects.filter(pk__in=list(missing)).values_list(*fields)) if missing else []
    )
    cases = late + newer
    _tell_teams(cases)
    top = newer[-1][0] if newer else mark.last_complaint_id
    mark.missing = _still_missing(missing, cases, mark.last_complaint_id, top, now)
    mark.last_complaint_id = top
    mark.save(update_fields=["last_complaint_id", "missing"])
    return len(cases), len(newer) == BATCH


def _still_missing(
    missing: dict[int, str],
    seen: list[CaseRow],
    previous_top: int,
    top: int,
    now: dt.datetime,
) -> dict[str, str]:
    """The ids below ``top`` not seen yet and not given up on, with when they were first missed."""
    seen_ids = {row[0] for row in seen}
    stamp = now.isoformat()
    gaps = range(max(previous_top, top - MISSING_KEPT) + 1, top)
    candidates = {**missing, **{pk: stamp for pk in gaps if pk not in missing}}
    oldest = now - MISSING_FOR
    return {
        str(pk): at
        for pk, at in candidates.items()
        if pk not in seen_ids and pk > top - MISSING_KEPT and dt.datetime.fromisoformat(at) > oldest
    }


def _tell_teams(cases: list[CaseRow]) -> None:
    with_category = [row for row in cases if row[3] is not None]
    if not with_category:
        return
    teams_of: dict[int, set[int]] = {}
    for team_id, category_id in TeamCategory.objects.filter(
        category_id__in={row[3] for row in with_category}
    ).values_list("team_id", "category_id"):
        teams_of.setdefault(category_id, set()).add(team_id)
    if not teams_of:
        return
    members: dict[int, list[User]] = {}
    for user in User.objects.filter(
        team_id__in=set().union(*teams_of.values()), is_active=True
    ).order_by("pk"):
        members.setdefault(user.team_id or 0, []).append(user)
    logged_by = _logged_by([row[0] for row in with_category])
    tells = [
        Tell(recipient=person, complaint_id=case_id, reference=reference or "", subject=subject)
        for case_id, reference, subject, category_id in with_category
        for team in sorted(teams_of.get(category_id or 0, ()))
        for person in members.get(team, [])
        if person.pk != logged_by.get(case_id)  # who logged it knows of it
    ]
    notifications_send(kind=Kind.NEW_CASE, tells=tells, actor_id=None)


def _logged_by(case_ids: list[int]) -> dict[int, int]:
    """{case id: the staff member who logged it}, for the cases staff logged (phone, letter, in
    person, or the API with a staff token): nobody is told of a case they logged themself."""
    if not case_ids:
        return {}
    return {
        case_id: actor_id
        for case_id, actor_id in AuditEvent.objects.filter(
            case_type="complaint", case_id__in=case_ids, action="received", actor_id__isnull=False
        ).values_list("case_id", "actor_id")
        if actor_id is not None
    }
