"""PDF documents (plaint.core.pdf): real WeasyPrint, read back with pypdf."""

import io
import os

import pytest

from plaint.core import pdf

pypdf = pytest.importorskip("pypdf")


@pytest.fixture(autouse=True)
def needs_weasyprint() -> None:
    if not pdf.pdf_available():
        if os.environ.get("PLAINT_REQUIRE_PDF"):
            pytest.fail("WeasyPrint/Pango expected (PLAINT_REQUIRE_PDF) but it does not load")
        pytest.skip("WeasyPrint or Pango is not installed here")


def text_of(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_page_becomes_a_pdf_whose_text_reads_back() -> None:
    html = (
        '<html lang="et"><head><title>Ülevaade</title></head><body><h1>Kaebuste ülevaade</h1>'
        '<svg width="40" height="20"><rect width="40" height="20" fill="#336"/></svg>'
        "<table><tr><th>Kuu</th><td class='num'>42</td></tr></table></body></html>"
    )
    data = pdf.render_pdf(html)
    assert data.startswith(b"%PDF-")
    text = text_of(data)
    assert "Kaebuste ülevaade" in text
    assert "42" in text
    assert "1 / 1" in text  # the page number from core/pdf.css
    assert pypdf.PdfReader(io.BytesIO(data)).metadata.title == "Ülevaade"


def test_cyrillic_and_persian_text_are_set_in_a_font_that_has_them() -> None:
    data = pdf.render_pdf(
        '<html lang="fa" dir="rtl"><body><p>شکایت</p><p lang="uk">Скарга</p></body></html>'
    )
    text = text_of(data)
    assert "Скарга" in text
    # Persian comes back in visual order from some extractors; the letters must be there.
    assert set("شکایت") <= set(text)


def test_persian_chart_labels_are_joined_and_in_reading_order() -> None:
    """WeasyPrint draws SVG text letter by letter; the label reaches it already shaped."""
    label = "شکایت‌ها در ماه"  # noqa: RUF001 (Persian letters, not look-alikes)
    data = pdf.render_pdf(
        '<html lang="fa" dir="rtl"><body><svg width="300" height="40">'
        f'<text x="290" y="30" text-anchor="end">{label}</text></svg></body></html>'
    )
    text = text_of(data)
    assert "هامرد" not in text  # the letters drawn one by one, last first: the fault
    assert pdf.ARABIC_SCRIPT.search(text)
    assert any("\ufb50" <= ch <= "\ufeff" for ch in text)  # joined (positional) letter forms


def test_only_arabic_script_svg_labels_are_reshaped() -> None:
    page = (
        '<p>شکایت</p><svg><text x="1">Kaebused &amp; ülevaade</text>'
        '<text x="2" direction="rtl">گچ (۱۲) &amp; ماه</text><tspan>Скарга</tspan></svg>'
    )
    out = pdf.svg_text_for_pdf(page)
    assert out.startswith("<p>شکایت</p>")  # HTML text is shaped by Pango itself
    assert '<text x="1">Kaebused &amp; ülevaade</text>' in out
    assert "<tspan>Скарга</tspan>" in out
    shaped = out.split('<text x="2" direction="rtl">')[1].split("</text>")[0]
    # escaped again; an rtl label's brackets stand mirrored, as Pango mirrors each one it draws
    assert "&amp;" in shaped and ")۱۲(" in shaped
    plain = pdf.svg_text_for_pdf("<svg><text>گچ (۱۲)</text></svg>")
    assert "(۱۲)" in plain  # no direction given: drawn as they stand
    # visual order: the first word (gaf, che) is drawn rightmost, gaf in its initial form
    assert shaped.endswith("\ufb7b\ufb94")
