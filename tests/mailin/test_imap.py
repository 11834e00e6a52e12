"""Fetching from a real IMAP server (Dovecot on 127.0.0.1, TLS): messages become cases, are
flagged or moved only once received, a bad one stops nothing, and TLS is checked."""

from __future__ import annotations

import dataclasses
import io
import ssl

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from plaint.complaints.models import Complaint
from plaint.core.duties import run_duty
from plaint.mailin.imap import mailbox_fetch
from plaint.mailin.models import InboundMail, Reason, Status
from tests.mailin.corpus import TEXTS, mail

pytestmark = pytest.mark.django_db


def test_unseen_messages_become_cases_and_are_flagged_seen(dovecot, imap_box):
    dovecot.append(imap_box.user, [mail(i, TEXTS["sv"].encode()) for i in range(3)])

    result = mailbox_fetch(imap_box)

    assert [r.status for r in result.received] == [Status.CASE] * 3
    assert {r.source for r in result.received} == {"imap:support"}
    assert Complaint.objects.filter(channel="email").count() == 3
    assert dovecot.unseen(imap_box.user) == 0
    assert dovecot.count(imap_box.user) == 3  # flagged, not deleted
    assert mailbox_fetch(imap_box).received == []  # nothing new the second time


def test_a_mailbox_with_a_move_to_folder_moves_each_message_once_received(dovecot, imap_box):
    with dovecot.mailbox(imap_box.user) as box:
        box.folder.create("Plaint")
    dovecot.append(imap_box.user, [mail(i, b"Broken heater.") for i in range(10, 12)])

    mailbox_fetch(dataclasses.replace(imap_box, move_to="Plaint"))

    assert dovecot.count(imap_box.user) == 0
    assert dovecot.count(imap_box.user, "Plaint") == 2


def test_one_bad_message_is_quarantined_and_the_rest_still_arrive(dovecot, imap_box):
    dovecot.append(
        imap_box.user,
        [mail(20, b"First."), b"garbage without headers", mail(21, b"Third.")],
    )

    result = mailbox_fetch(imap_box)

    assert [r.status for r in result.received] == [Status.CASE, Status.QUARANTINED, Status.CASE]
    assert result.received[1].reason == Reason.PARSE_ERROR
    assert result.received[1].detail  # the parse error, shown to staff
    assert dovecot.unseen(imap_box.user) == 0


def test_a_server_whose_certificate_is_not_trusted_is_refused(dovecot, imap_box, settings):
    settings.MAILIN_CA_FILE = ""  # the self-signed certificate is not in the system's store
    dovecot.append(imap_box.user, [mail(30, b"Hello.")])

    with pytest.raises(ssl.SSLCertVerificationError):
        mailbox_fetch(imap_box)

    assert not InboundMail.objects.exists()
    assert dovecot.unseen(imap_box.user) == 1


def _configured(settings, dovecot, box) -> None:
    settings.MAILIN_MAILBOXES = [
        {"name": "support", "host": dovecot.host, "port": dovecot.port, "user": box.user,
         "password": box.password, "folder": "INBOX", "move_to": ""}
    ]  # fmt: skip


def test_plaint_mail_fetch_once_reports_what_each_mailbox_received(dovecot, imap_box, settings):
    _configured(settings, dovecot, imap_box)
    dovecot.append(imap_box.user, [mail(40, b"Cold soup."), b"no headers at all"])
    out = io.StringIO()

    call_command("mail", "fetch", "--once", stdout=out)

    assert out.getvalue().strip() == "support: 1 case, 1 quarantined"


def test_plaint_mail_fetch_without_mailboxes_says_how_to_configure_them(settings):
    settings.MAILIN_MAILBOXES = []
    with pytest.raises(CommandError, match="PLAINT_MAILIN_MAILBOXES"):
        call_command("mail", "fetch", "--once")


def test_the_workers_fetch_duty_fetches(dovecot, imap_box, settings, run_jobs):
    _configured(settings, dovecot, imap_box)
    dovecot.append(imap_box.user, [mail(50, b"The lift is broken.")])

    assert run_duty("mailin.fetch") == "ok"
    run_jobs()

    assert InboundMail.objects.get().status == Status.CASE
    assert dovecot.unseen(imap_box.user) == 0
