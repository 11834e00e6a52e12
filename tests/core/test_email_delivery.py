"""The outbox against a real SMTP server on 127.0.0.1: delivery, retries with backoff, giving up,
no duplicates, and nothing sent for a rolled-back change."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.db import transaction
from django.utils import dateformat, timezone, translation
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from plaint.complaints.models import Complaint
from plaint.complaints.services import tracking_url
from plaint.core.models import OutboundEmail
from plaint.core.selectors import organisation_get
from plaint.core.services import REDACTED, email_deliver_due
from tests.factories import make_complaint
from tests.smtp_sink import ACCEPT, Answer

pytestmark = pytest.mark.django_db


def _local(moment: dt.datetime) -> str:
    tz = zoneinfo.ZoneInfo(organisation_get().timezone)
    with translation.override("en"):
        return dateformat.format(timezone.localtime(moment, tz), "j F Y, H:i")


def test_filing_a_complaint_delivers_one_acknowledgement(smtp_server, run_jobs):
    complaint, token = make_complaint(name="Mari Maasikas", email="mari@example.org")
    assert smtp_server.messages == [], "nothing is sent inside the filing transaction"

    assert run_jobs() == 1

    [received] = smtp_server.messages
    outbox = OutboundEmail.objects.get(complaint=complaint)
    assert outbox.kind == "acknowledgement"
    assert outbox.status == OutboundEmail.Status.SENT
    assert outbox.attempts == 1
    assert outbox.sent_at is not None
    assert received.rcpt_tos == ["mari@example.org"]
    assert received.message["To"] == "mari@example.org"
    assert received.message_id == outbox.message_id
    assert received.message["Auto-Submitted"] == "auto-generated"
    assert complaint.reference in received.message["Subject"]
    body = received.body
    assert "Dear Mari Maasikas" in body
    assert complaint.reference in body
    assert tracking_url(token) in body
    assert _local(complaint.acknowledgement_due_at) in body
    assert _local(complaint.response_due_at) in body
    assert not DBTaskResult.objects.exists(), "the outbox row is the job: no second queue"
    # Rendered by the worker; what the outbox keeps of it has no tracking link any more.
    assert outbox.subject == received.message["Subject"]
    assert "Dear Mari Maasikas" in outbox.body and complaint.reference in outbox.body
    assert token not in outbox.body and REDACTED in outbox.body


def test_the_intake_writes_the_acknowledgement_unrendered_with_its_link_only_there(db):
    complaint, token = make_complaint(name="Mari Maasikas")
    outbox = OutboundEmail.objects.get(complaint=complaint)
    assert outbox.subject == "" and "Dear" not in outbox.body  # rendered by the worker
    assert tracking_url(token) in outbox.body  # until it is sent: the mail needs it
    assert token not in complaint.tracking_digest


def test_a_rendering_failure_is_retried_like_a_transport_failure(smtp_server, run_jobs):
    complaint, _ = make_complaint()
    email = OutboundEmail.objects.get(complaint=complaint)
    email.kind = "no_such_template"
    email.save(update_fields=["kind"])
    assert run_jobs() == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.PENDING and email.attempts == 1
    assert "TemplateDoesNotExist" in email.last_error
    assert smtp_server.messages == []


def test_mail_server_down_keeps_the_complaint_and_retries_with_backoff(
    smtp_server, run_jobs, settings
):
    settings.EMAIL_RETRY_BASE_SECONDS = 30
    smtp_server.stop()  # the port is closed: connections are refused

    complaint, token = make_complaint()
    started = timezone.now()
    assert run_jobs() == 1

    assert Complaint.objects.filter(pk=complaint.pk, state="acknowledged").exists()
    email = OutboundEmail.objects.get(complaint=complaint)
    assert email.status == OutboundEmail.Status.PENDING
    assert email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error
    assert email.claimed_until is None
    # First retry after the base delay: the row is not due before then (no job: the row is it).
    assert started + dt.timedelta(seconds=29) < email.next_attempt_at
    assert email.next_attempt_at <= timezone.now() + dt.timedelta(seconds=30)
    assert run_jobs() == 0, "the retry is not due yet"
    email.refresh_from_db()
    assert email.attempts == 1

    # Still down at the first retry: the delay doubles.
    with time_machine.travel(email.next_attempt_at + dt.timedelta(seconds=1), tick=False):
        assert run_jobs() == 1
        email.refresh_from_db()
        assert email.attempts == 2
        assert email.status == OutboundEmail.Status.PENDING
        assert email.next_attempt_at == timezone.now() + dt.timedelta(seconds=60)
        second_retry_at = email.next_attempt_at

    smtp_server.start()
    with time_machine.travel(second_retry_at - dt.timedelta(seconds=5), tick=False):
        assert run_jobs() == 0, "backoff is respected even when the server is back"
    assert smtp_server.messages == []

    with time_machine.travel(second_retry_at + dt.timedelta(seconds=1), tick=False):
        assert run_jobs() == 1
    [received] = smtp_server.messages
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 3
    assert email.last_error == ""
    assert received.message_id == email.message_id
    assert tracking_url(token) in received.body

    # Nothing delivers it again: not another worker pass, not the drain.
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2), tick=False):
        assert run_jobs() == 0
        assert email_deliver_due() == 0
    assert len(smtp_server.messages) == 1


def test_a_mail_whose_worker_died_mid_delivery_is_tried_again_when_its_lease_ends(
    smtp_server, run_jobs
):
    complaint, _ = make_complaint()
    email = OutboundEmail.objects.get(complaint=complaint)
    # A worker claimed it (lease of five minutes) and died before sending.
    OutboundEmail.objects.filter(pk=email.pk).update(
        claimed_until=timezone.now() + dt.timedelta(minutes=5), attempts=1
    )
    assert run_jobs() == 0, "another worker holds its lease"
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6), tick=False):
        assert run_jobs() == 1
        assert run_jobs() == 0
    [received] = smtp_server.messages
    assert complaint.reference in received.message["Subject"]
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT and email.attempts == 2


def test_the_drain_takes_the_oldest_due_mails_first_and_at_most_its_limit(smtp_server):
    make_complaint(email="first@example.org")
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5), tick=False):
        make_complaint(email="second@example.org")
        make_complaint(email="third@example.org")
        assert email_deliver_due(limit=2) == 2
        assert [m.rcpt_tos for m in smtp_server.messages] == [
            ["first@example.org"],
            ["second@example.org"],
        ]
        assert email_deliver_due(limit=2) == 1
    assert OutboundEmail.objects.filter(status="sent").count() == 3


def test_gives_up_after_max_attempts(smtp_server, run_jobs, settings):
    settings.EMAIL_MAX_ATTEMPTS = 3
    smtp_server.stop()
    make_complaint()
    email = OutboundEmail.objects.get()
    assert "/track/" in email.body

    for attempt in range(1, 4):
        email.refresh_from_db()
        with time_machine.travel(email.next_attempt_at + dt.timedelta(seconds=1), tick=False):
            assert run_jobs() == 1
        email.refresh_from_db()
        assert email.attempts == attempt

    assert email.status == OutboundEmail.Status.FAILED
    assert "ConnectionRefusedError" in email.last_error
    assert "/track/" not in email.body, "a mail given up on keeps no tracking link"
    smtp_server.start()
    with time_machine.travel(timezone.now() + dt.timedelta(days=2), tick=False):
        assert email_deliver_due() == 0
        assert run_jobs() == 0
    assert smtp_server.messages == []


@pytest.mark.parametrize("refused_at", ["RCPT", "DATA"])
def test_a_5xx_refusal_is_given_up_at_once_and_a_4xx_is_tried_again(
    smtp_server, run_jobs, refused_at
):
    if refused_at == "RCPT":
        smtp_server.refused_recipients.add("gone@example.org")
    else:
        smtp_server.faults = lambda message, tries: (
            Answer("550 5.7.1 Refused") if "gone" in str(message["To"]) else ACCEPT
        )
    make_complaint(email="gone@example.org")
    run_jobs()
    email = OutboundEmail.objects.get()
    assert email.status == OutboundEmail.Status.FAILED and email.attempts == 1
    assert "550" in email.last_error

    smtp_server.faults = lambda message, tries: Answer("451 4.3.0 Try later")
    make_complaint(email="busy@example.org")
    run_jobs()
    busy = OutboundEmail.objects.get(to="busy@example.org")
    assert busy.status == OutboundEmail.Status.PENDING and "451" in busy.last_error
    assert smtp_server.messages == []


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_complaint_sends_nothing(smtp_server, run_jobs):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_complaint()
        assert OutboundEmail.objects.count() == 1
        raise RuntimeError("the caller's transaction fails after filing")

    assert not Complaint.objects.exists()
    assert not OutboundEmail.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert run_jobs() == 0
    assert smtp_server.messages == []


@task()
def a_job() -> str:
    """Any job will do for the worker tests."""
    return "done"


def test_due_mails_never_keep_the_jobs_waiting(smtp_server, run_jobs):
    """A pass's limit holds for the mails and the jobs separately: three due mails and a job with
    a limit of two send two mails and still run the job."""
    for i in range(3):
        make_complaint(email=f"p{i}@example.org")
    a_job.enqueue()
    assert run_jobs(max_tasks=2) == 3
    [job] = DBTaskResult.objects.all()
    assert job.status == "SUCCESSFUL" and job.return_value == "done"
    assert len(smtp_server.messages) == 2
    assert run_jobs(max_tasks=2) == 1, "the third mail in the next pass"
    assert len(smtp_server.messages) == 3


def test_the_migration_deletes_the_queued_jobs_of_the_removed_deliver_email_task(smtp_server):
    """Jobs of the removed ``deliver_email`` task still queued at the upgrade are deleted (their
    mails are outbox rows the drain delivers); finished ones and other tasks' jobs stay."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("plaint.core.migrations.0006_drop_deliver_email_jobs")
    complaint, _ = make_complaint()
    email = OutboundEmail.objects.get(complaint=complaint)
    now = timezone.now()

    def job(path: str, status: str) -> DBTaskResult:
        return DBTaskResult.objects.create(
            task_path=path,
            status=status,
            args_kwargs={"args": [email.pk], "kwargs": {}},
            backend_name="default",
            run_after=now,
        )

    queued = job(migration.DELIVER_EMAIL, "READY")
    finished = job(migration.DELIVER_EMAIL, "SUCCESSFUL")
    other = job(f"{__name__}.a_job", "READY")
    migration.delete_queued_deliver_email_jobs(apps, None)
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {finished.pk, other.pk}
    assert not DBTaskResult.objects.filter(pk=queued.pk).exists()
    assert email_deliver_due() == 1, "the drain delivers the mail"
    assert len(smtp_server.messages) == 1


def test_a_locked_sqlite_database_claims_nothing_and_the_next_pass_tries_again(
    smtp_server, monkeypatch
):
    from django.db import OperationalError

    from plaint.core import services

    make_complaint()

    def locked(*args):
        raise OperationalError("database is locked")

    with monkeypatch.context() as patch:
        patch.setattr(services, "_claim", locked)
        assert email_deliver_due() == 0
    assert email_deliver_due() == 1
    assert len(smtp_server.messages) == 1
