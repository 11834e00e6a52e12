"""An admin finds a person, downloads their data, and erases it: a dry run first, then the
confirmation. The Personal data pages in every language at 1280 and 390 px (Persian right to
left), with nothing wider than a phone's screen."""

from __future__ import annotations

import json
import os
import re
import zipfile

import pytest
from django.conf import settings
from playwright.sync_api import expect

from plaint.privacy.selectors import subject_lookup
from tests.e2e.conftest import keep_screenshot, sign_in
from tests.privacy.conftest import EMAIL, NAME, media, person  # noqa: F401 - the fixtures, shared

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_export_and_erase_a_person(browser_page, person, admin_user):  # noqa: F811
    page = browser_page
    sign_in(page, admin_user)
    page.get_by_role("link", name="Personal data", exact=True).click()
    page.get_by_label("E-mail, phone, name or case reference").fill(EMAIL)
    page.get_by_role("button", name="Find", exact=True).click()
    for case in person:
        expect(page.locator("#subject")).to_contain_text(case.reference)

    with page.expect_download() as download:
        page.get_by_role("link", name="Export (ZIP)").click()
    archive = zipfile.ZipFile(download.value.path())
    assert json.loads(archive.read("subject.json"))["complainants"][0]["name"] == NAME

    page.get_by_role("button", name="Erase: dry run first").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("dry run")
    expect(page.locator("#plan")).to_contain_text("Complaints")
    assert subject_lookup(query=EMAIL).found  # the dry run changed nothing
    page.get_by_role("button", name="Erase now").click()
    expect(page).to_have_url(re.compile(r"/staff/privacy/$"))
    expect(page.locator(".messages")).to_contain_text("was erased")
    assert not subject_lookup(query=EMAIL).found


def _both_widths(page, tmp_path, name: str) -> None:
    """Nothing wider than a phone's screen; the screenshots are taken only when someone will
    look at them (PLAINT_E2E_SCREENSHOTS), to keep the suite quick."""
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        if os.environ.get("PLAINT_E2E_SCREENSHOTS"):
            keep_screenshot(page, tmp_path, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_the_pages_in_every_language(browser_page, live_server, person, admin_user, tmp_path):  # noqa: F811
    page = browser_page
    sign_in(page, admin_user)
    for language in ("en", "et", "uk", "sv", "fa"):
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        page.goto(f"/staff/privacy/?query={EMAIL}")
        rtl = "rtl" if language == "fa" else "ltr"
        expect(page.locator("html")).to_have_attribute("dir", rtl)
        expect(page.locator("#export-link")).to_be_visible()
        _both_widths(page, tmp_path, f"privacy-{language}")
        page.locator("#dry-run-form button").click()
        expect(page.locator("#confirm-form")).to_be_visible()
        _both_widths(page, tmp_path, f"privacy-erase-{language}")
        page.goto("/staff/privacy/retention/")
        expect(page.locator("#retention-form")).to_be_visible()
        _both_widths(page, tmp_path, f"privacy-retention-{language}")
