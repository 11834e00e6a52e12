"""A person files a complaint and finds it on their tracking page as they wrote it — the text, the
remedy they asked for and the file they sent — readable at 1280 px and at 390 px."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.conftest import keep_screenshot
from tests.factories import advance, make_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Longer than the 80 characters a subject made from the text keeps, with a long link in it that
# must wrap at phone width.
FIRST = (
    "The train from Tartu was cancelled and nobody told us; we waited two hours on the platform."
)
LINK = "https://tickets.example.org/booking/EE-4471-" + "x" * 60
SECOND = f"My booking is here: {LINK} and the receipt is attached."
REMEDY = "Refund both tickets and the taxi we took instead."


def test_the_complainant_sees_their_complaint_on_the_tracking_page(browser_page, tmp_path):
    page = browser_page
    page.goto("/complain/")
    form = page.locator("form:has([name=description])")
    form.locator("[name=name]").fill("Kadri Kask")
    form.locator("[name=email]").fill("kadri@example.org")
    form.locator("[name=description]").fill(f"{FIRST}\n\n{SECOND}")
    form.locator("[name=desired_outcome]").fill(REMEDY)
    form.locator("[name=attachments]").set_input_files(
        files=[{"name": "receipt.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 r"}]
    )
    form.locator("[name=consent]").check()
    form.locator("button[type=submit]").click()
    page.locator("#tracking-link").click()
    expect(page).to_have_url(re.compile(r"/track/[^/]+/$"))

    section = page.locator("#complaint-as-received")
    expect(section.get_by_role("heading", name="Your complaint as we received it")).to_be_visible()
    expect(section.locator("#complaint-description p")).to_have_text([FIRST, SECOND])
    expect(section.locator("#complaint-desired-outcome")).to_have_text(REMEDY)
    expect(section.get_by_role("link", name="receipt.pdf")).to_have_attribute(
        "href", re.compile(r"/track/[^/]+/attachments/\d+/$")
    )
    # the subject made from the text: whole words, then an ellipsis
    subject = page.locator("dl.facts dd bdi").first
    expect(subject).to_have_text(re.compile(r"^The train from Tartu was cancelled .*[a-z]…$"))
    assert FIRST.startswith(subject.inner_text().removesuffix("…"))
    keep_screenshot(page, tmp_path, "tracking-1280")

    # At phone width the long link wraps inside the page: nothing scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    expect(section.locator("#complaint-description")).to_contain_text(LINK)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = section.locator("#complaint-description").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    keep_screenshot(page, tmp_path, "tracking-390")


def test_in_ukrainian_at_phone_width_the_facts_keep_room_for_their_values(
    browser_page, live_server, handler, tmp_path
):
    """A long label ("Отримання підтверджено") once took the line and left its value a column so
    narrow that the state broke inside its words ("Отриманн/я підтверд/жено")."""
    complaint, token = make_complaint(language="uk")
    advance(complaint, "acknowledged", by=handler)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "uk", "url": live_server.url}]
    )
    page.goto(f"/track/{token}/")
    facts = page.locator("dl.facts").first
    expect(facts).to_contain_text("Отримання підтверджено")
    width = facts.bounding_box()["width"]
    for value in facts.locator("dd").all():
        assert value.bounding_box()["width"] >= width / 2, value.inner_text()
    keep_screenshot(page, tmp_path, "tracking-uk-390")
