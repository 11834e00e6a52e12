"""Upload checks: size, count and type, the type decided by the file's first bytes, not its name."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext, ngettext

from plaint.core.errors import ValidationFailed
from plaint.core.models import Attachment

# (content type, allowed extensions, predicate on the first bytes)
_SIGNATURES: list[tuple[str, tuple[str, ...], object]] = [
    ("application/pdf", (".pdf",), lambda b: b.startswith(b"%PDF-")),
    ("image/png", (".png",), lambda b: b.startswith(b"\x89PNG\r\n\x1a\n")),
    ("image/jpeg", (".jpg", ".jpeg"), lambda b: b.startswith(b"\xff\xd8\xff")),
    ("image/gif", (".gif",), lambda b: b[:6] in (b"GIF87a", b"GIF89a")),
    ("image/webp", (".webp",), lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP"),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
        lambda b: b.startswith(b"PK\x03\x04"),
    ),
    ("application/vnd.oasis.opendocument.text", (".odt",), lambda b: b.startswith(b"PK\x03\x04")),
]
ALLOWED_EXTENSIONS = sorted({ext for _, exts, _ in _SIGNATURES for ext in exts} | {".txt"})


@dataclass(frozen=True)
class CheckedUpload:
    file: UploadedFile
    name: str
    content_type: str
    size: int
    sha256: str

    def attachment(self, **fields: Any) -> Attachment:
        """An unsaved ``Attachment`` of this file (its name, type, size and digest as checked);
        ``fields`` give the rest: the complaint, and the message or ``public``."""
        return Attachment(
            file=self.file,
            original_name=self.name,
            content_type=self.content_type,
            size=self.size,
            sha256=self.sha256,
            **fields,
        )


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still text
        return exc.start >= len(head) - 3
    return True


def check_upload(upload: UploadedFile) -> CheckedUpload:
    name = (upload.name or "file").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationFailed(
            gettext("“%(name)s” is too large: the limit is %(limit)s per file.")
            % {"name": name, "limit": filesizeformat(limit)},
            fields={
                "attachments": [
                    gettext("“%(name)s” is larger than %(limit)s.")
                    % {"name": name, "limit": filesizeformat(limit)}
                ]
            },
        )
    if upload.size == 0:
        raise ValidationFailed(
            gettext("“%(name)s” is empty.") % {"name": name},
            fields={"attachments": [gettext("“%(name)s” is empty.") % {"name": name}]},
        )
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    content_type = None
    for ctype, exts, matches in _SIGNATURES:
        if ext in exts and matches(head):  # type: ignore[operator]
            content_type = ctype
            break
    if content_type is None and ext == ".txt" and _is_text(head):
        content_type = "text/plain"
    if content_type is None:
        allowed = ", ".join(ALLOWED_EXTENSIONS)
        raise ValidationFailed(
            gettext("“%(name)s” is not an allowed kind of file. Allowed: %(allowed)s.")
            % {"name": name, "allowed": allowed},
            fields={
                "attachments": [
                    gettext("“%(name)s” is not one of: %(allowed)s.")
                    % {"name": name, "allowed": allowed}
                ]
            },
        )
    return CheckedUpload(upload, name, content_type, upload.size, upload_sha256(upload))


def upload_sha256(upload: UploadedFile) -> str:
    """The SHA-256 of an uploaded file, read in chunks (a large one is never held in memory); the
    file is left at its start for whoever reads it next."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def check_uploads(uploads: Sequence[UploadedFile]) -> list[CheckedUpload]:
    count = settings.ATTACHMENT_MAX_COUNT
    if len(uploads) > count:
        raise ValidationFailed(
            ngettext(
                "At most %(count)d file may be attached.",
                "At most %(count)d files may be attached.",
                count,
            )
            % {"count": count},
            fields={
                "attachments": [
                    ngettext("At most %(count)d file.", "At most %(count)d files.", count)
                    % {"count": count}
                ]
            },
        )
    return [check_upload(u) for u in uploads]
