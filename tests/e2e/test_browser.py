"""A person files a complaint and follows it; a handler finds it in the queue. Real pages in
Debian's headless Chromium, driven by Playwright, against the live test server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from plaint.complaints.models import Complaint
from plaint.core.models import OutboundEmail
from tests.e2e.conftest import keep_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESCRIPTION = "The train was cancelled and nobody told us; we waited two hours on the platform."


def test_person_files_and_tracks_a_complaint_then_a_handler_opens_it(
    browser_page, handler, tmp_path
):
    page = browser_page

    # A person files a complaint on the public form.
    page.goto("/complain/")
    expect(page).to_have_title(re.compile("complaint", re.IGNORECASE))
    form = page.locator("form:has([name=description])")
    form.locator("[name=name]").fill("Kadri Kask")
    form.locator("[name=email]").fill("kadri@example.org")
    form.locator("[name=description]").fill(DESCRIPTION)
    form.locator("[name=consent]").check()
    keep_screenshot(page, tmp_path, "1-complain-form")
    form.locator("button[type=submit]").click()

    # The thank-you page shows the reference and the private tracking link.
    reference_el = page.locator("#reference")
    expect(reference_el).to_have_text(re.compile(r"^C-\d{4}-\d+$"))
    reference = reference_el.inner_text().strip()
    keep_screenshot(page, tmp_path, "2-thanks")
    complaint = Complaint.objects.get(reference=reference)
    assert complaint.description == DESCRIPTION
    assert complaint.complainant.email == "kadri@example.org"
    assert complaint.channel == "web"
    assert OutboundEmail.objects.filter(complaint=complaint, kind="acknowledgement").count() == 1

    page.locator("#tracking-link").click()
    expect(page).to_have_url(re.compile(r"/track/[^/]+/$"))
    expect(page.locator("h1")).to_contain_text(reference)
    expect(page.locator("body")).to_contain_text(DESCRIPTION)
    keep_screenshot(page, tmp_path, "3-tracking")

    # The complainant adds information from the tracking page (a same-origin POST the browser
    # must send with a usable Origin header, or Django's CSRF check refuses it).
    more = page.locator("form:has([name=body])")
    more.locator("[name=body]").fill("The ticket number is EE-4471.")
    more.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/track/[^/]+/$"))
    expect(page.locator("body")).to_contain_text("The ticket number is EE-4471.")

    # A handler logs in, searches the queue for the reference and opens the complaint.
    page.goto("/staff/login/")
    login = page.locator("form:has([name=password])")
    login.locator("[name=username]").fill(handler.username)
    login.locator("[name=password]").fill("correct horse battery staple")
    login.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/staff/$"))

    filters = page.locator("form:has([name=q])")
    filters.locator("[name=q]").fill(reference)
    filters.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"[?&]q=" + re.escape(reference)))
    row_link = page.get_by_role("link", name=reference, exact=True)
    expect(row_link).to_have_count(1)
    keep_screenshot(page, tmp_path, "4-queue")
    row_link.click()

    expect(page).to_have_url(re.compile(rf"/staff/complaints/{re.escape(reference)}/$"))
    expect(page.locator("h1")).to_contain_text(reference)
    expect(page.locator("body")).to_contain_text(DESCRIPTION)
    expect(page.locator("body")).to_contain_text("Kadri Kask")
    keep_screenshot(page, tmp_path, "5-staff-detail")
