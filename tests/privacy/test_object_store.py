"""A person's export and erasure reach their files in the object store (PLAINT_FILE_STORE=s3)."""

from __future__ import annotations

import io
import zipfile

from plaint.core.actors import Actor
from plaint.privacy.exports import subject_export_stream
from plaint.privacy.selectors import subject_lookup
from plaint.privacy.services import subject_erase
from tests.privacy.conftest import EMAIL, NAME


def _keys(store) -> list[str]:
    listing = store.client().list_objects_v2(Bucket=store.bucket)
    return sorted(entry["Key"] for entry in listing.get("Contents", []))


def test_export_and_erasure_reach_the_files_in_the_store(object_store, person, admin_user):
    stored = _keys(object_store)
    assert len(stored) == 4  # her two attachments and the two raw mails she sent
    subject = subject_lookup(query=EMAIL)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(subject_export_stream(subject))))
    files = [n for n in archive.namelist() if n.startswith("files/")]
    assert [archive.read(n) for n in files] == [f"Receipt for {NAME}\n".encode()] * 2

    subject_erase(actor=Actor.staff(admin_user), subject=subject_lookup(query=EMAIL))
    assert _keys(object_store) == []
