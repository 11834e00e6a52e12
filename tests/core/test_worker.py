"""The worker loop keeps going when a pass fails."""

from __future__ import annotations

import datetime as dt
import logging
import threading

import pytest
from django.db import OperationalError
from django.utils import timezone

from plaint.core import events, worker
from plaint.core.models import RateLimitCounter
from plaint.core.ratelimit import ratelimit_housekeeping

pytestmark = pytest.mark.django_db


def test_a_failing_pass_is_logged_and_the_worker_goes_on(monkeypatch, caplog):
    stop = threading.Event()
    calls: list[int | None] = []

    def flaky(max_tasks=None):
        calls.append(max_tasks)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        stop.set()
        return 0

    monkeypatch.setattr(worker, "run_due_jobs", flaky)
    monkeypatch.setattr(worker, "housekeeping", lambda: None)
    with caplog.at_level(logging.ERROR, logger="plaint.core.worker"):
        worker.run_forever(interval=0.01, stop=stop)
    assert calls == [100, 100], "the pass after the failure ran"
    assert "worker pass failed" in caplog.text


# --- housekeeping: the audit seal, then every subscribed duty on its own (HousekeepingDue) ------


@pytest.fixture
def duties(monkeypatch):
    """HousekeepingDue's handlers for one test: the apps' real ones replaced by recorders."""
    monkeypatch.setattr(events, "_handlers", {})
    return []


def test_duties_run_once_per_housekeeping_after_the_audit_seal(monkeypatch, duties):
    calls: list[str] = []
    monkeypatch.setattr(worker, "audit_seal", lambda: calls.append("seal"))
    events.subscribe(events.HousekeepingDue, lambda event: calls.append("first"))
    events.subscribe(events.HousekeepingDue, lambda event: calls.append("second"))
    worker.housekeeping()
    assert calls == ["seal", "first", "second"]
    worker.housekeeping()
    assert calls == ["seal", "first", "second"] * 2


def test_a_failing_duty_is_logged_and_the_others_still_run(monkeypatch, duties, caplog):
    ran: list[str] = []

    def broken(event):
        raise RuntimeError("the sweep fell over")

    def seal_fails():
        raise OperationalError("database is locked")

    monkeypatch.setattr(worker, "audit_seal", seal_fails)
    events.subscribe(events.HousekeepingDue, broken)
    events.subscribe(events.HousekeepingDue, lambda event: ran.append("after"))
    with caplog.at_level(logging.ERROR):
        worker.housekeeping()
    assert ran == ["after"]
    assert "housekeeping failed" in caplog.text  # the seal's failure stops no duty either
    assert "broken failed handling HousekeepingDue" in caplog.text
    assert "the sweep fell over" in caplog.text


def test_housekeeping_seals_and_a_lost_key_is_logged_plainly(duties, settings, caplog):
    from plaint.core.models import AuditDigest
    from tests.factories import make_complaint

    make_complaint()
    worker.housekeeping()
    assert AuditDigest.objects.get().number == 1
    settings.AUDIT_KEY_FILE.unlink()
    make_complaint(name="Jaan Tamm", email="jaan@example.org")
    with caplog.at_level(logging.ERROR, logger="plaint.core.worker"):
        worker.housekeeping()
    assert "audit trail not sealed: no audit key" in caplog.text
    assert "Traceback" not in caplog.text and AuditDigest.objects.count() == 1


def test_core_subscribes_its_duty_once():
    assert events.handlers_of(events.HousekeepingDue).count(ratelimit_housekeeping) == 1


def test_housekeeping_prunes_old_rate_limit_windows():
    old = timezone.now() - dt.timedelta(days=2)
    RateLimitCounter.objects.create(key="complain:x", window_start=old, count=3)
    RateLimitCounter.objects.create(key="complain:y", window_start=timezone.now(), count=1)
    worker.housekeeping()
    assert list(RateLimitCounter.objects.values_list("key", flat=True)) == ["complain:y"]
