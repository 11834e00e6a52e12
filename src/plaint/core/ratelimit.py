"""A fixed-window rate limit per client and action, kept in Django's cache."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from plaint.core.errors import RateLimited


def client_key(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is trivially forged unless a trusted proxy rewrites it.
    addr = request.META.get("REMOTE_ADDR", "unknown")
    return hashlib.sha256(addr.encode()).hexdigest()[:24]


def hit(request, action: str, *, limit: int | None = None, window: int = 3600) -> None:
    """Count one attempt; raise RateLimited once the client passes the limit in this window."""
    limit = limit or settings.PUBLIC_RATE_LIMIT_PER_HOUR
    bucket = int(time.time() // window)
    key = f"rl:{action}:{client_key(request)}:{bucket}"
    if cache.add(key, 1, timeout=window):
        return
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        count = 1
    if count > limit:
        raise RateLimited(
            f"Too many attempts from your address. Please try again in {window // 60} minutes."
        )
