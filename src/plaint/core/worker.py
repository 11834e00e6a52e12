"""The job worker: the e-mail outbox, django-tasks-db's jobs and Plaint's periodic duties.

``run_due_jobs`` delivers the due mails and drains the job queue once in this process (tests,
``plaint demo``'s in-process worker);
``run_forever`` is what ``plaint worker`` runs: any number of these, on any machines, share one queue.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid

from django.conf import settings
from django.db import close_old_connections

from plaint.core.duties import run_due_duties
from plaint.core.events import OutboxDue, publish_isolated
from plaint.core.services import email_deliver_due

log = logging.getLogger(__name__)


def _worker(*, batch: bool, interval: float, max_tasks: int | None = None):
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["default"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=f"plaint-{uuid.uuid4().hex[:12]}",
        excluded_queue_names=[],
    )


def run_due_jobs(max_tasks: int | None = None) -> int:
    """Deliver the outbox mails that are due, then the rows of the other outboxes (``OutboxDue``:
    webhooks), then claim and run the jobs that are due now, one at
    a time; return how many mails were tried and jobs ran. ``max_tasks`` bounds the mails and the
    jobs separately, so a backlog of mails never keeps the jobs waiting.

    The mails are claimed one by one (``email_deliver_due``: SKIP LOCKED on PostgreSQL); the jobs
    with the same claim as django-tasks-db's worker (SKIP LOCKED on PostgreSQL, an exclusive
    transaction on SQLite), without its connection recycling, so it also runs inside a test's
    transaction.
    """
    from django.db import OperationalError
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

    worker = _worker(batch=True, interval=0, max_tasks=max_tasks)
    mails = email_deliver_due(limit=max_tasks or 1000)
    outbox = OutboxDue(limit=max_tasks or 1000)
    publish_isolated(outbox)  # the other outboxes (webhooks); a failing one stops nothing else
    ran = 0
    while max_tasks is None or ran < max_tasks:
        tasks = DBTaskResult.objects.ready().filter(backend_name="default", queue_name="default")
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(worker.worker_id)
        except OperationalError as exc:
            if not is_locked_database_exception(exc):
                raise
            time.sleep(0.05)
            continue
        if task_result is None:
            break
        worker.run_task(task_result)
        ran += 1
    return mails + outbox.tried + ran


def housekeeping() -> dict[str, str]:
    """The periodic duties that are due (``core.duties``): each one claimed with its lease, so it
    runs once per period whatever the number of workers, on its own (a failing duty is logged
    and recorded and stops no other). Returns {duty: outcome} of those that ran here."""
    try:
        return run_due_duties()
    except Exception:  # the database gone away: housekeeping must never stop the worker
        log.exception("housekeeping failed")
        return {}


def run_forever(
    *,
    interval: float = 1.0,
    duties_every: float | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Deliver mails and run jobs until stopped, asking every few seconds (``duties_every``,
    default ``PLAINT_DUTIES_CHECK_SECONDS``) which periodic duties are due. A pass that fails
    (the database gone away, SQLite locked for too long) is logged and tried again after the
    interval: the worker never stops on its own."""
    stop = stop or threading.Event()
    every = settings.DUTIES_CHECK_SECONDS if duties_every is None else duties_every
    last_duties = -float("inf")
    while not stop.is_set():
        if time.monotonic() - last_duties >= every:
            last_duties = time.monotonic()
            housekeeping()
        try:
            ran = run_due_jobs(max_tasks=100)
        except Exception:
            log.exception("worker pass failed; trying again in %ss", interval)
            ran = 0
        close_old_connections()
        if not ran:
            stop.wait(interval)


def start_in_process(*, interval: float = 1.0) -> threading.Event:
    """Start the worker on a daemon thread of this process (the embedded default)."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run_forever,
        kwargs={"interval": interval, "stop": stop},
        daemon=True,
        name="plaint-worker",
    )
    thread.start()
    return stop
