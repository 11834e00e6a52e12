"""The organisation's API: the workers' periodic duties and their last runs (managers and
admins), as on the duties page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_noop
from ninja import Router, Schema

from plaint.accounts.access import can_configure
from plaint.accounts.api_auth import BearerToken, may
from plaint.core.problem import Problem
from plaint.core.selectors import duty_statuses

router = Router(tags=["operations"], auth=BearerToken())

_READ: dict[int, Any] = {401: Problem, 403: Problem}


class DutyOut(Schema):
    name: str
    label: str
    period_seconds: int
    state: str  # never, running, stalled, ok, failed, off
    last_started_at: dt.datetime | None
    last_finished_at: dt.datetime | None
    duration_seconds: float | None
    lease_holder: str
    lease_until: dt.datetime | None
    last_error: str
    runs: int
    failures: int
    takeovers: int
    next_due_at: dt.datetime | None


@router.get(
    "/duties",
    auth=may(can_configure, gettext_noop("read the periodic duties")),
    response={200: list[DutyOut], **_READ},
    summary="The workers' periodic duties: period, last run, outcome, lease",
)
def duty_list(request: HttpRequest):
    return [
        DutyOut(
            name=d.name,
            label=d.label,
            period_seconds=int(d.period.total_seconds()),
            state=d.state,
            last_started_at=d.started_at,
            last_finished_at=d.finished_at,
            duration_seconds=d.took.total_seconds() if d.took is not None else None,
            lease_holder=d.holder,
            lease_until=d.lease_until,
            last_error=d.error,
            runs=d.runs,
            failures=d.failures,
            takeovers=d.takeovers,
            next_due_at=d.next_due_at,
        )
        for d in duty_statuses()
    ]
