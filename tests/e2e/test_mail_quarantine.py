"""A handler opens the e-mail quarantine, reads a held mail and its reason, and adds it to a case:
the mail leaves the quarantine and shows on the case as the complainant's message. The pages in all
five languages (Persian right to left) at 1280 and 390 px, nothing sticking out, and no axe-core
violation in English and Persian."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import expect

from plaint.complaints.models import Message
from plaint.mailin.models import InboundMail, Status
from plaint.mailin.services import mail_receive
from tests.e2e.conftest import keep_screenshot, sign_in
from tests.e2e.test_axe import AXE_OPTIONS, violation_report
from tests.factories import make_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_LANGUAGES = ("en", "fa")  # left to right and right to left, as tests/e2e/test_axe.py

HELD = (
    "From: Olena <olena@example.org>\r\nSubject: =?utf-8?B?0J/QvtGB0LjQu9C60LAg0LfQsNC/0ZbQt9C90LjQu9Cw0YHRjw==?=\r\n"
    "Message-ID: <held-1@example.org>\r\nPrecedence: bulk\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\n"
    "Посилка досі не прийшла, хоча минуло два тижні.\r\n"
).encode()


def _widths(page, tmp_path, name: str, *, axe: bool) -> None:
    """At 1280 and 390 px nothing sticks out (and, with ``axe``, axe-core finds no violation)."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        keep_screenshot(page, tmp_path, f"{name}-{width}")
        if axe:
            found = Axe().run(page, options=AXE_OPTIONS).response["violations"]
            assert not found, "\n".join(violation_report(f"{name} at {width}px", found))
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_handler_adds_a_held_mail_to_its_case(browser_page, live_server, handler, tmp_path):
    complaint, _ = make_complaint(name="Olena Shevchenko", email="olena@example.org")
    row = mail_receive(raw=HELD, source="test")
    assert row.status == Status.QUARANTINED
    page = browser_page
    sign_in(page, handler)

    page.get_by_role("link", name="E-mail quarantine").first.click()
    expect(page.locator("#quarantine")).to_contain_text("Посилка запізнилася")
    expect(page.locator("#quarantine")).to_contain_text("An automatic message")
    page.get_by_role("link", name="Посилка запізнилася").click()
    expect(page.locator("#mail-text")).to_contain_text("Посилка досі не прийшла")
    page.get_by_label("Case reference").fill(complaint.reference)
    page.get_by_role("button", name="Add to this case").click()

    expect(page).to_have_url(re.compile(r"/staff/mail/$"))
    expect(page.locator("#quarantine-empty")).to_be_visible()
    assert InboundMail.objects.get(pk=row.pk).status == Status.MESSAGE
    message = Message.objects.get(complaint=complaint, direction="in")
    assert "Посилка досі не прийшла" in message.body
    page.goto(f"/staff/mail/{row.pk}/")
    expect(page.locator("#mail-facts")).to_contain_text(complaint.reference)


def test_the_quarantine_pages_read_in_every_language(browser_page, live_server, handler, tmp_path):
    row = mail_receive(raw=HELD, source="test")
    page = browser_page
    sign_in(page, handler)
    for language, _name in settings.LANGUAGES:
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        page.goto("/staff/mail/")
        direction = "rtl" if language == "fa" else "ltr"
        expect(page.locator("html")).to_have_attribute("dir", direction)
        expect(page.locator("#quarantine")).to_contain_text("Посилка запізнилася")
        _widths(page, tmp_path, f"mail-quarantine-{language}", axe=language in AXE_LANGUAGES)
        page.goto(f"/staff/mail/{row.pk}/")
        expect(page.locator("#mail-text")).to_contain_text("Посилка досі не прийшла")
        _widths(page, tmp_path, f"mail-detail-{language}", axe=language in AXE_LANGUAGES)
