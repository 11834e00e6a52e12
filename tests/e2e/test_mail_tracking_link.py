"""Issue 16, item 2: the decision mail, as the real (local) SMTP server receives it, carries a
tracking link of its own; following it in the browser opens the case with the decision to answer,
in English and in Persian (right to left), at 1280 px and at 390 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from plaint.core.worker import run_due_jobs
from tests.e2e.conftest import keep_screenshot
from tests.factories import advance, make_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DECISION_SUBJECT = {"en": "Our decision on your complaint", "fa": "تصمیم ما دربارهٔ شکایت شما"}
FOLLOW = {"en": "Follow your case:", "fa": "پیگیری پروندهٔ شما:"}
ACCEPT = {"en": "Accept the decision", "fa": None}  # Persian: the button is found by its id


def _decision_link(smtp_server, address: str, language: str, base_url: str) -> str:
    """The tracking link in the decision mail the SMTP server received for ``address`` (two mails
    are sent: the acknowledgement and the decision; waiting for more only ran out the clock)."""
    mails = [
        m
        for m in smtp_server.wait_for(2)
        if m.rcpt_tos == [address] and DECISION_SUBJECT[language] in m.message["Subject"]
    ]
    assert len(mails) == 1, [m.message["Subject"] for m in smtp_server.messages]
    body = mails[0].body
    match = re.search(re.escape(FOLLOW[language]) + r" (\S+)", body)
    assert match, body
    link = match.group(1)
    assert link.startswith(f"{base_url}/track/")
    return link


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_link_in_the_decision_mail_opens_the_case(
    browser_page, live_server, settings, smtp_server, handler, tmp_path, language
):
    settings.BASE_URL = live_server.url  # links in mails point at the server the browser uses
    page = browser_page
    address = f"kadri.{language}@example.org"
    complaint, first = make_complaint(name="Kadri Kask", email=address, language=language)
    advance(complaint, "decision_communicated", by=handler)
    run_due_jobs()  # the worker renders and sends the acknowledgement and the decision

    link = _decision_link(smtp_server, address, language, live_server.url)
    assert f"/track/{first}/" not in link  # a link of its own, not the acknowledgement's

    page.goto(link)
    expect(page.locator("h1")).to_contain_text(complaint.reference)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "fa" else "ltr")
    decision = page.locator("#decision-heading ~ .text").first
    expect(decision).to_contain_text("we refund the delivery fee")
    accept = page.locator("#accept-button")
    expect(accept).to_be_visible()
    if ACCEPT[language]:
        expect(accept).to_have_text(ACCEPT[language])
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        keep_screenshot(page, tmp_path, f"decision-link-{language}-{width}")

    # The link from the acknowledgement still opens the same case.
    page.goto(f"/track/{first}/")
    expect(page.locator("h1")).to_contain_text(complaint.reference)
