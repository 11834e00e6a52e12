"""PDF documents from HTML: the one place Plaint turns a rendered page into a PDF.

WeasyPrint lays out HTML and CSS (SVG charts included) with Pango, a system library. It is
imported only when a PDF is asked for, so a machine without Pango still runs everything else and a
PDF request there gets a clear error (``PdfUnavailable``) instead of a failed start.

Callers render their own template to a string (in the reader's language, with ``dir="rtl"`` for
Persian) and pass it here; the stylesheet ``core/pdf.css`` gives every document the same page size,
margins, fonts that cover the five languages' scripts and page numbers.

**Persian in SVG charts.** WeasyPrint draws the text of an SVG ``<text>`` element one code point at
a time, without shaping or the bidirectional algorithm (WeasyPrint issues 2249 and 2909), so a
Persian label would come out as unjoined letters in reverse order; HTML text is shaped by Pango and
is fine. ``svg_text_for_pdf`` therefore hands WeasyPrint the label already in visual order with
joined letter forms (``arabic_reshaper`` picks each letter's positional form, ``python-bidi``
orders the runs; a label that keeps ``direction="rtl"`` for its anchor gets its brackets mirrored
once more, as Pango mirrors each bracket it draws in that direction): the one place this is done,
and only for text in the Arabic script.
"""

from __future__ import annotations

import html as html_lib
import re
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext as _

STYLESHEET = Path(__file__).parent / "static" / "core" / "pdf.css"
# Arabic, Arabic Supplement, Arabic Extended-A and the presentation forms: the Persian alphabet
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
MIRRORED = str.maketrans("()[]{}<>«»", ")(][}{><»«")
SVG_TEXT = re.compile(r"(<(?:text|tspan)\b[^>]*>)([^<]*)(?=</(?:text|tspan)>)")


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


def _visual(match: re.Match[str]) -> str:
    opening, content = match.group(1), match.group(2)
    label = html_lib.unescape(content)
    if not ARABIC_SCRIPT.search(label):
        return match.group(0)
    import arabic_reshaper
    from bidi.algorithm import get_display  # the Python algorithm: it mirrors brackets

    visual = get_display(arabic_reshaper.reshape(label), base_dir="R")
    if 'direction="rtl"' in opening:  # kept for the anchor, but Pango mirrors each bracket again
        visual = visual.translate(MIRRORED)
    return opening + escape(visual)


def svg_text_for_pdf(html: str) -> str:
    """The document with every SVG ``<text>``/``<tspan>`` label that is in the Arabic script
    turned into visual order with joined letter forms (what WeasyPrint's SVG text needs; see the
    module's docstring). Other text, and the HTML outside SVG, is left as it is."""
    return SVG_TEXT.sub(_visual, html)


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The PDF of one HTML document (a full page, ``<html lang=… dir=…>`` included).

    The document's ``<title>`` becomes the PDF's title. ``base_url`` resolves relative links and images; Plaint's documents embed their charts as
    inline SVG, so none is needed for them. Raises ``PdfUnavailable`` when WeasyPrint cannot load.
    """
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=svg_text_for_pdf(html), base_url=base_url)
    stylesheet = weasyprint.CSS(filename=str(STYLESHEET))
    pdf: bytes = document.write_pdf(stylesheets=[stylesheet])
    return pdf
