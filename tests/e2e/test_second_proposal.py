"""Issue 16, item 5: after the complainant declines and another handler proposes again, the
tracking page offers the new remedy once, and the case page keeps the first proposal apart."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import keep_screenshot
from tests.factories import advance, make_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 390)


def _step_form(page, step: str):
    """The form of a lifecycle step: its link on the case page leads to the step's own page."""
    page.locator(f"#action-{step}").click()
    expect(page.locator(f"#step-{step}-heading")).to_be_visible()
    return page.locator(f'form[action$="/step/{step}/"]')


def _offered(page) -> list[str]:
    return [
        " ".join(text.split())
        for text in page.locator("#decision-heading ~ ul li").all_inner_texts()
    ]


def test_a_second_proposal_replaces_the_first_on_the_tracking_page(
    browser_page, handler, other_handler, tmp_path
):
    page = browser_page
    complaint, token = make_complaint()
    advance(complaint, "decision_communicated", by=handler)  # a refund of 4.90 EUR

    # The complainant sees the first decision and asks for a review.
    page.goto(f"/track/{token}/")
    assert _offered(page) == ["Refund: €4.90"]
    decline = page.locator('form[action$="/decline/"]')
    decline.locator("[name=reason]").fill("The fee does not cover the broken vase.")
    decline.locator("button[type=submit]").click()
    expect(page.locator("#decline-button")).to_have_count(0)

    # Another handler reviews the case, proposes a larger refund and sends the decision.
    page.goto("/staff/login/")
    login = page.locator("form:has([name=password])")
    login.locator("[name=username]").fill(other_handler.username)
    login.locator("[name=password]").fill("correct horse battery staple")
    login.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/staff/$"))
    page.goto(f"/staff/complaints/{complaint.reference}/")
    propose = _step_form(page, "propose_response")
    propose.locator("[name$=decision]").fill("On review we refund the vase as well.")
    propose.locator("[name$=remedy_1_kind]").select_option("refund")
    propose.locator("[name$=remedy_1_amount]").fill("39.90")
    propose.locator("[name$=remedy_1_currency]").fill("EUR")
    propose.locator("button[type=submit]").click()
    expect(page.locator("#remedies li")).to_have_text(["Refund: €39.90"])
    _step_form(page, "communicate_decision").locator("button[type=submit]").click()
    expect(page.locator("#remedies li")).to_have_text(["Refund: €39.90"])

    # The case page keeps the first proposal in its history, apart from the one offered.
    earlier = page.locator("#earlier-proposals")
    expect(earlier.locator("li")).to_have_count(1)
    earlier.locator("summary").click()
    expect(earlier).to_contain_text("Proposal 1")
    expect(earlier.locator("li")).to_have_text(["Refund: €4.90"])
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        keep_screenshot(page, tmp_path, f"second-proposal-case-{width}")

    # The complainant's tracking page offers the new remedy, once.
    page.goto(f"/track/{token}/")
    expect(page.locator("#decision-heading ~ .text")).to_contain_text("refund the vase")
    assert _offered(page) == ["Refund: €39.90"]
    expect(page.locator("body")).not_to_contain_text("€4.90")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        keep_screenshot(page, tmp_path, f"second-proposal-tracking-{width}")
