# ruff: noqa: RUF001 - the expected texts are Persian on purpose
"""A complainant writes on their case; its owner sees the unread count in the staff header and the
item in their notifications, opens it (the case page) and the count drops. Real pages in headless
Chromium at 1280 and 390 px, and the list in Persian (right to left)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from plaint.complaints import services as cs
from plaint.core.actors import Actor
from tests.e2e.conftest import keep_screenshot, sign_in
from tests.factories import make_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def test_a_reply_shows_as_unread_and_opening_it_clears_the_count(
    browser_page, handler, manager, tmp_path
):
    page = browser_page
    complaint, token = make_complaint(name="Kadri Kask")
    cs.complaint_assign(
        complaint_id=complaint.pk, actor=Actor.staff(manager), assignee_id=handler.pk
    )
    cs.complaint_assign(
        complaint_id=complaint.pk, actor=Actor.staff(handler), assignee_id=handler.pk
    )

    # The owner has read the assignment: nothing unread.
    sign_in(page, handler, fresh=True)
    page.goto("/staff/notifications/")
    page.get_by_role("button", name="Mark all read").click()
    expect(page.locator("#unread-count")).to_have_count(0)

    # The complainant adds information on the tracking page.
    page.context.clear_cookies()
    page.goto(f"/track/{token}/")
    page.get_by_label("Your message").fill("Here is the photo of the crushed box.")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("body")).to_contain_text("Here is the photo of the crushed box.")

    # The owner sees the count on any staff page, and the item in the list.
    sign_in(page, handler, fresh=True)
    expect(page.locator("#unread-count")).to_have_text("1 unread")
    page.locator("#notifications-link").click()
    item = page.locator("#notifications li.notification-unread")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("A complainant's reply or new evidence on my case")
    expect(item).to_contain_text(complaint.reference)
    for size, label in ((DESKTOP, "1280"), (PHONE, "390")):
        page.set_viewport_size(size)
        keep_screenshot(page, tmp_path, f"notifications-list-{label}")
    page.set_viewport_size(DESKTOP)

    # Opening it goes to the case, and the count is gone.
    item.get_by_role("button", name=f"Open case {complaint.reference}").click()
    expect(page).to_have_url(re.compile(rf"/staff/complaints/{complaint.reference}/$"))
    expect(page.locator("body")).to_contain_text("Here is the photo of the crushed box.")
    expect(page.locator("#unread-count")).to_have_count(0)
    page.goto("/staff/notifications/")
    expect(page.locator("#notifications li.notification-unread")).to_have_count(0)


def test_preferences_and_the_persian_list(browser_page, handler, manager, tmp_path):
    page = browser_page
    complaint, _ = make_complaint()
    cs.complaint_assign(
        complaint_id=complaint.pk, actor=Actor.staff(manager), assignee_id=handler.pk
    )
    sign_in(page, handler, fresh=True)
    page.goto("/staff/notifications/settings/")
    box = page.get_by_label("A complainant's reply or new evidence on my case: By e-mail")
    expect(box).not_to_be_checked()
    box.check()
    page.get_by_role("button", name="Save choices").click()
    expect(page.locator(".messages")).to_contain_text("Your notification choices are saved.")
    expect(box).to_be_checked()
    for size, label in ((DESKTOP, "1280"), (PHONE, "390")):
        page.set_viewport_size(size)
        keep_screenshot(page, tmp_path, f"notifications-settings-{label}")

    page.goto("/staff/notifications/")
    page.locator("#language-select").select_option("fa")
    page.locator(".language-switcher button").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("اعلان‌ها")
    expect(page.locator("#unread-count")).to_have_text("1 خوانده‌نشده")
    for size, label in ((DESKTOP, "1280"), (PHONE, "390")):
        page.set_viewport_size(size)
        keep_screenshot(page, tmp_path, f"notifications-list-fa-{label}")


def test_a_manager_says_which_team_looks_after_which_category(
    browser_page, manager, handler, tmp_path
):
    from plaint.accounts.models import Team
    from plaint.core.worker import housekeeping
    from plaint.notifications.models import TeamCategory
    from tests.factories import CategoryFactory

    page = browser_page
    team = Team.objects.create(name="Billing desk")
    handler.team = team
    handler.save(update_fields=["team"])
    CategoryFactory(code="billing", name="Billing")
    CategoryFactory(code="delivery", name="Delivery")
    sign_in(page, manager, fresh=True)
    page.goto("/staff/notifications/settings/")
    page.get_by_role("link", name="Which team looks after which category").click()
    expect(page).to_have_url(re.compile(r"/staff/notifications/teams/$"))
    group = page.get_by_role("group", name="Billing desk")
    group.get_by_label("Billing").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("The teams' categories are saved.")
    expect(group.get_by_label("Billing")).to_be_checked()
    expect(group.get_by_label("Delivery")).not_to_be_checked()
    assert TeamCategory.objects.count() == 1
    for size, label in ((DESKTOP, "1280"), (PHONE, "390")):
        page.set_viewport_size(size)
        keep_screenshot(page, tmp_path, f"notifications-teams-{label}")

    # A new billing case: after the worker's pass, the team member sees it.
    complaint, _ = make_complaint(category="billing")
    housekeeping()
    sign_in(page, handler, fresh=True)
    expect(page.locator("#unread-count")).to_have_text("1 unread")
    page.goto("/staff/notifications/")
    expect(page.locator("#notifications")).to_contain_text("A new case in my team's category")
    expect(page.locator("#notifications")).to_contain_text(complaint.reference)
