"""PDF documents from HTML: the one place Plaint turns a rendered page into a PDF.

WeasyPrint lays out HTML and CSS (SVG charts included) with Pango, a system library. It is
imported only when a PDF is asked for, so a machine without Pango still runs everything else and a
PDF request there gets a clear error (``PdfUnavailable``) instead of a failed start.

Callers render their own template to a string (in the reader's language, with ``dir="rtl"`` for
Persian) and pass it here; the stylesheet ``core/pdf.css`` gives every document the same page size,
margins, fonts that cover the five languages' scripts and page numbers.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

STYLESHEET = Path(__file__).parent / "static" / "core" / "pdf.css"


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs (Pango) are missing on this machine."""


@cache
def _weasyprint() -> Any:
    try:
        import weasyprint  # heavy, and needs Pango: loaded on first use
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(
            _(
                "PDF documents cannot be made on this server: WeasyPrint or the Pango library "
                "it needs is missing (%(reason)s). Ask your administrator to install them."
            )
            % {"reason": exc}
        ) from exc
    return weasyprint


def pdf_available() -> bool:
    """True when PDFs can be made here (WeasyPrint and Pango load)."""
    try:
        _weasyprint()
    except PdfUnavailable:
        return False
    return True


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The PDF of one HTML document (a full page, ``<html lang=… dir=…>`` included).

    The document's ``<title>`` becomes the PDF's title. ``base_url`` resolves relative links and images; Plaint's documents embed their charts as
    inline SVG, so none is needed for them. Raises ``PdfUnavailable`` when WeasyPrint cannot load.
    """
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=html, base_url=base_url)
    stylesheet = weasyprint.CSS(filename=str(STYLESHEET))
    pdf: bytes = document.write_pdf(stylesheets=[stylesheet])
    return pdf
