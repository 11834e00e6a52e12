"""The corpus of real-shaped mails through intake: no crash, none lost, none doubled; each mail
is a case (its text shown as written, in its language) or waits in the quarantine with a reason."""

from __future__ import annotations

import pytest

from plaint.complaints.models import Complaint
from plaint.core.models import Attachment, OutboundEmail
from plaint.mailin.models import InboundMail, Status
from plaint.mailin.services import mail_receive
from tests.mailin.corpus import TEXTS, corpus, huge_mail, many_attachments

pytestmark = pytest.mark.django_db

SAMPLES = corpus()


def test_the_corpus_is_large_and_covers_every_language():
    assert len(SAMPLES) >= 300
    assert {s.language for s in SAMPLES if s.language} == set(TEXTS)


def test_every_mail_of_the_corpus_is_a_case_or_quarantined_with_a_reason():
    rows = [(sample, mail_receive(raw=sample.raw, source="test")) for sample in SAMPLES]

    assert InboundMail.objects.count() == len(SAMPLES)  # none lost, none merged
    for sample, row in rows:
        assert row.status in {Status.CASE, Status.QUARANTINED}, sample.name
        if row.status == Status.QUARANTINED:
            assert row.reason, sample.name
        if sample.expect == "quarantined":
            assert row.status == Status.QUARANTINED, sample.name
            if sample.reason:
                assert row.reason == sample.reason, (sample.name, row.reason, row.detail)
        if sample.expect == "case":
            assert row.status == Status.CASE, (sample.name, row.reason, row.detail)
            complaint = Complaint.objects.get(pk=row.complaint_id)
            assert complaint.channel == "email"
            assert sample.text in complaint.description, sample.name
            assert "steal()" not in complaint.description  # scripts never reach the case
            if sample.language:
                assert complaint.complainant.language == sample.language, sample.name
    cases = InboundMail.objects.filter(status=Status.CASE).count()
    # A person's mail is acknowledged at once, as from the web form; machines' mail never is.
    assert OutboundEmail.objects.filter(kind="acknowledgement").count() == cases
    # Receipts kept under the upload rules; the TNEF winmail.dat and the .exe left out, by name.
    attached = next(r for s, r in rows if s.name == "attachments")
    names = set(
        Attachment.objects.filter(complaint=attached.complaint).values_list(
            "original_name", flat=True
        )
    )
    assert names == {"receipt.pdf", "photo.png"}
    assert "winmail.dat" in attached.detail and "run.exe" in attached.detail
    inline = next(r for s, r in rows if s.name == "inline-image")
    assert (
        Attachment.objects.filter(complaint=inline.complaint, content_type="image/png").count() == 1
    )

    again = [mail_receive(raw=sample.raw, source="test") for sample in SAMPLES[::10]]
    assert [r.pk for r in again] == [r.pk for _, r in rows[::10]]  # the same rows: no doubles
    assert InboundMail.objects.count() == len(SAMPLES)
    assert Complaint.objects.count() == cases


def test_a_30_mb_mail_becomes_a_case_without_its_oversized_file(settings):
    row = mail_receive(raw=huge_mail(1, 30), source="test")

    assert row.status == Status.CASE
    assert row.size > 30_000_000
    assert TEXTS["et"] in row.complaint.description
    assert "scan.pdf" in row.detail  # larger than the upload limit: left out, named
    assert not Attachment.objects.filter(complaint=row.complaint).exists()


def test_a_mail_with_1000_attachments_keeps_as_many_as_an_upload_may(settings):
    row = mail_receive(raw=many_attachments(2, 1000), source="test")

    assert row.status == Status.CASE
    kept = Attachment.objects.filter(complaint=row.complaint).count()
    assert kept == settings.ATTACHMENT_MAX_COUNT
    assert f"+{1000 - kept - 20}" in row.detail  # the first 20 left out are named, then a count
