"""Reads of the access log (who read which case, when, how): the auditor's page, its CSV export
and ``GET /api/v1/audit/case-reads``, all through ``case_read_list`` / ``case_read_rows``."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader, can_read_access_log
from plaint.complaints.models import CaseRead, Complaint
from plaint.core.errors import ValidationFailed
from plaint.core.pagination import page_size

# Rows an export fetches at a time (memory per chunk, not per file).
EXPORT_CHUNK = 2000
ORDER = ("-at", "-id")


@dataclass(frozen=True)
class ReadFilters:
    """The auditor's questions: this person's reads, this case's reads, in this period (whole
    days in the organisation's time zone, both ends included)."""

    user: int | None = None
    case: str = ""  # a complaint's reference, e.g. C-2026-000123
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass
class ReadPage:
    items: list[CaseRead]
    next_cursor: str | None


def _midnight(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone)


def _filtered(*, actor: Reader, filters: ReadFilters, zone: dt.tzinfo) -> QuerySet[CaseRead]:
    if not can_read_access_log(actor):
        return CaseRead.objects.none()
    qs = CaseRead.objects.all()
    if filters.user is not None:
        qs = qs.filter(user_id=filters.user)
    if filters.case:
        # the case's id as a scalar subquery: the log's (complaint, -at) index is walked directly
        wanted = Complaint.objects.filter(reference=filters.case.strip().upper()).values("pk")
        qs = qs.filter(complaint_id=Subquery(wanted.order_by()[:1]))
    if filters.start:
        qs = qs.filter(at__gte=_midnight(filters.start, zone))
    if filters.end:
        qs = qs.filter(at__lt=_midnight(filters.end + dt.timedelta(days=1), zone))
    return qs.select_related("user", "complaint")


def _encode_cursor(row: CaseRead) -> str:
    raw = json.dumps([row.at.isoformat(), row.pk])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        at, last_id = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        moment = dt.datetime.fromisoformat(at)
        if moment.tzinfo is None:
            raise ValueError
        return moment, int(last_id)
    except (ValueError, TypeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        message = _("The page link is not valid: start again from the first page.")
        raise ValidationFailed(message, fields={"cursor": [message]}) from exc


def case_read_list(
    *,
    actor: Reader,
    filters: ReadFilters,
    zone: dt.tzinfo,
    cursor: str | None = None,
    limit: int = 50,
) -> ReadPage:
    """One page of the log, newest first, by keyset (``at``, ``id``): one statement at any depth,
    with the reader and the case joined."""
    qs = _filtered(actor=actor, filters=filters, zone=zone)
    limit = page_size(limit, default=50)
    if cursor:
        at, last_id = _decode_cursor(cursor)
        qs = qs.filter(Q(at__lt=at) | Q(at=at, id__lt=last_id))
    rows = list(qs.order_by(*ORDER)[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = _encode_cursor(rows[-1])
    return ReadPage(items=rows, next_cursor=next_cursor)


def case_read_rows(*, actor: Reader, filters: ReadFilters, zone: dt.tzinfo) -> Iterator[CaseRead]:
    """Every row of the log for ``filters``, newest first, for the CSV export: one statement
    however many rows, fetched in chunks, so memory stays flat."""
    qs = _filtered(actor=actor, filters=filters, zone=zone)
    return qs.order_by(*ORDER).iterator(chunk_size=EXPORT_CHUNK)
