"""Team visibility in the browser: a manager turns it on in the settings; team B's handler then
does not see team A's case in the queue and gets the not-found page at its address, while the case
of their own team is there. The settings page and a category's readers page are kept as
screenshots at desktop and phone widths, in English and in Persian (right to left)."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from plaint.accounts.models import Team
from plaint.complaints import services
from plaint.core.actors import Actor
from tests.e2e.conftest import save_screenshot, sign_in
from tests.factories import CategoryFactory, UserFactory, make_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_team_b_does_not_see_team_as_case(browser_page, manager):
    team_a, team_b = Team.objects.create(name="Team A"), Team.objects.create(name="Team B")
    bert = UserFactory(username="bert", role="handler", team=team_b)
    cases = {}
    for team in (team_a, team_b):
        case, _ = make_complaint(subject=f"Parcel lost by {team.name}")
        services.complaint_assign(
            complaint_id=case.pk, actor=Actor.staff(manager), assignee_id=None, team_id=team.pk
        )
        cases[team.name] = case
    page = browser_page
    sign_in(page, manager)
    page.goto("/staff/settings/")
    page.get_by_label("Handlers see only their own team's cases").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()

    sign_in(page, bert, fresh=True)
    queue = page.locator("main")
    expect(queue.get_by_text("Parcel lost by Team B")).to_be_visible()
    expect(queue.get_by_text("Parcel lost by Team A")).to_have_count(0)
    response = page.goto(f"/staff/complaints/{cases['Team A'].reference}/")
    assert response is not None and response.status == 404
    expect(page.get_by_text("No such complaint.")).to_be_visible()
    expect(page.get_by_text("Parcel lost by Team A")).to_have_count(0)


def test_the_changed_pages_at_desktop_and_phone_widths(browser_page, live_server, manager):
    health = CategoryFactory(code="health", name="Health")
    CategoryFactory(code="deliveries", name="Deliveries")
    nurse = UserFactory(username="nurse", first_name="Nadia", last_name="Nurmi", role="handler")
    services.category_access_set(
        actor=Actor.staff(manager), category_id=health.pk, restricted=True, reader_ids=[nurse.pk]
    )
    page = browser_page
    for language in ("en", "fa"):
        # the language cookie as the switcher sets it, then signed in (as in test_axe)
        page.context.clear_cookies()
        cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}
        page.context.add_cookies([cookie])
        sign_in(page, manager)
        expect(page.locator("html")).to_have_attribute("lang", language)
        for width, height in ((1280, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            for name, url in (
                ("settings", "/staff/settings/"),
                ("categories", "/staff/settings/categories/"),
                ("category-readers", f"/staff/settings/categories/{health.pk}/"),
            ):
                page.goto(url)
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, (name, language, width, overflow)
                save_screenshot(page, f"visibility-{name}-{language}-{width}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_label("Nadia Nurmi")).to_be_checked()
