"""The worker loop keeps going when a pass fails."""

from __future__ import annotations

import logging
import threading

import pytest
from django.db import OperationalError

from plaint.core import worker

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
