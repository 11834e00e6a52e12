"""A person's data as a streamed ZIP: JSON plus their files, in well under a minute."""

from __future__ import annotations

import io
import json
import time
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from plaint.core.actors import Actor
from plaint.core.models import AuditEvent
from plaint.core.uploads import check_uploads
from plaint.privacy.exports import subject_export_stream
from plaint.privacy.selectors import subject_lookup
from plaint.privacy.services import subject_export_record
from tests.factories import make_complaint
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
