"""Two worker processes sharing one PostgreSQL outbox deliver every mail exactly once.

The workers are real OS processes running ``plaint.core.worker.run_due_jobs`` against the test
database, delivering to a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from plaint.core.models import OutboundEmail
from tests.factories import make_complaint

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
MAILS = 200

# Each worker sets Django up, says "ready", waits for the go file (so both start draining at the
# same moment), then runs batches until the queue is empty. Every loop is bounded.
WORKER = """
import json, os, sys, time
import django
django.setup()
from plaint.core.worker import run_due_jobs
print("ready", flush=True)
go = sys.argv[1]
deadline = time.monotonic() + 60
while not os.path.exists(go) and time.monotonic() < deadline:
    time.sleep(0.01)
ran = 0
for _ in range(100):
    n = run_due_jobs(max_tasks=50)
    ran += n
    if n == 0:
        break
print(json.dumps({"ran": ran}), flush=True)
"""


def _database_url() -> str:
    db = connection.settings_dict  # NAME is pytest-django's test database (test_plaint[_gwN])
    user = quote(db["USER"] or "", safe="")
    password = quote(db["PASSWORD"] or "", safe="")
    return f"postgresql://{user}:{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _run_two_workers(smtp_server, tmp_path) -> list[int]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "plaint.settings",
        "PLAINT_ENV": "test",
        "DATABASE_URL": _database_url(),
        "DB_CONN_MAX_AGE": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": smtp_server.host,
        "EMAIL_PORT": str(smtp_server.port),
        "EMAIL_TIMEOUT": "10",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("PLAINT_TASKS_IMMEDIATE", None)
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(go)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for worker in workers:
            assert worker.stdout.readline().strip() == "ready", worker.stderr.read()
        go.touch()
        results = []
        for worker in workers:
            out, err = worker.communicate(timeout=120)
            assert worker.returncode == 0, err
            results.append(json.loads(out.strip().splitlines()[-1])["ran"])
        return results
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=10)


def _file_complaints(count: int) -> list[OutboundEmail]:
    for i in range(count):
        make_complaint(email=f"person{i}@example.org", name=f"Person {i}")
    emails = list(OutboundEmail.objects.order_by("pk"))
    assert len(emails) == count
    return emails


def _assert_each_mail_delivered_once(smtp_server, emails: list[OutboundEmail]) -> None:
    received = smtp_server.wait_for(len(emails), timeout=10)
    by_id = Counter(r.message_id for r in received)
    duplicates = {mid: n for mid, n in by_id.items() if n > 1}
    assert not duplicates, f"delivered more than once: {duplicates}"
    assert set(by_id) == {e.message_id for e in emails}
    assert len(received) == len(emails)
    for r in received:
        assert r.rcpt_tos[0].startswith("person")
    statuses = Counter(OutboundEmail.objects.values_list("status", "attempts"))
    assert statuses == {(OutboundEmail.Status.SENT, 1): len(emails)}


def test_two_workers_deliver_every_mail_exactly_once(smtp_server, tmp_path):
    emails = _file_complaints(MAILS)
    assert not DBTaskResult.objects.exists(), "the outbox row is the job"

    started = time.monotonic()
    ran = _run_two_workers(smtp_server, tmp_path)

    assert sum(ran) == MAILS, f"mails tried per worker: {ran}"
    assert all(n > 0 for n in ran), f"both workers should have taken mails: {ran}"
    _assert_each_mail_delivered_once(smtp_server, emails)
    assert time.monotonic() - started < 120
