"""The answer page in a real browser on a phone-sized screen: scales run in the reading
direction (left to right in English, right to left in Persian) and nothing scrolls sideways."""

from __future__ import annotations

import pytest

from plaint.surveys.models import Answer
from tests.surveys.factories import invite, make_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _box(page, selector: str) -> dict:
    return page.locator(selector).bounding_box()


@pytest.mark.parametrize(("language", "rtl"), [("en", False), ("fa", True)])
def test_scale_follows_the_reading_direction_on_a_phone(browser_page, manager, language, rtl):
    survey = make_survey(manager, questions_per_page=3, quiet_period_days=0)
    _inv, token = invite(manager, survey, email=f"{language}@example.org", language=language)
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/survey/{token}/")
    low, high = _box(page, "label[for=q_overall_1]"), _box(page, "label[for=q_overall_5]")
    if rtl:
        assert low["x"] > high["x"]  # 1 sits on the right, where Persian reading starts
    else:
        assert low["x"] < high["x"]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page scrolls sideways: {width}px"
    page.locator("label[for=q_overall_4]").click()
    page.locator("label[for=q_nps_9]").click()
    page.locator("button[value=next]").click()
    page.wait_for_url("**page=2**")
    assert Answer.objects.get(question__code="overall").value == 4
    assert Answer.objects.get(question__code="nps").value == 9
