"""Issue 16, items 3 and 4 in Chromium: withdrawing (and a staff step that ends a case) asks for a
confirmation first; the tracking page opens in the complainant's language, right to left for
Persian, until the visitor switches; states are shown in public words."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from plaint.complaints.models import Complaint
from plaint.complaints.services import complaint_decline_decision
from plaint.core.actors import Actor
from plaint.core.models import AuditEvent
from tests.e2e.conftest import keep_screenshot
from tests.factories import advance, make_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_withdraw_asks_for_confirmation_then_closes_the_case(browser_page, tmp_path):
    page = browser_page
    complaint, token = make_complaint()
    page.goto(f"/track/{token}/")
    expect(page.locator("#state")).to_have_text("Acknowledged")
    page.get_by_label("Why are you withdrawing? (optional)").fill("The shop sorted it out.")
    page.locator("#withdraw-button").click()

    # the confirmation says what withdrawing means; nothing has happened yet
    expect(page.locator("h1")).to_contain_text("Withdraw your complaint?")
    confirmation = page.locator("#withdraw-confirmation")
    expect(confirmation).to_contain_text("No decision will follow.")
    expect(confirmation).to_contain_text("It cannot be reopened.")
    expect(confirmation).to_contain_text("The shop sorted it out.")
    keep_screenshot(page, tmp_path, "withdraw-confirmation-1280")
    page.set_viewport_size(PHONE)
    keep_screenshot(page, tmp_path, "withdraw-confirmation-390")
    complaint.refresh_from_db()
    assert complaint.state == "acknowledged"

    # "No, keep my complaint" goes back and changes nothing
    page.get_by_role("link", name="No, keep my complaint").click()
    expect(page).to_have_url(re.compile(rf"/track/{re.escape(token)}/$"))
    expect(page.locator("#state")).to_have_text("Acknowledged")

    page.get_by_label("Why are you withdrawing? (optional)").fill("Sorted out after all.")
    page.locator("#withdraw-button").click()
    page.get_by_role("button", name="Yes, withdraw my complaint").click()
    expect(page).to_have_url(re.compile(rf"/track/{re.escape(token)}/$"))
    expect(page.locator(".messages")).to_contain_text("Your complaint has been withdrawn.")
    expect(page.locator("#state")).to_have_text("Closed")
    expect(page.locator("#withdraw-button")).to_have_count(0)
    complaint.refresh_from_db()
    assert complaint.state == "closed" and complaint.closure_reason == "withdrawn"
    assert complaint.messages.get().body == "Sorted out after all."


def test_a_staff_step_that_ends_the_case_confirms_first(browser_page, handler, tmp_path):
    page = browser_page
    complaint, _token = make_complaint()
    page.goto("/staff/login/")
    login = page.locator("form:has([name=password])")
    login.locator("[name=username]").fill(handler.username)
    login.locator("[name=password]").fill("correct horse battery staple")
    login.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/staff/$"))
    page.goto(f"/staff/complaints/{complaint.reference}/")
    link = page.locator("#action-reject_out_of_scope")  # the step's own page, from the case
    expect(link).to_have_class(re.compile(r"\baction-link-danger\b"))
    link.click()
    section = page.locator("#step-form")
    button = section.locator("button[name=step]")
    expect(button).to_have_class(re.compile(r"\bbutton-danger\b"))
    section.get_by_label(re.compile("Reason")).fill("We do not sell this product.")
    button.click()

    expect(page.locator("h1")).to_have_text("Confirm “Initial assessment: out of scope”")
    expect(page.locator("#step-confirmation")).to_contain_text("We do not sell this product.")
    keep_screenshot(page, tmp_path, "staff-confirmation-1280")
    assert not AuditEvent.objects.filter(
        case_id=complaint.pk, action="reject_out_of_scope"
    ).exists()
    page.locator("#confirm-step-button").click()
    expect(page.locator(".state-line .badge").first).to_have_text("Out of scope")
    assert Complaint.objects.get(pk=complaint.pk).state == "out_of_scope"


def test_the_tracking_page_speaks_the_complainants_language(browser_page, handler, tmp_path):
    page = browser_page  # the browser asks for en-GB
    complaint, token = make_complaint(language="fa")
    advance(complaint, "decision_communicated", by=handler)
    complaint_decline_decision(
        complaint_id=complaint.pk, actor=Actor.complainant(), reason="The refund is too small."
    )

    page.goto(f"/track/{token}/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "fa")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_contain_text("شکایت شما")  # "Your complaint"
    expect(page.locator("#state")).to_have_text("در حال بازنگری")  # "Under review"
    # right to left: the heading starts at the right edge of the page
    box = page.locator("h1").bounding_box()
    assert box is not None and box["x"] + box["width"] > page.viewport_size["width"] / 2
    keep_screenshot(page, tmp_path, "tracking-fa-1280")
    page.set_viewport_size(PHONE)
    keep_screenshot(page, tmp_path, "tracking-fa-390")

    # the visitor switches to English, and it sticks on the next visit
    page.locator("#language-select").select_option("en")
    page.locator(".language-switcher button").click()
    expect(html).to_have_attribute("lang", "en")
    expect(html).to_have_attribute("dir", "ltr")
    expect(page).to_have_url(re.compile(rf"/track/{re.escape(token)}/$"))
    expect(page.locator("#state")).to_have_text("Under review")
    expect(page.locator("body")).not_to_contain_text("Internal review")
    page.goto(f"/track/{token}/")
    expect(page.locator("h1")).to_contain_text("Your complaint")
    expect(page.locator("#state")).to_have_text("Under review")
