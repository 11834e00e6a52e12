"""500 mails through a real SMTP server on 127.0.0.1 that answers some with 4xx (try later), some
with 5xx (refused for good) and hangs on some past the client's timeout. Figures: 0 lost (every
mail accepted once, or given up and listed for staff), 0 sent twice, every permanent failure on
the staff page of undelivered mails."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from django.test import Client

from plaint.core.models import OutboundEmail
from plaint.core.services import email_enqueue
from plaint.core.worker import run_due_jobs
from tests.smtp_sink import ACCEPT, Answer, SmtpSink

pytestmark = [pytest.mark.reliability, pytest.mark.django_db]

MAILS = 500
TIMEOUT = 0.5  # the client's SMTP timeout (EMAIL_TIMEOUT), seconds
STALL = 3 * TIMEOUT  # how long the server hangs before it answers (too late: the client left)


def _number(message) -> int:
    return int(str(message["To"]).removeprefix("person").split("@")[0])


def faults(message, tries: int) -> Answer:
    """A fixed mix, by the mail's number: 50 answered "451" twice then accepted, 20 refused with
    "550", 10 hung on the first try then accepted, the rest accepted at once."""
    n = _number(message)
    if n % 10 == 3 and tries <= 2:
        return Answer("451 4.3.0 Mailbox busy, try again later")
    if n % 25 == 7:
        return Answer("550 5.1.1 No such mailbox")
    if n % 50 == 11 and tries == 1:
        return Answer("451 4.4.2 Too late", stall=STALL)
    return ACCEPT


EXPECTED_PERMANENT = sum(1 for n in range(MAILS) if n % 25 == 7)


@pytest.fixture
def faulty_smtp(settings):
    sink = SmtpSink(faults=faults).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = sink.host, sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = TIMEOUT
    settings.EMAIL_RETRY_BASE_SECONDS = 0  # a retry is due at once: the test needs no clock
    yield sink
    sink.stop()


def _enqueue(count: int) -> None:
    for n in range(count):
        email_enqueue(
            to=f"person{n}@example.org",
            kind="staff_notification",
            language="en",
            context={"kind": "assigned", "count": 1, "items": [{"reference": f"C-{n}"}]},
        )


def _drain(deadline_seconds: float) -> int:
    """Run the worker's passes until no mail is pending (bounded in passes and time)."""
    deadline = time.monotonic() + deadline_seconds
    passes = 0
    while OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING).exists():
        assert time.monotonic() < deadline, "the outbox did not drain in time"
        run_due_jobs(max_tasks=MAILS)
        passes += 1
    return passes


def test_smtp_faults_lose_nothing_send_nothing_twice_and_show_the_refused(
    faulty_smtp, admin_user, figure
):
    _enqueue(MAILS)
    _drain(deadline_seconds=90)

    mails = {m.message_id: m for m in OutboundEmail.objects.all()}
    accepted = Counter(r.message_id for r in faulty_smtp.messages)
    sent = {mid for mid, m in mails.items() if m.status == OutboundEmail.Status.SENT}
    failed = {mid for mid, m in mails.items() if m.status == OutboundEmail.Status.FAILED}
    lost = set(mails) - set(accepted) - failed  # neither delivered nor shown as given up
    twice = {mid: n for mid, n in accepted.items() if n > 1}

    client = Client()
    client.force_login(admin_user)
    page = client.get("/staff/notifications/undelivered/?limit=100").content.decode()
    shown = {mid for mid in failed if mails[mid].to in page}

    tries = Counter(faulty_smtp.tries.values())
    figure(f"SMTP faults: mails lost (of {MAILS})", len(lost), 0)
    figure("SMTP faults: mails sent twice", len(twice), 0)
    figure("SMTP faults: refused for good, shown to staff", len(shown), EXPECTED_PERMANENT)
    print(f"attempts per mail at the server: {dict(sorted(tries.items()))}")

    assert not lost and not twice
    assert sent == set(accepted) and len(sent) == MAILS - EXPECTED_PERMANENT
    assert len(failed) == EXPECTED_PERMANENT == len(shown)
    for mid in failed:  # a 5xx is final: given up after its one attempt, the reason kept
        assert mails[mid].attempts == 1 and "550" in mails[mid].last_error
    busy = [m for m in mails.values() if _number_of(m) % 10 == 3 and m.status == "sent"]
    assert busy and all(m.attempts == 3 for m in busy)


def _number_of(mail: OutboundEmail) -> int:
    return int(mail.to.removeprefix("person").split("@")[0])
