"""The public rate limit: counted in the database, so all web processes share one allowance."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import RequestFactory

from plaint.core import ratelimit
from plaint.core.errors import RateLimited
from plaint.core.models import RateLimitCounter


def _request(addr: str = "203.0.113.7"):
    return RequestFactory().post("/complain/", REMOTE_ADDR=addr)


@pytest.mark.django_db
def test_the_limit_holds_per_client_and_action_and_is_stored_not_remembered():
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 15, tzinfo=dt.UTC), tick=False):
        for _ in range(3):
            ratelimit.hit(_request(), "complain", limit=3)
        with pytest.raises(RateLimited, match="45 minutes"):
            ratelimit.hit(_request(), "complain", limit=3)
        # Another client, or another action, has its own allowance.
        ratelimit.hit(_request("198.51.100.1"), "complain", limit=3)
        ratelimit.hit(_request(), "track", limit=3)
    row = RateLimitCounter.objects.get(key__startswith="complain:", count__gt=1)
    # One row per client, action and window, aligned to the hour; the address is not stored.
    assert row.count == 4 and row.window_start == dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    assert "203.0.113.7" not in row.key
    assert RateLimitCounter.objects.count() == 3


@pytest.mark.django_db
def test_a_new_window_starts_afresh_and_old_windows_are_pruned():
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 59, tzinfo=dt.UTC), tick=False):
        ratelimit.hit(_request(), "complain", limit=1)
        with pytest.raises(RateLimited):
            ratelimit.hit(_request(), "complain", limit=1)
    with time_machine.travel(dt.datetime(2026, 3, 2, 11, 0, tzinfo=dt.UTC), tick=False):
        ratelimit.hit(_request(), "complain", limit=1)
    assert RateLimitCounter.objects.count() == 2
    with time_machine.travel(dt.datetime(2026, 3, 3, 10, 30, tzinfo=dt.UTC), tick=False):
        assert ratelimit.ratelimit_forget_old() == 1
    assert list(RateLimitCounter.objects.values_list("window_start", flat=True)) == [
        dt.datetime(2026, 3, 2, 11, 0, tzinfo=dt.UTC)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("now", "seconds", "said"),
    [
        (dt.datetime(2026, 3, 2, 10, 0, 0), 3600, "in 60 minutes."),
        (dt.datetime(2026, 3, 2, 10, 15, 0), 2700, "in 45 minutes."),
        # rounded up: 61 seconds is not "1 minute"
        (dt.datetime(2026, 3, 2, 10, 58, 59), 61, "in 2 minutes."),
        (dt.datetime(2026, 3, 2, 10, 59, 0), 60, "in 1 minute."),
        (dt.datetime(2026, 3, 2, 10, 59, 30), 30, "in 30 seconds."),
        (dt.datetime(2026, 3, 2, 10, 59, 59, 500_000), 1, "in 1 second."),
    ],
)
def test_the_refusal_says_when_the_window_ends(now, seconds, said):
    with time_machine.travel(now.replace(tzinfo=dt.UTC), tick=False):
        ratelimit.hit(_request(), "complain", limit=1)
        with pytest.raises(RateLimited) as refused:
            ratelimit.hit(_request(), "complain", limit=1)
    assert refused.value.retry_after == seconds
    assert refused.value.headers() == {"Retry-After": str(seconds)}
    assert refused.value.message.endswith(said)
