"""Files in an S3-compatible object store (PLAINT_FILE_STORE=s3), against a real one (moto's server):
the storage answers like the local folder, and downloads stream from it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from plaint.core.filestore import open_download
from plaint.core.models import Attachment
from plaint.core.objectstore import ObjectStore
from plaint.core.storedfiles import remove_older_than
from plaint.core.uploads import check_uploads
from tests.factories import make_complaint


def _keys(store) -> list[str]:
    listing = store.client().list_objects_v2(Bucket=store.bucket)
    return sorted(entry["Key"] for entry in listing.get("Contents", []))


def test_the_setting_makes_the_object_store_the_default_storage(object_store):
    name = default_storage.save("imports/abc.csv", ContentFile(b"a,b\n1,2\n"))
    assert isinstance(default_storage._wrapped, ObjectStore)
    assert name == "imports/abc.csv" and _keys(object_store) == ["imports/abc.csv"]
    assert default_storage.exists(name) and default_storage.size(name) == 8
    with default_storage.open(name, "rb") as handle:
        assert handle.read() == b"a,b\n1,2\n"
    assert default_storage.listdir("imports") == ([], ["abc.csv"])
    default_storage.delete(name)
    assert not default_storage.exists(name) and _keys(object_store) == []


def test_a_name_in_use_is_never_overwritten(object_store):
    first = default_storage.save("mailin/x.eml", ContentFile(b"first"))
    second = default_storage.save("mailin/x.eml", ContentFile(b"second"))
    assert first != second
    with default_storage.open(first, "rb") as handle:
        assert handle.read() == b"first"


def test_a_missing_file_is_file_not_found_as_in_the_local_folder(object_store):
    for call in (
        lambda: default_storage.open("imports/gone", "rb"),
        lambda: default_storage.size("imports/gone"),
        lambda: default_storage.get_modified_time("imports/gone"),
        lambda: default_storage.open_stream("imports/gone"),
    ):
        with pytest.raises(FileNotFoundError):
            call()
    assert default_storage.listdir("nothing-here") == ([], [])
    default_storage.delete("imports/gone")  # like the local folder: no error


def test_kept_import_files_older_than_the_limit_are_removed(object_store):
    default_storage.save("imports/old", ContentFile(b"x"))
    remove_older_than("imports", hours=1)  # just saved: kept
    assert _keys(object_store) == ["imports/old"]
    stamp = default_storage.get_modified_time("imports/old")
    assert stamp.tzinfo is not None and abs(stamp - dt.datetime.now(dt.UTC)) < dt.timedelta(
        minutes=5
    )
    remove_older_than("imports", hours=-1)  # "older than an hour from now": everything
    assert _keys(object_store) == []


def test_an_attachment_goes_to_the_store_in_a_folder_of_its_own(db, object_store):
    files = [SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt") for _ in range(2)]
    complaint, _token = make_complaint(attachments=check_uploads(files))
    names = sorted(a.file.name for a in Attachment.objects.filter(complaint=complaint))
    assert names == _keys(object_store) and len(set(names)) == 2
    assert all(n.startswith("attachments/") and n.endswith("/receipt.pdf") for n in names)


def test_a_download_streams_from_the_store_with_its_size(db, object_store):
    payload = b"%PDF-1.4 " + bytes(range(256)) * 12_000  # 3 MB
    upload = SimpleUploadedFile("scan.pdf", payload)
    complaint, _token = make_complaint(attachments=check_uploads([upload]))
    attachment = complaint.attachments.get()
    download = open_download(attachment.file)
    assert download.size == len(payload)
    first = download.file.read(65536)
    # a stream: what arrived so far is what was asked for, not the whole object
    assert first == payload[:65536] and download.file.tell() == 65536
    assert first + download.file.read() == payload
    download.file.close()
