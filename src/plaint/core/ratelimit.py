"""A fixed-window rate limit per client and action, counted in the database.

The count lives in a table, not in a process's memory, so every web process and machine behind the
same database shares one limit: two gunicorn workers do not double a client's allowance.
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import ngettext

from plaint.core.digest import sha256_hex
from plaint.core.errors import RateLimited
from plaint.core.models import RateLimitCounter


def client_key(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is trivially forged unless a trusted proxy rewrites it.
    addr = request.META.get("REMOTE_ADDR", "unknown")
    return sha256_hex(addr)[:24]


def _count_one(key: str, window_start: dt.datetime) -> int:
    """Add one attempt and return the window's new count, atomically (one upsert statement)."""
    table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, window_start, count) VALUES (%s, %s, 1) "  # noqa: S608 - the table name is ours
            f"ON CONFLICT (key, window_start) DO UPDATE SET count = {table}.count + 1 "
            "RETURNING count",
            [key, window_start],
        )
        return cursor.fetchone()[0]


def hit(request, action: str, *, limit: int | None = None, window: int = 3600) -> None:
    """Count one attempt; raise RateLimited once the client passes the limit in this window. The
    error says when the window ends: ``retry_after`` in whole seconds (rounded up) and a message
    in the active language."""
    limit = limit or settings.PUBLIC_RATE_LIMIT_PER_HOUR
    now = timezone.now()
    start = dt.datetime.fromtimestamp(now.timestamp() // window * window, tz=dt.UTC)
    count = _count_one(f"{action}:{client_key(request)}", start)
    if count > limit:
        remaining = start + dt.timedelta(seconds=window) - now
        seconds = max(1, math.ceil(remaining.total_seconds()))
        raise RateLimited(retry_message(seconds), retry_after=seconds)


def retry_message(seconds: int) -> str:
    """The message: try again in N minutes (rounded up), or in seconds within the last minute."""
    if seconds < 60:
        return ngettext(
            "Too many attempts from your address. Please try again in %(seconds)d second.",
            "Too many attempts from your address. Please try again in %(seconds)d seconds.",
            seconds,
        ) % {"seconds": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Too many attempts from your address. Please try again in %(minutes)d minute.",
        "Too many attempts from your address. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def ratelimit_forget_old(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Housekeeping: drop counters of windows that ended long ago. Returns how many went."""
    deleted, _ = RateLimitCounter.objects.filter(
        window_start__lt=timezone.now() - older_than
    ).delete()
    return deleted
