"""Issue 16, items 6 and 7, as a handler sees them: the case page is a workspace — the case with an
action bar of its next steps, each a link to the step's own page — and a reply to the
complainant and an internal note are two distinct buttons with the recipient shown."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from plaint.complaints.services import message_post
from plaint.core.actors import Actor
from tests.e2e.conftest import keep_screenshot, sign_in
from tests.factories import advance, make_complaint
from tests.promises.factories import make_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Measured for this case: 4,722 px at 1280 px (5,959 at 390) before the workspace (every step an
# open form, the claim form open), 1,393 px (2,715 at 390) with it.
MAX_HEIGHT_1280 = 1800


def _demo_like_case(manager, handler):
    """An investigated case with promises, a reply and a note, like the demo's."""
    make_code(manager)
    complaint, token = make_complaint(
        desired_outcome="Refund the delivery fee.", product="Parcel delivery"
    )
    complaint = advance(complaint, "investigating", by=handler)
    staff = Actor.staff(handler)
    message_post(complaint_id=complaint.pk, actor=staff, body="Asked the courier.", internal=True)
    message_post(complaint_id=complaint.pk, actor=staff, body="We are looking into it.")
    return complaint, token


def _height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


def test_the_case_page_is_a_workspace_and_each_step_has_its_own_page(
    browser_page, manager, handler, tmp_path
):
    page = browser_page
    complaint, _token = _demo_like_case(manager, handler)
    sign_in(page, handler)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/staff/complaints/{complaint.reference}/")

    # The case reads first: description and timeline, the action bar above them, no form open.
    bar = page.locator("#actions")
    expect(bar.locator("a.action-link")).to_contain_text(
        ["Record findings and root cause", "Propose response and remedy", "Assign"]
    )
    expect(page.locator("body")).to_contain_text(complaint.description)
    expect(page.locator("#timeline")).to_contain_text("We are looking into it.")
    for form in page.locator("#actions form").all():
        expect(form).to_be_hidden()
    claim_form = page.locator('form[action$="/claim/"]')
    expect(claim_form).to_be_hidden()
    assert _height(page) < MAX_HEIGHT_1280, _height(page)
    keep_screenshot(page, tmp_path, "case-workspace-1280")

    # A step's link opens its own page: the case at the top, the step's form, a way back.
    page.locator("#action-record_findings").click()
    expect(page).to_have_url(re.compile(r"/step/record_findings/$"))
    expect(page.locator("h1")).to_have_text("Record findings and root cause")
    summary = page.locator("#case-summary")
    expect(summary).to_contain_text(complaint.reference)
    expect(summary).to_contain_text(complaint.subject)
    expect(summary).to_contain_text("Under investigation")
    expect(summary).to_contain_text("Mari Maasikas")
    expect(summary).to_contain_text("Response due")
    findings = page.locator("#step-form")
    expect(findings.get_by_label(re.compile("Findings"))).to_be_editable()
    keep_screenshot(page, tmp_path, "case-step-page-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    keep_screenshot(page, tmp_path, "case-step-page-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    findings.get_by_label(re.compile("Findings")).fill("The courier left the parcel outside.")
    findings.get_by_role("button", name="Record findings and root cause").click()
    expect(page).to_have_url(re.compile(rf"/staff/complaints/{complaint.reference}/$"))
    expect(page.locator(".messages")).to_contain_text("Done: Record findings and root cause.")
    expect(page.locator("body")).to_contain_text("The courier left the parcel outside.")

    # Assigning has its own page too; "Back to the case" returns without a change.
    page.locator("#action-assign").click()
    expect(page.locator("h1")).to_have_text("Assign")
    page.locator("#back-to-case").click()
    expect(page).to_have_url(re.compile(rf"/staff/complaints/{complaint.reference}/$"))

    # The broken-promise claim waits behind its own disclosure.
    page.locator("#record-broken-promise > summary").click()
    expect(claim_form).to_be_visible()
    # Each promise is a choice read whole at the panel's width; one is chosen by its words.
    choice = claim_form.get_by_label("We decide within 10 business days.")
    expect(choice).to_be_visible()
    choice.check()
    claim_form.get_by_label("Note").fill("Nobody called back.")
    claim_form.get_by_role("button", name="Record a broken promise").click()
    expect(page.locator(".messages")).to_contain_text("The broken promise is recorded.")
    expect(page.locator("#promise-checks")).to_contain_text(
        "We decide within 10 business days. — Nobody called back."
    )

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/staff/complaints/{complaint.reference}/")
    expect(page.locator("#actions")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    keep_screenshot(page, tmp_path, "case-workspace-390")


def test_assigning_on_the_assign_page(browser_page, manager, handler, other_handler, tmp_path):
    page = browser_page
    complaint, _token = _demo_like_case(manager, handler)
    sign_in(page, handler)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/staff/complaints/{complaint.reference}/assign/")
    form = page.locator("#assign-form")
    form.get_by_label("Assignee").select_option(label=str(other_handler))
    keep_screenshot(page, tmp_path, "case-assign-page-1280")
    form.get_by_role("button", name="Assign").click()
    expect(page.locator(".messages")).to_contain_text("Assignment saved.")
    expect(page.locator(".facts").first).to_contain_text(str(other_handler))


def test_send_reaches_the_tracking_page_and_a_note_does_not(
    browser_page, manager, handler, tmp_path
):
    page = browser_page
    complaint, token = _demo_like_case(manager, handler)
    sign_in(page, handler)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/staff/complaints/{complaint.reference}/")

    form = page.locator("#message-form")
    expect(form).to_be_hidden()
    page.locator("#action-message > summary").click()
    recipient = page.locator("#message-recipient")
    expect(recipient).to_contain_text("Mari Maasikas")
    expect(recipient).to_contain_text("mari@example.org")
    expect(recipient).to_contain_text("reads English")
    keep_screenshot(page, tmp_path, "case-workspace-message-1280")
    form.get_by_label("Message").fill("Your refund of 4.90 EUR is on its way.")
    form.get_by_role("button", name="Send to complainant").click()
    expect(page.locator(".messages")).to_contain_text("Message sent.")

    page.locator("#action-message > summary").click()
    form.get_by_label("Message").fill("Courier depot 3 keeps losing parcels.")
    form.get_by_role("button", name="Add internal note").click()
    expect(page.locator(".messages")).to_contain_text("Internal note added.")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Your refund of 4.90 EUR is on its way.")
    expect(timeline).to_contain_text("Courier depot 3 keeps losing parcels.")

    page.goto(f"/track/{token}/")
    body = page.locator("body")
    expect(body).to_contain_text("Your refund of 4.90 EUR is on its way.")
    expect(body).not_to_contain_text("Courier depot 3")
    expect(body).not_to_contain_text("Asked the courier.")
