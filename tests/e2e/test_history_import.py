"""A manager imports complaint history on the staff page — upload, map (the usual CFPB column
names recognised, the channel and remedy values written as rules), dry run, import — in Chromium,
at 1280 and 390 px, in English and in Persian (right to left)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from plaint.complaints.models import Complaint
from tests.e2e.conftest import save_screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parents[1] / "complaints" / "data" / "cfpb_sample.csv"
CHANNELS = "Referral | letter\nPostal mail | letter\nFax | letter"
REMEDIES = (
    "Closed with monetary relief | compensation\nClosed with explanation | explanation\n"
    "Closed with non-monetary relief | other\nIn progress |"
)


@pytest.mark.parametrize(("language", "width"), [("en", 1280), ("fa", 390)])
def test_upload_map_dry_run_and_import(browser_page, live_server, manager, language, width):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, manager)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page.goto("/staff/history/import/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "fa" else "ltr")
    page.locator("input[name=file]").set_input_files(str(SAMPLE))
    page.locator("input[name=source]").fill("cfpb")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#import-preview")).to_contain_text("8013001")
    expect(page.locator("select[name=col_external_id]")).to_have_value("Complaint ID")
    expect(page.locator("select[name=col_closed_at]")).to_have_value("Date closed")
    page.locator("textarea[name=values_channel]").fill(CHANNELS)
    page.locator("textarea[name=values_remedy]").fill(REMEDIES)
    save_screenshot(page, f"history-import-mapping-{language}-{width}")
    page.locator("#dry-run").click()
    expect(page.locator("#count-created")).to_have_text("8")
    expect(page.locator("#count-refused")).to_have_text("4")
    expect(page.locator("#import-errors")).to_contain_text("Carrier pigeon")
    save_screenshot(page, f"history-import-dry-run-{language}-{width}")
    assert not Complaint.objects.exists()
    page.locator("#import-after-dry-run").click()
    expect(page.locator("#count-created")).to_have_text("8")
    save_screenshot(page, f"history-import-done-{language}-{width}")
    assert Complaint.objects.filter(external_source="cfpb").count() == 8
