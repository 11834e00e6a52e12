# ruff: noqa: RUF001 - the expected texts are Persian on purpose
"""Issue 16, item 9 in Chromium: a handler saves the queue's filters as a view, comes back to the
queue and finds it remembered, then ticks three cases and assigns them in one action (after a
confirmation page that says what will happen)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from plaint.complaints.models import Complaint, SavedView
from plaint.core.models import AuditEvent
from tests.e2e.conftest import keep_screenshot, sign_in
from tests.factories import advance, make_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_save_a_view_come_back_to_it_and_assign_three_cases(
    browser_page, handler, other_handler, tmp_path
):
    kettles = [
        make_complaint(subject=f"Kettle {n} leaks", description="The kettle leaks at the seam.")[0]
        for n in range(1, 5)
    ]
    other, _ = make_complaint(subject="Parcel late", description="The parcel came late.")
    page = browser_page
    sign_in(page, handler, lands_on=r"/staff/")

    # filter, then save the filters as a view of one's own
    filters = page.locator("form.filters")
    filters.locator("[name=q]").fill("kettle")
    filters.locator("[name=sort]").select_option("oldest")
    filters.locator("button[type=submit]").click()
    expect(page.get_by_role("link", name=other.reference, exact=True)).to_have_count(0)
    page.get_by_text("Save these filters as a view").click()
    page.get_by_label("Name of the view").fill("Kettles")
    page.get_by_role("button", name="Save view").click()
    expect(page.get_by_text("View “Kettles” saved.")).to_be_visible()
    views = page.get_by_role("navigation", name="Views")
    expect(views.get_by_role("link", name="Kettles")).to_have_attribute("aria-current", "page")
    assert SavedView.objects.get().query == "q=kettle&sort=oldest"

    # elsewhere and back: the queue opens on the last view, remembered on the server
    page.get_by_role("link", name=kettles[0].reference, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kettle 1 leaks")
    page.goto("/staff/")
    expect(page).to_have_url(re.compile(r"/staff/\?q=kettle&sort=oldest$"))
    expect(page.locator("[name=q]").first).to_have_value("kettle")
    expect(views.get_by_role("link", name="Kettles")).to_have_attribute("aria-current", "page")
    page.reload()
    expect(views.get_by_role("link", name="Kettles")).to_have_attribute("aria-current", "page")

    # "select all on this page" ticks every row (a few lines of plain JavaScript) …
    select_all = page.get_by_label("Select all on this page")
    select_all.check()
    for complaint in kettles:
        expect(page.get_by_role("checkbox", name=f"Select {complaint.reference}")).to_be_checked()
    select_all.uncheck()
    # … and three are ticked one by one
    for complaint in kettles[:3]:
        page.get_by_role("checkbox", name=f"Select {complaint.reference}").check()
    page.set_viewport_size({"width": 1280, "height": 900})
    keep_screenshot(page, tmp_path, "queue-views-bulk-1280")
    page.set_viewport_size(PHONE)
    keep_screenshot(page, tmp_path, "queue-views-bulk-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    bulk = page.locator("fieldset.bulk-actions")
    bulk.get_by_label("Assign to").select_option(label=str(other_handler))
    bulk.get_by_role("button", name="Assign…").click()
    confirmation = page.locator("#bulk-confirmation")
    expect(confirmation.get_by_role("heading")).to_have_text(
        "3 complaints will be assigned to olga."
    )
    for complaint in kettles[:3]:
        expect(confirmation).to_contain_text(complaint.reference)
    expect(confirmation).not_to_contain_text(kettles[3].reference)
    keep_screenshot(page, tmp_path, "queue-bulk-confirm-1280")
    page.set_viewport_size(PHONE)
    keep_screenshot(page, tmp_path, "queue-bulk-confirm-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not Complaint.objects.filter(assignee=other_handler).exists()  # nothing yet

    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("3 complaints changed.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/staff/\?q=kettle&sort=oldest$"))  # back to the view
    rows = page.locator("table.queue tbody tr")
    for complaint in kettles[:3]:
        expect(rows.filter(has_text=complaint.reference)).to_contain_text("olga")
    expect(rows.filter(has_text=kettles[3].reference)).to_contain_text("nobody")
    assert set(Complaint.objects.filter(assignee=other_handler)) == set(kettles[:3])
    for complaint in kettles[:3]:
        assert AuditEvent.objects.filter(case_id=complaint.pk, action="assigned").count() == 1


def test_in_persian_the_views_and_the_confirmation_read_right_to_left(
    browser_page, handler, other_handler, tmp_path
):
    ready, _ = make_complaint(subject="Kettle leaks")
    finished, _ = make_complaint(subject="Kettle closed")
    advance(finished, "closed", by=handler)
    page = browser_page
    sign_in(page, handler, lands_on=r"/staff/")
    page.goto("/staff/?sort=newest")
    page.locator("#language-select").select_option("fa")
    page.locator(".language-switcher button").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    views = page.get_by_role("navigation", name="نماها")
    expect(views.get_by_role("link", name="پرونده\u200cهای باز من")).to_be_visible()
    expect(views.get_by_role("link", name="همه شکایت\u200cها")).to_have_attribute(
        "aria-current", "page"
    )
    for complaint in (ready, finished):
        page.get_by_role("checkbox", name=f"انتخاب {complaint.reference}").check()
    page.set_viewport_size({"width": 1280, "height": 900})
    keep_screenshot(page, tmp_path, "queue-views-fa-1280")
    page.set_viewport_size(PHONE)
    keep_screenshot(page, tmp_path, "queue-views-fa-390")
    bulk = page.locator("fieldset.bulk-actions")
    bulk.locator("[name=bulk-assignee]").select_option(label=str(other_handler))
    bulk.get_by_role("button", name="واگذاری…").click()
    confirmation = page.locator("#bulk-confirmation")
    expect(confirmation.get_by_role("heading", level=2)).to_have_text(
        "1 شکایت به olga واگذار می\u200cشود."
    )
    expect(page.locator("#bulk-refused")).to_contain_text(finished.reference)
    keep_screenshot(page, tmp_path, "queue-bulk-confirm-fa-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    keep_screenshot(page, tmp_path, "queue-bulk-confirm-fa-1280")
    page.get_by_role("button", name="تأیید").click()
    expect(page.locator(".message-success")).to_have_text("1 شکایت تغییر کرد.")
    expect(page.locator(".message-error")).to_contain_text(finished.reference)
    assert Complaint.objects.get(pk=ready.pk).assignee == other_handler
    assert Complaint.objects.get(pk=finished.pk).assignee != other_handler  # finished: unchanged
