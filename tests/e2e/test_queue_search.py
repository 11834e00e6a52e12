"""A handler types two words into the queue's search in the other order than they appear in the
complaint, and finds it; the case they do not describe stays out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_words_in_reverse_order_find_the_case(browser_page, handler):
    wanted, _ = make_complaint(
        subject="Kettle stopped working", description="The shop refused the warranty repair."
    )
    other, _ = make_complaint(subject="Kettle too loud", description="It whistles all night.")
    page = browser_page
    page.goto("/staff/login/")
    login = page.locator("form:has([name=password])")
    login.locator("[name=username]").fill(handler.username)
    login.locator("[name=password]").fill("correct horse battery staple")
    login.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/staff/$"))

    filters = page.locator("form:has([name=q])")
    filters.locator("[name=q]").fill("warranty kettle")
    filters.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"[?&]q=warranty"))
    expect(page.get_by_role("link", name=wanted.reference, exact=True)).to_have_count(1)
    expect(page.get_by_role("link", name=other.reference, exact=True)).to_have_count(0)

    number = wanted.reference.rsplit("-", 1)[1].lstrip("0")
    filters = page.locator("form:has([name=q])")
    filters.locator("[name=q]").fill(number)
    filters.locator("button[type=submit]").click()
    expect(page.get_by_role("link", name=wanted.reference, exact=True)).to_have_count(1)
    expect(page.get_by_role("link", name=other.reference, exact=True)).to_have_count(0)
