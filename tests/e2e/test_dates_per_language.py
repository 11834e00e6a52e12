"""A handler who reads Estonian sees the queue's and the case page's dates the Estonian way
(05.12.2026 14:30, not 12/05/2026 2:30 p.m.); one who reads Persian sees them the Persian way,
with the file type and the e-mail address whole inside the right-to-left page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from plaint.core.uploads import check_uploads
from tests.e2e.conftest import keep_screenshot, sign_in
from tests.e2e.test_persian_tracking_page import DOCX, _reads_left_to_right
from tests.factories import make_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECEIVED = dt.datetime(2026, 12, 5, 12, 30, tzinfo=dt.UTC)  # 14:30 in Tallinn


def _sign_in(page, live_server, user, language: str) -> None:
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    sign_in(page, user)


def _both_widths(page, tmp_path, name: str) -> None:
    keep_screenshot(page, tmp_path, f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out
    keep_screenshot(page, tmp_path, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_an_estonian_reader_sees_estonian_dates(browser_page, live_server, handler, tmp_path):
    with time_machine.travel(RECEIVED, tick=False):
        complaint, _ = make_complaint(language="et", name="Kadri Kask")
    page = browser_page
    _sign_in(page, live_server, handler, "et")
    row = page.locator("tr", has=page.get_by_role("link", name=complaint.reference, exact=True))
    expect(row.locator("time").first).to_have_text("05.12.2026 14:30")
    expect(row).not_to_contain_text("12/05/2026")
    _both_widths(page, tmp_path, "queue-et")

    row.get_by_role("link", name=complaint.reference, exact=True).click()
    facts = page.locator("#details-heading ~ dl.facts")
    expect(facts).to_contain_text("5. detsember 2026, 14:30")
    expect(facts).not_to_contain_text("p.l.")
    _both_widths(page, tmp_path, "case-et")


def test_a_persian_reader_sees_persian_dates_and_whole_file_types(
    browser_page, live_server, handler, tmp_path
):
    upload = SimpleUploadedFile("قرارداد.docx", b"PK\x03\x04 a word document", content_type=DOCX)
    with time_machine.travel(RECEIVED, tick=False):
        complaint, _ = make_complaint(
            language="fa",
            name="مریم احمدی",
            email="maryam@example.org",
            subject="دو بار برداشت ۱۲۹ یورو",
            attachments=check_uploads([upload]),
        )
    page = browser_page
    _sign_in(page, live_server, handler, "fa")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    row = page.locator("tr", has=page.get_by_role("link", name=complaint.reference, exact=True))
    expect(row.locator("time").first).to_have_text("2026/12/5،\u200f 14:30")
    expect(row).to_contain_text("دو بار برداشت 129 یورو")  # one digit system in the row
    _both_widths(page, tmp_path, "queue-fa")

    row.get_by_role("link", name=complaint.reference, exact=True).click()
    expect(page.locator("#details-heading ~ dl.facts")).to_contain_text("5 دسامبر 2026، ساعت 14:30")
    address = page.locator("#complainant-heading ~ dl.facts a[href^='mailto:'] bdi")
    expect(address).to_have_text("maryam@example.org")
    _reads_left_to_right(page, address)
    files = page.locator("a[download] bdi")
    expect(files).to_have_text(["قرارداد.docx"])
    _both_widths(page, tmp_path, "case-fa")
