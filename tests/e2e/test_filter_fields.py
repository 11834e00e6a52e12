"""Fields side by side (``.filter-grid``) are as wide as what they hold: a long chosen value in
a report's filters is read whole at 1280 px, not cut in an equal column, and the fields still
stack inside a 390 px screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from plaint.surveys.models import Survey
from tests.e2e.conftest import keep_screenshot, shows_its_choice_whole, sign_in
from tests.insights.factories import make_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reports_long_choices_are_read_whole_and_fit_a_phone(browser_page, manager, tmp_path):
    survey = make_survey()
    Survey.objects.filter(pk=survey.pk).update(
        title={"en": "How did we handle your complaint about a delivery?"}
    )
    page = browser_page
    sign_in(page, manager)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/staff/insights/")
    survey_field, method = page.locator("#id_survey"), page.locator("#id_method")
    expect(survey_field).to_have_value(survey.key)
    method.select_option("correlation")  # "Derived: correlation with the overall question"
    for select in (survey_field, method):
        assert shows_its_choice_whole(select), select.evaluate("s => s.name")
    keep_screenshot(page, tmp_path, "insights-filters-1280")

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for select in (survey_field, method):
        assert select.bounding_box()["width"] <= 390 - 2 * 16
    keep_screenshot(page, tmp_path, "insights-filters-390")
