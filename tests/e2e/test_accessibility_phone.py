"""Accessibility at phone width (390 px), in Debian's headless Chromium driven by Playwright:
every horizontally scrolling region of the insights, scorecard and survey-responses pages takes
keyboard focus (axe's "scrollable-region-focusable"); after a failed public submit the focus is on
the error summary; a refused auditor stays inside the staff console; ``/favicon.ico`` answers; a
long unbroken value wraps instead of widening the page."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from plaint.complaints import demo as complaints_demo
from plaint.insights import demo as insights_demo
from plaint.organisation import demo as organisation_demo
from plaint.promises import demo as promises_demo
from plaint.surveys import demo as surveys_demo
from plaint.surveys.models import Survey
from tests.disputes.helpers import make_provider
from tests.e2e.conftest import keep_screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# Elements that scroll sideways at this width, and whether each can take keyboard focus and has
# a role and an accessible name.
SCROLLABLE_REGIONS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.scrollWidth > e.clientWidth
               && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
  .map(e => ({
    what: e.tagName + '.' + e.className,
    focusable: e.tabIndex >= 0 && e.hasAttribute('tabindex'),
    role: e.getAttribute('role'),
    named: !!(e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')),
  }))"""


@pytest.fixture
def demo():
    """The demo's data, smaller: complaints, calendars, promises (v1 published, v2 drafted),
    surveys with responses and the insights built from them."""
    complaints_demo.seed_demo(complaints=60, seed=7)
    now = timezone.now()
    organisation_demo.seed_demo(now=now)
    promises_demo.seed_demo(now=now)
    surveys_demo.seed_demo(now=now, contacts=200)
    insights_demo.seed_demo(now=now)
    return Survey.objects.filter(responses__isnull=False).distinct().order_by("pk").first()


def test_every_scrollable_region_takes_keyboard_focus_at_390px(
    browser_page, demo, auditor, tmp_path
):
    page = browser_page
    page.set_viewport_size(PHONE)
    sign_in(page, auditor, lands_on=r"/staff/")
    pages = {
        "insights": "/staff/insights/",
        "scorecard": "/staff/promises/scorecard/",
        "survey-responses": f"/staff/surveys/{demo.pk}/responses/",
    }
    for name, url in pages.items():
        page.goto(url)
        regions = page.evaluate(SCROLLABLE_REGIONS)
        assert regions, f"{name}: nothing scrolls sideways at 390 px; the check would be empty"
        for region in regions:
            assert region["focusable"], (name, region)
            assert region["role"] == "region" and region["named"], (name, region)
        keep_screenshot(page, tmp_path, f"phone-{name}")
    # A keyboard user reaches the first table of the scorecard and scrolls it with the arrow key.
    page.goto(pages["scorecard"])
    region = page.locator(".table-scroll").first
    region.focus()
    expect(region).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.table-scroll').scrollLeft !== 0")


def test_the_scorecard_shows_the_measured_version_not_the_draft(browser_page, demo, auditor):
    page = browser_page
    sign_in(page, auditor, lands_on=r"/staff/")
    page.goto("/staff/promises/scorecard/")
    body = page.locator("main")
    expect(body).to_contain_text("We send you our decision within 20 business days.")
    expect(body).not_to_contain_text("15 business days")


def test_after_a_failed_submit_the_focus_is_on_the_error_summary(browser_page, tmp_path):
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto("/complain/")
    page.locator("form:has([name=description]) button[type=submit]").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    keep_screenshot(page, tmp_path, "phone-complain-errors")


def test_a_refused_auditor_stays_inside_the_staff_console(browser_page, auditor):
    page = browser_page
    page.set_viewport_size(PHONE)
    sign_in(page, auditor, lands_on=r"/staff/")
    response = page.goto("/staff/promises/codes/new/")
    assert response is not None and response.status == 403
    expect(page.locator("a.brand")).to_have_attribute("href", "/staff/")
    expect(page.locator("nav")).to_contain_text("Queue")


def test_favicon_ico_answers(browser_page):
    page = browser_page
    response = page.goto("/favicon.ico")
    assert response is not None and response.status == 200
    assert response.headers["content-type"] == "image/svg+xml"
    page.goto("/")
    assert page.locator("link[rel=icon]").get_attribute("href") == "/static/core/favicon.svg"


def test_a_long_unbroken_value_wraps_inside_the_page_at_390px(browser_page, manager, tmp_path):
    """A link someone typed or a reference with no space in it breaks across lines; the page
    does not scroll sideways (it did on a dispute provider's page, in Persian too)."""
    reference = "TTJA-" + "7" * 40
    provider = make_provider(
        manager,
        description=f"Avalduse viide: {reference}",
        website="https://komisjon.example.ee/avaldus?viide=" + "A1B2C3D4E5" * 5,
    )
    page = browser_page
    page.set_viewport_size(PHONE)
    sign_in(page, manager, lands_on=r"/staff/")
    for language in ("en", "fa"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
        page.goto(f"/staff/disputes/providers/{provider.pk}/")
        expect(page.locator("main")).to_contain_text(reference)
        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        keep_screenshot(page, tmp_path, f"phone-provider-long-values-{language}")
        assert not wide, f"the provider's page scrolls sideways at 390 px ({language})"
