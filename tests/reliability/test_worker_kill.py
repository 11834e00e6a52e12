"""kill -9 of one of two ``plaint worker`` processes while they deliver 200 mails from the
PostgreSQL outbox to a real SMTP server on 127.0.0.1. Figures: 0 mails lost; mails delivered
twice, counted (delivery is at least once: a worker killed after the server accepted a mail and
before it marked the mail sent leaves it to the other worker when its lease ends; each worker
holds one mail at a time, so at most 1 per kill)."""

from __future__ import annotations

import signal
from collections import Counter

import pytest
from django.db import connection

from plaint.core.models import OutboundEmail
from plaint.core.services import email_enqueue
from tests.reliability.processes import database_url, plaint, plaint_env, stop, wait_until
from tests.smtp_sink import Answer, SmtpSink

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
]

MAILS = 200
LEASE = 3  # seconds a worker holds a mail it is sending (PLAINT_EMAIL_CLAIM_LEASE_SECONDS)
KILL_AFTER = 60  # mails accepted by the server before one worker is killed


def _slow(message, tries) -> Answer:
    """Every mail takes the server 20 ms to accept, so the kill lands mid-delivery."""
    return Answer(stall=0.02)


def test_kill_9_of_a_worker_loses_no_mail(tmp_path, figure):
    sink = SmtpSink(faults=_slow).start()
    for n in range(MAILS):
        email_enqueue(
            to=f"person{n}@example.org",
            kind="staff_notification",
            language="en",
            context={"kind": "assigned", "count": 1, "items": [{"reference": f"C-{n}"}]},
        )
    env = plaint_env(
        database=database_url(connection.settings_dict),
        data_dir=tmp_path,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST=sink.host,
        EMAIL_PORT=str(sink.port),
        EMAIL_TIMEOUT="5",
        PLAINT_EMAIL_CLAIM_LEASE_SECONDS=str(LEASE),
        DB_CONN_MAX_AGE="0",
    )
    workers = [
        plaint("worker", "--interval", "0.2", env=env, log=tmp_path / f"worker{i}.log")
        for i in range(2)
    ]
    try:
        wait_until(lambda: len(sink.messages) >= KILL_AFTER, timeout=60, what="first mails")
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(timeout=10)
        at_kill = len(sink.messages)
        pending = OutboundEmail.objects.exclude(status=OutboundEmail.Status.SENT)
        wait_until(lambda: not pending.exists(), timeout=90, every=0.2, what="the outbox")
    finally:
        for worker in workers:
            stop(worker)
        sink.stop()

    accepted = Counter(r.message_id for r in sink.messages)
    ids = set(OutboundEmail.objects.values_list("message_id", flat=True))
    lost = ids - set(accepted)
    twice = sum(n - 1 for n in accepted.values() if n > 1)
    figure(f"worker kill -9: mails lost (of {MAILS})", len(lost), 0)
    figure(
        "worker kill -9: mails delivered twice (at least once)", twice, "at most 1", ok=twice <= 1
    )
    print(f"killed after {at_kill} mails accepted; {twice} delivered twice")
    assert workers[0].returncode == -signal.SIGKILL
    assert at_kill < MAILS, "the kill came before the end"
    assert not lost and set(accepted) == ids
    assert twice <= 1
