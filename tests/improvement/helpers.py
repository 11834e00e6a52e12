"""Seeding for the improvement tests: complaints at chosen times, acknowledged or closed when
asked, so each indicator has a count worked out by hand."""

from __future__ import annotations

import datetime as dt

import time_machine

from plaint.complaints import services as cs
from plaint.core.actors import Actor
from tests.factories import make_complaint


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=dt.UTC)


def file_complaint(
    when: dt.datetime,
    staff_user,
    *,
    ack_after: dt.timedelta | None = None,
    close_after: dt.timedelta | None = None,
    **fields,
):
    """A complaint taken by letter at ``when`` (so not acknowledged at intake), acknowledged
    ``ack_after`` later and withdrawn (closed) ``close_after`` later when given."""
    staff = Actor.staff(staff_user)
    with time_machine.travel(when, tick=False):
        complaint, _token = make_complaint(actor=staff, **{"channel": "letter", **fields})
    if ack_after is not None:
        with time_machine.travel(when + ack_after, tick=False):
            cs.complaint_acknowledge(complaint_id=complaint.pk, actor=staff)
    if close_after is not None:
        with time_machine.travel(when + close_after, tick=False):
            cs.complaint_withdraw(complaint_id=complaint.pk, actor=staff)
    complaint.refresh_from_db()
    return complaint
