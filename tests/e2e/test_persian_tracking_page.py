# ruff: noqa: RUF001, RUF003 - the expected texts are Persian on purpose
"""A Persian complainant's tracking page reads right to left without breaking the left-to-right
bits: the file type ".docx" keeps its dot in front, the file name and the allowed types stay
whole, the digits are 0-9 throughout, and the times say which zone they are in."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from plaint.core.uploads import check_uploads
from tests.e2e.conftest import keep_screenshot
from tests.factories import make_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Where each character of an element's first text node is drawn: [left, right] per character.
CHARACTER_BOXES = """el => {
  const node = el.firstChild, range = document.createRange(), boxes = [];
  for (let i = 0; i < node.textContent.length; i++) {
    range.setStart(node, i); range.setEnd(node, i + 1);
    const r = range.getBoundingClientRect(); boxes.push([r.left, r.right]);
  }
  return boxes;
}"""


def _reads_left_to_right(page, locator) -> None:
    """Each character of the element is drawn to the right of the one before it: the dot of
    ".docx" sits at the left, in front of "docx", not after it as bare text in RTL would put it."""
    boxes = locator.evaluate(CHARACTER_BOXES)
    lefts = [left for left, _ in boxes]
    assert lefts == sorted(lefts), boxes


def test_a_persian_tracking_page_keeps_docx_whole(browser_page, tmp_path):
    upload = SimpleUploadedFile("قرارداد.docx", b"PK\x03\x04 a word document", content_type=DOCX)
    with time_machine.travel(dt.datetime(2026, 12, 5, 12, 30, tzinfo=dt.UTC), tick=False):
        _, token = make_complaint(
            language="fa",
            name="مریم احمدی",
            description="برای سفارش ۵۱۲۳۴ دو بار مبلغ ۱۲۹ یورو برداشت شد.",
            attachments=check_uploads([upload]),
        )
    page = browser_page
    page.goto(f"/track/{token}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    files = page.locator("#complaint-attachments li")
    expect(files).to_have_count(1)
    expect(files.locator("a bdi")).to_have_text("قرارداد.docx")
    file_type = files.locator("bdi.file-type")
    expect(file_type).to_have_text(".docx")
    _reads_left_to_right(page, file_type)

    allowed = page.locator("bdi.file-types")
    expect(allowed).to_contain_text(".docx")
    _reads_left_to_right(page, allowed)
    max_size = page.locator("#add-heading ~ form p.hint bdi").first
    expect(max_size).to_have_text("10.0\u00a0MB")
    _reads_left_to_right(page, max_size)  # "10.0 MB", not "MB 10.0"

    # one digit system: what was typed with Persian digits reads 0-9, like the dates
    expect(page.locator("#complaint-description")).to_contain_text("سفارش 51234")
    expect(page.locator("#complaint-description")).to_contain_text("مبلغ 129 یورو")
    expect(page.locator("dl.facts")).to_contain_text("5 دسامبر 2026، ساعت 14:30")
    expect(page.locator("#timezone-note")).to_have_text("زمان‌ها به وقت شرق اروپا است.")
    keep_screenshot(page, tmp_path, "tracking-fa-docx-1280")

    page.set_viewport_size({"width": 390, "height": 844})
    _reads_left_to_right(page, file_type)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    keep_screenshot(page, tmp_path, "tracking-fa-docx-390")


def test_the_persian_form_and_promise_page_keep_types_whole_and_digits_0_to_9(
    browser_page, live_server, manager, tmp_path
):
    from django.conf import settings

    from tests.core.test_locales import PROMISE_FA
    from tests.promises.factories import make_code

    code = make_code(
        manager, title={"en": "Our service promises", "fa": "تعهدات ما"}, promises=[PROMISE_FA]
    )
    page = browser_page
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "fa", "url": live_server.url}]
    )
    page.goto("/complain/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    hint = page.locator("#attachments-limits")
    _reads_left_to_right(page, hint.locator("bdi.file-types"))
    _reads_left_to_right(page, hint.locator("bdi").first)  # "10.0 MB"
    keep_screenshot(page, tmp_path, "complain-fa-1280")

    page.goto(f"/codes/{code.slug}/v{code.version}/")
    expect(page.locator("#code h1")).to_have_text("تعهدات ما")
    # the promise as the organisation wrote it ("۱۰ روز"), in the digits of the rest of the page
    expect(page.locator("ol.promises li p").first).to_have_text(
        "تصمیم خود را ظرف 10 روز کاری برای شما می‌فرستیم."
    )
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    keep_screenshot(page, tmp_path, "promises-fa-390")
