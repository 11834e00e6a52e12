"""A dispute from referral to the neutral's decision carried out, in headless Chromium: a handler
refers a complaint to an ombudsman with the complainant's consent, sends the position, sees the
file complete, adds the organisation's evidence with a file (and downloads it from the file) and
assigns the neutral; the neutral signs in through the staff login, lands on
their portal, declares no conflict, reads the complaint and records a decision with one refund;
the handler marks the refund done with its evidence and the dispute can be closed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.disputes.cases import decided_complaint, provider_with_all_methods
from tests.e2e.conftest import keep_screenshot, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_referral_to_the_neutrals_decision_to_the_refund_done(
    browser_page, manager, handler, tmp_path
):
    page = browser_page
    provider = provider_with_all_methods(manager, name="Payments Ombudsman")
    complaint = decided_complaint(
        handler, subject="Charged twice for one kettle", description="Zq the card was charged twice"
    )
    UserFactory(username="neutral-liis", role="neutral", first_name="Liis", last_name="Saar")

    sign_in(page, handler, fresh=True)
    page.goto(f"/staff/disputes/refer/?complaint={complaint.reference}&provider={provider.pk}")
    page.get_by_label("Method").select_option("determinative")
    page.get_by_role("button", name="Write the text for this method and language").click()
    page.get_by_role("button", name="Record the consent and refer").click()
    expect(page.get_by_text("The complaint is referred; the consent is recorded.")).to_be_visible()
    page.get_by_label("The organisation's position").fill("We refunded the first payment only.")
    page.get_by_role("button", name="Record the position as sent").click()
    page.get_by_role("button", name="The provider has a complete file").click()
    # the organisation's evidence, with its file, into the dispute's file; the link downloads it
    page.locator("summary", has_text="Add to the file").click()
    adding = page.locator("form:has([name=attachment])")
    adding.get_by_label("Text").fill("Our record of the one refund.")
    adding.get_by_label("A file (optional)").set_input_files(
        files=[{"name": "refund-record.txt", "mimeType": "text/plain", "buffer": b"Refund 50.00"}]
    )
    adding.get_by_role("button", name="Add").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    entry = page.locator("#submissions li", has_text="Our record of the one refund.")
    expect(entry).to_contain_text("The organisation · Submission")
    with page.expect_download() as download:
        entry.get_by_role("link", name="refund-record.txt").click()
    assert download.value.suggested_filename == "refund-record.txt"
    assert download.value.path().read_bytes() == b"Refund 50.00"
    # the complaint's own page lists the file with its dispute, and the note leads back to it
    dispute_page = page.url
    reference = "D-" + re.search(r"/staff/disputes/(\d+)/", dispute_page).group(1)
    page.goto(f"/staff/complaints/{complaint.reference}/")
    listed = page.locator("li", has=page.get_by_role("link", name="refund-record.txt"))
    expect(listed).to_contain_text(f"in the file of dispute {reference}")
    listed.get_by_role("link", name=f"in the file of dispute {reference}").click()
    expect(page).to_have_url(dispute_page)
    page.locator("#neutral-panel summary").click()
    page.get_by_label("Neutral's account").select_option(label="Liis Saar (neutral-liis)")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator("#declaration-state")).to_have_text(
        "Conflict of interest: not yet declared"
    )
    workspace = page.url

    neutral = UserFactory(username="neutral-liis")
    sign_in(page, neutral, lands_on=r"/neutral/$", fresh=True)
    expect(page.locator("#neutral-disputes")).to_contain_text("To declare")
    page.locator("#neutral-disputes a").first.click()
    expect(page.locator("#parties")).to_contain_text("Mari Maasikas")
    expect(page.get_by_text("Zq the card was charged twice")).to_have_count(0)
    page.get_by_label("I have no conflict of interest").check()
    page.get_by_role("button", name="Record my declaration").click()
    expect(page.locator("#complaint-text")).to_have_text("Zq the card was charged twice")
    expect(page.locator("#submissions")).to_contain_text("We refunded the first payment only.")
    expect(page.locator("#submissions .submission-file")).to_have_text(
        "refund-record.txt · In the ZIP file"
    )
    keep_screenshot(page, tmp_path, "neutral-case")
    form = page.locator("#outcome-form")
    form.get_by_label("Outcome").select_option(label="Decided: complaint upheld")
    form.get_by_label("The neutral's reasons").fill("The statement shows two equal charges.")
    form.locator("[name=o0_kind]").select_option("refund")
    form.locator("[name=o0_description]").fill("Refund the second charge.")
    form.locator("[name=o0_amount]").fill("50")
    form.locator("[name=o0_currency]").fill("EUR")
    due = dt.date.today() + dt.timedelta(days=14)
    form.locator("[name=o0_due_on]").fill(due.isoformat())
    form.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_text("The outcome is recorded.")).to_be_visible()
    expect(page.locator("#obligations")).to_contain_text("€50.00")

    sign_in(page, handler, fresh=True)
    page.goto(workspace)
    expect(page.locator("#declaration-state")).to_contain_text("No conflict of interest declared")
    obligations = page.locator("#obligations")
    expect(obligations).to_contain_text("Refund the second charge.")
    expect(obligations).to_contain_text(handler.username)  # the owner: who assigned the neutral
    obligations.get_by_label(re.compile("^Evidence")).fill("Bank transfer 2026-12-05 no. 4411")
    obligations.get_by_role("button", name="Done").click()
    expect(page.locator("#obligations .badge")).to_have_text("done")
    expect(page.locator("summary", has_text="Close the dispute")).to_be_visible()
    keep_screenshot(page, tmp_path, "neutral-decision-carried-out")
