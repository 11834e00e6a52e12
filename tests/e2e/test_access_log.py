"""An auditor opens the access log from the staff header, filters it by a case and sees the
handler's read of that case (and not the read of another case)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.factories import make_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_auditor_finds_the_handlers_read_of_a_case(browser_page, handler, auditor):
    wanted, _ = make_complaint(subject="Parcel left in the rain")
    other, _ = make_complaint(subject="Wrong size delivered")
    page = browser_page
    sign_in(page, handler)
    for case in (wanted, other):
        page.goto(f"/staff/complaints/{case.reference}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)

    sign_in(page, auditor, fresh=True)
    page.get_by_role("link", name="Access log", exact=True).click()
    expect(page).to_have_url(re.compile(r"/staff/audit/reads/$"))
    filters = page.locator("form.filters")
    filters.get_by_label("Case reference").fill(wanted.reference)
    filters.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"[?&]case=" + re.escape(wanted.reference)))

    rows = page.locator("table.read-log tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(handler.username)
    expect(rows.first).to_contain_text("Staff page")
    expect(rows.first.get_by_role("link", name=wanted.reference, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=other.reference, exact=True)).to_have_count(0)
