"""The case bundle as files: the PDF with its index (WeasyPrint, through ``plaint.core.pdf``) in
the case's language, and the ZIP of that PDF with the attachments, streamed from the storage
(local folder or object store) as it is sent."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

from django.template.loader import render_to_string
from django.utils import timezone, translation

from plaint.core.filestore import open_download
from plaint.core.pdf import render_pdf
from plaint.core.zipstream import CHUNK, StreamSink
from plaint.disputes.selectors_bundle import SECTIONS, Bundle

TEMPLATE = "disputes/bundle_pdf.html"


def bundle_html(bundle: Bundle, *, made_by: str) -> str:
    """The bundle's document, in the case's language whatever the reader's."""
    with translation.override(bundle.language):
        sections = [
            {"number": n, "key": key, "title": str(title)}
            for n, (key, title) in enumerate(SECTIONS, start=1)
        ]
        context = {
            "b": bundle,
            "d": bundle.dispute,
            "c": bundle.complaint,
            "sections": {s["key"]: s for s in sections},
            "index": sections,
            "language": bundle.language,
            "rtl": translation.get_language_bidi(),
            "made_at": timezone.localtime(),
            "made_by": made_by,
        }
        return render_to_string(TEMPLATE, context)


def bundle_pdf(bundle: Bundle, *, made_by: str) -> bytes:
    """The PDF (raises ``PdfUnavailable`` where WeasyPrint cannot load)."""
    return render_pdf(bundle_html(bundle, made_by=made_by))


def bundle_zip_stream(bundle: Bundle, pdf: bytes) -> Iterator[bytes]:
    """The ZIP in pieces: the PDF first, then each attachment read in blocks from the storage. A
    file that has gone from the storage meanwhile is left out (the PDF lists what was there)."""
    sink = StreamSink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{bundle.name}.pdf", pdf)
        yield sink.drain()
        for item in bundle.files:
            if not item.member:
                continue
            try:
                source = open_download(item.attachment.file).file  # a stream, never whole
            except FileNotFoundError:
                continue
            with source, archive.open(item.member, "w") as target:
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    yield sink.drain()
    yield sink.drain()
