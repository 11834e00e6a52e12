"""Uploads are checked by size, count and by their first bytes, not by their names."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from plaint.core.errors import ValidationFailed
from plaint.core.uploads import check_upload, check_uploads

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize(
    ("name", "content", "ctype"),
    [
        ("receipt.pdf", b"%PDF-1.7\n...", "application/pdf"),
        ("photo.PNG", PNG, "image/png"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20, "image/jpeg"),
        ("notes.txt", "Tere! Пакунок запізнився. بسته دیر رسید".encode(), "text/plain"),
    ],
)
def test_allowed_files_pass_with_their_real_type(name, content, ctype):
    checked = check_upload(SimpleUploadedFile(name, content))
    assert (
        checked.content_type == ctype and checked.size == len(content) and len(checked.sha256) == 64
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("invoice.pdf", b"MZ\x90\x00 this is an executable"),  # name says pdf, bytes say otherwise
        ("script.exe", b"MZ\x90\x00"),
        ("page.html", b"<html><script>alert(1)</script>"),
        ("binary.txt", b"\x00\x01\x02\x03"),
        ("noextension", PNG),
    ],
)
def test_disallowed_files_are_refused_naming_the_allowed_kinds(name, content):
    with pytest.raises(ValidationFailed) as err:
        check_upload(SimpleUploadedFile(name, content))
    assert ".pdf" in err.value.message and "attachments" in err.value.fields


@override_settings(ATTACHMENT_MAX_BYTES=1024)
def test_oversized_file_is_refused_with_the_limit_named():
    with pytest.raises(ValidationFailed, match=r"1.0\sKB"):
        check_upload(SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2000))


def test_empty_file_is_refused():
    with pytest.raises(ValidationFailed, match="empty"):
        check_upload(SimpleUploadedFile("empty.pdf", b""))


@override_settings(ATTACHMENT_MAX_COUNT=2)
def test_too_many_files_are_refused():
    files = [SimpleUploadedFile(f"{i}.pdf", b"%PDF-1") for i in range(3)]
    with pytest.raises(ValidationFailed, match="At most 2"):
        check_uploads(files)
