"""Overdue obligations of dispute outcomes: the one definition of "overdue" and of "already
alerted in this overdue episode", whom an alert goes to, and the compliance headline of the
disputes list."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from plaint.accounts.models import Role, User
from plaint.complaints.visibility import readable_case_ids
from plaint.disputes.models import Obligation
from plaint.disputes.selectors_reports import Compliance, obligations_compliance

HEADLINE_DAYS = 365  # the compliance headline: obligations due in the last year


def is_overdue(obligation: Obligation, today: dt.date) -> bool:
    """Not done, and its due day has passed (the day itself is still on time)."""
    return obligation.done_at is None and obligation.due_on < today


def alerted_this_episode(obligation: Obligation) -> bool:
    """Whether the owner was already told that this obligation is overdue. An episode starts the
    day after the due day: an alert from before then (the obligation was overdue before and
    its due day moved on) does not count for the new one."""
    alerted = obligation.overdue_alerted_at
    return alerted is not None and timezone.localdate(alerted) > obligation.due_on


def overdue_unalerted(*, today: dt.date) -> QuerySet[Obligation]:
    """The overdue obligations nobody was told of in this episode, oldest due first (the
    partial index of open obligations by due day). Dates in the current time zone."""
    return (
        Obligation.objects.filter(done_at=None, due_on__lt=today)
        .filter(Q(overdue_alerted_at=None) | Q(overdue_alerted_at__date__lte=F("due_on")))
        .order_by("due_on", "pk")
    )


def alert_recipients(obligation: Obligation) -> list[User]:
    """Who hears that an obligation is overdue: its owner and a manager — the managers of the
    owner's team, else every manager, else the admins — of those who may read the complaint
    (a restricted case stays with its named readers): one statement per person told."""
    owner = obligation.owner
    active = User.objects.filter(is_active=True)
    managers = (
        list(active.filter(role=Role.MANAGER, team_id=owner.team_id)) if owner.team_id else []
    )
    managers = (
        managers or list(active.filter(role=Role.MANAGER)) or list(active.filter(role=Role.ADMIN))
    )
    people = {person.pk: person for person in [owner, *managers] if person.is_active}
    complaint_id = obligation.dispute.complaint_id
    return [p for p in people.values() if complaint_id in readable_case_ids(p, [complaint_id])]


def compliance_headline(*, today: dt.date) -> Compliance:
    """Compliance with outcomes for the list page: the obligations due in the last year up to
    yesterday (each has had its whole time), done on time, late or still overdue."""
    return obligations_compliance(
        first=today - dt.timedelta(days=HEADLINE_DAYS), after=today, today=today
    )
