"""A person's data as a streamed ZIP: JSON plus their files, in well under a minute."""

from __future__ import annotations

import io
import json
import time
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from plaint.complaints.services import message_post
from plaint.core.actors import Actor
from plaint.core.models import AuditEvent
from plaint.core.uploads import check_uploads
from plaint.disputes import services
from plaint.privacy.exports import subject_export_stream
from plaint.privacy.selectors import subject_lookup
from plaint.privacy.services import subject_export_record
from tests.disputes.cases import (
    CONSENT,
    decided_complaint,
    obligation,
    provider_with_all_methods,
    refer,
)
from tests.factories import UserFactory, make_complaint
from tests.privacy.conftest import EMAIL, NAME, OTHER_NAME


def _unzip(subject) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(subject_export_stream(subject))))


def test_the_zip_holds_their_cases_messages_answers_and_files(person, admin_user):
    subject = subject_lookup(query=EMAIL)
    subject_export_record(actor=Actor.staff(admin_user), subject=subject)
    archive = _unzip(subject)
    document = json.loads(archive.read("subject.json"))
    assert [c["reference"] for c in document["complaints"]] == [c.reference for c in person]
    assert {p["name"] for p in document["complainants"]} == {NAME}
    assert all(p["consent_at"] for p in document["complainants"])
    assert {m["direction"] for m in document["messages"]} == {"in", "out"}  # no internal notes
    assert any(NAME in a["text"] for a in document["survey_answers"])
    assert any(m["to"] == EMAIL for m in document["mails"])
    files = [n for n in archive.namelist() if n.startswith("files/")]
    assert len(files) == 2 and archive.read(files[0]) == f"Receipt for {NAME}\n".encode()
    assert OTHER_NAME not in archive.read("subject.json").decode()
    event = AuditEvent.objects.get(case_type="subject_export")
    assert event.data == {"cases": 2, "responses": 1} and event.personal == {}


def test_many_cases_export_within_a_minute(media, admin_user):
    for n in range(40):
        upload = SimpleUploadedFile(f"photo-{n}.txt", b"x" * 50_000, content_type="text/plain")
        make_complaint(name=NAME, email=EMAIL, attachments=check_uploads([upload]))
    started = time.monotonic()
    subject = subject_lookup(query=EMAIL)
    archive = _unzip(subject)
    elapsed = time.monotonic() - started
    assert len(json.loads(archive.read("subject.json"))["complaints"]) == 40
    assert len([n for n in archive.namelist() if n.startswith("files/")]) == 40
    assert elapsed < 60, elapsed


def test_her_dispute_is_exported_as_she_is_shown_it_without_staffs_internal_files(
    media, handler, manager
):
    """Her consent, the dispute's chain of events, her own evidence (from the tracking page, with its file, and a letter staff
    put in the file for her), the neutral's request to her and the obligations owed to her are
    in subject.json; the organisation's position, its evidence file, the neutral's request to the
    organisation and an internal note's file are not; files/ holds exactly the files listed."""
    provider = provider_with_all_methods(manager)
    complaint = decided_complaint(
        handler, name=NAME, email=EMAIL, attachments=_text_file("receipt.txt", b"Receipt 129.00")
    )
    staff = Actor.staff(handler)
    message_post(complaint_id=complaint.pk, actor=staff, body="Memo.", internal=True,
                 attachments=_text_file("memo.txt", b"internal memo"))  # fmt: skip
    dispute = refer(handler, complaint, provider, method="facilitative")
    services.dispute_position_send(actor=staff, dispute_id=dispute.pk, position="We refunded.")
    services.dispute_evidence_add(complaint_id=complaint.pk, dispute_id=dispute.pk,
                                  body="My bank statement.",
                                  upload=_upload("statement.txt", b"Paid twice"))  # fmt: skip
    services.dispute_submission_add(actor=staff, dispute_id=dispute.pk, side="organisation",
                                    kind="submission", body="Our ledger.",
                                    upload=_upload("ledger.txt", b"ledger"))  # fmt: skip
    services.dispute_submission_add(actor=staff, dispute_id=dispute.pk, side="complainant",
                                    kind="submission", body="Her letter, by post.")  # fmt: skip
    neutral = UserFactory(username="neutral-e", role="neutral")
    services.dispute_neutral_assign(actor=Actor.staff(manager), dispute_id=dispute.pk,
                                    neutral_id=neutral.pk)  # fmt: skip
    as_neutral = services.neutral_actor(neutral)
    services.dispute_neutral_declare(actor=as_neutral, dispute_id=dispute.pk, conflict=False)
    for side in ("complainant", "organisation"):
        services.dispute_neutral_request(actor=as_neutral, dispute_id=dispute.pk,
                                         addressed_to=side, body=f"A question for the {side}.")  # fmt: skip
    services.dispute_file_complete(actor=staff, dispute_id=dispute.pk)
    services.dispute_outcome_record(actor=staff, dispute_id=dispute.pk, outcome="settled",
                                    reasons="Both sides agreed.",
                                    obligations=[obligation(handler)])  # fmt: skip

    archive = _unzip(subject_lookup(query=EMAIL))
    document = json.loads(archive.read("subject.json"))
    [exported] = document["disputes"]
    assert exported["id"] == dispute.pk and exported["provider__name"] == provider.name
    assert exported["outcome"] == "settled" and exported["complaint_id"] == complaint.pk
    [consent] = document["dispute_consents"]
    assert consent["text_shown"] == CONSENT.text_shown and consent["channel"] == "phone"
    texts = [s["text"] for s in document["dispute_submissions"]]
    assert texts == [
        "My bank statement.",
        "Her letter, by post.",
        "A question for the complainant.",
    ]
    [owed] = document["dispute_obligations"]
    assert owed["kind"] == "refund" and owed["amount"] == "129.00"
    # the dispute's own chain, as the case's: what was done and when, none of the events' data
    chain = document["dispute_events"]
    assert [e["seq"] for e in chain] == list(range(1, len(chain) + 1))
    assert {e["case_id"] for e in chain} == {dispute.pk}
    actions = [e["action"] for e in chain]
    assert actions[0] == "referred" and "neutral_declared" in actions
    assert {"case_id", "seq", "at", "action"} == set(chain[0])
    listed = {a["id"]: a["original_name"] for a in document["attachments"]}
    assert sorted(listed.values()) == ["receipt.txt", "statement.txt"]
    files = sorted(n for n in archive.namelist() if n.startswith("files/"))
    assert files == sorted(f"files/{pk}-{name}" for pk, name in listed.items())
    assert {archive.read(name) for name in files} == {b"Receipt 129.00", b"Paid twice"}
    everything = archive.read("subject.json").decode()
    for hidden in ("We refunded.", "Our ledger.", "A question for the organisation.", "Memo."):
        assert hidden not in everything


def _text_file(name: str, body: bytes):
    return check_uploads([_upload(name, body)])


def _upload(name: str, body: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="text/plain")
