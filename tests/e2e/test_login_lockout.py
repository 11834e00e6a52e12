"""A staff member who mistyped their password ten times is told, on the sign-in page, that the
account is locked for now and when to come back; once an administrator unlocks it, they get in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from plaint.accounts.services.login import login_unlock
from plaint.core.actors import Actor
from tests.e2e.conftest import keep_screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _try(page, username: str, password: str) -> None:
    login = page.locator("form:has([name=password])")
    login.locator("[name=username]").fill(username)
    login.locator("[name=password]").fill(password)
    login.locator("button[type=submit]").click()


def _watch_policy(page) -> list[str]:
    """What the browser says it refused under the Content-Security-Policy, as it happens."""
    refused: list[str] = []
    page.on(
        "console",
        lambda m: (
            refused.append(m.text)
            if "Content Security Policy" in m.text or m.text.startswith("Refused to")
            else None
        ),
    )
    return refused


def test_a_locked_out_user_sees_why_and_when_to_retry(browser_page, handler, tmp_path):
    page = browser_page
    refused = _watch_policy(page)
    page.goto("/staff/login/")
    for attempt in range(10):
        _try(page, handler.username, f"wrong guess {attempt}")
        expect(page.locator(".error-summary")).to_contain_text(
            "Please enter a correct username and password"
        )

    _try(page, handler.username, "correct horse battery staple")  # the right one, too late
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("This account is temporarily locked")
    expect(summary).to_contain_text("Try again in 15 minutes.")
    expect(summary).to_contain_text(re.compile(r"You can sign in again from \d{1,2}:\d{2}"))
    expect(page).to_have_url(re.compile(r"/staff/login/$"))
    keep_screenshot(page, tmp_path, "login-locked")

    login_unlock(actor=Actor.system("test operator"), username=handler.username)
    sign_in(page, handler)
    assert refused == []  # nothing the Content-Security-Policy blocked
