"""The measured promises with their calendars, the regulatory pauses and what an intake reads
besides them (the default calendar, the organisation), kept in Django's
cache under a key that names the configuration token.

Every change of codes, promises, pauses, categories, calendars or the organisation writes a new
configuration token (``core.services.config_changed``, in the change's own transaction); a process reads the one-row token and
finds the snapshot of that configuration in the cache or loads it. A rolled-back change leaves
the old token, so it invalidates nothing; a committed one is seen by every process at its next
read, whatever cache backend it uses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache

from plaint.complaints.models import Category
from plaint.core.calendars import Calendar
from plaint.core.models import Organisation
from plaint.core.selectors import calendar_get, config_token, organisation_get
from plaint.core.services import config_changed
from plaint.promises.models import Promise, RegulatoryPause
from plaint.promises.services.deadlines import ActivePromise
from plaint.promises.states import MEASURED, PUBLIC

# Calendars' closed days can also be edited without a configuration change: a snapshot is read
# from the database again at least this often.
SNAPSHOT_TTL_SECONDS = 60
SNAPSHOT_KEY = "promises:snapshot:{token}"


@dataclass(frozen=True)
class Snapshot:
    token: str
    promises: tuple[ActivePromise, ...]
    pauses: tuple[tuple[int | None, dt.datetime, dt.datetime], ...]  # (category id, start, end)
    # What an intake reads besides the promises: the organisation's default business calendar.
    default_calendar: Calendar | None = None
    # The organisation's settings as they were when loaded.
    organisation: Organisation | None = None
    # The promises of public codes (with their code), which a complaint can name as broken: the
    # case page's claim form, without a query of its own.
    claimable: tuple[Promise, ...] = ()
    # The measured promises' rows (with their code) by id: the case page's checks name their
    # promise from here instead of joining three tables (promises.selectors.complaint_checks).
    promise_rows: dict[int, Promise] = field(default_factory=dict)


def active_promises(*, token: str | None = None) -> Snapshot:
    """The snapshot of the current configuration: a one-row read of the token and a cache hit
    when it is known (no query when the caller already read the token and passes it)."""
    token = config_token() if token is None else token or ""
    key = SNAPSHOT_KEY.format(token=token)
    snap = cache.get(key)
    if snap is None:
        snap = _snapshot_load(token)
        cache.set(key, snap, SNAPSHOT_TTL_SECONDS)
    return snap


def _snapshot_load(token: str) -> Snapshot:
    organisation = organisation_get()
    category_ids = dict(Category.objects.values_list("code", "pk"))
    default_calendar = calendar_get(calendar_id=None)
    rows = list(
        Promise.objects.filter(code__state__in=list(MEASURED))
        .select_related("code")
        .order_by("code_id", "position", "id")
    )
    calendars: dict[int | None, Calendar] = {None: default_calendar}
    promises = []
    for p in rows:
        if p.calendar_id not in calendars:
            calendars[p.calendar_id] = calendar_get(calendar_id=p.calendar_id)
        ids = frozenset(category_ids[c] for c in p.categories if c in category_ids)
        if p.categories and not ids:
            ids = frozenset({-1})  # only unknown categories: applies to no case
        promises.append(ActivePromise.of(p, calendars[p.calendar_id], ids))
    pauses = tuple(
        RegulatoryPause.objects.order_by("starts_at").values_list(
            "category_id", "starts_at", "ends_at"
        )
    )
    return Snapshot(
        token,
        tuple(promises),
        pauses,
        default_calendar=default_calendar,
        organisation=organisation,
        claimable=tuple(
            sorted(
                (p for p in rows if p.code.state in PUBLIC),
                key=lambda p: (p.code.slug, p.position),
            )
        ),
        promise_rows={p.pk: p for p in rows},
    )


__all__ = ["Snapshot", "active_promises", "config_changed", "config_token"]
