"""The worker loop keeps going when a pass fails."""

from __future__ import annotations

import datetime as dt
import logging
import threading

import pytest
import time_machine
from django.db import OperationalError
from django.utils import timezone

from plaint.core import worker
from plaint.core.models import RateLimitCounter

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
    monkeypatch.setattr(worker, "housekeeping", dict)
    with caplog.at_level(logging.ERROR, logger="plaint.core.worker"):
        worker.run_forever(interval=0.01, stop=stop)
    assert calls == [100, 100], "the pass after the failure ran"
    assert "worker pass failed" in caplog.text


# --- housekeeping: the due periodic duties, each on its own (core.duties) ----------------------


def test_housekeeping_seals_and_a_lost_key_is_recorded_plainly(settings, caplog):
    from plaint.core.models import AuditDigest, Duty
    from tests.factories import make_complaint

    make_complaint()
    assert worker.housekeeping()["core.audit_seal"] == "ok"
    assert AuditDigest.objects.get().number == 1
    settings.AUDIT_KEY_FILE.unlink()
    make_complaint(name="Jaan Tamm", email="jaan@example.org")
    with (
        caplog.at_level(logging.ERROR, logger="plaint.core.duties"),
        time_machine.travel(timezone.now() + dt.timedelta(minutes=6)),
    ):
        assert worker.housekeeping()["core.audit_seal"] == "failed"
    assert "duty core.audit_seal failed: AuditKeyProblem: no audit key" in caplog.text
    assert "Traceback" not in caplog.text and AuditDigest.objects.count() == 1
    seal = Duty.objects.get(name="core.audit_seal")
    assert (seal.runs, seal.failures, seal.last_outcome) == (2, 1, "failed")
    assert seal.last_error.startswith("AuditKeyProblem: no audit key")


def test_housekeeping_prunes_old_rate_limit_windows():
    old = timezone.now() - dt.timedelta(days=2)
    RateLimitCounter.objects.create(key="complain:x", window_start=old, count=3)
    RateLimitCounter.objects.create(key="complain:y", window_start=timezone.now(), count=1)
    worker.housekeeping()
    assert list(RateLimitCounter.objects.values_list("key", flat=True)) == ["complain:y"]


def test_the_worker_asks_for_due_duties_every_few_seconds(monkeypatch):
    stop = threading.Event()
    passes: list[str] = []
    monkeypatch.setattr(worker, "housekeeping", lambda: passes.append("duties"))

    def one_pass(max_tasks=None):
        passes.append("jobs")
        if passes.count("jobs") == 3:
            stop.set()
        return 1  # busy: no wait between passes

    monkeypatch.setattr(worker, "run_due_jobs", one_pass)
    worker.run_forever(interval=0.01, duties_every=3600, stop=stop)
    assert passes == ["duties", "jobs", "jobs", "jobs"]
