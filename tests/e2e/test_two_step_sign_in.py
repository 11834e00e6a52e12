"""A member turns on two-step sign-in from the staff header, as with a phone: reads the key off
the page (the QR code holds the same), confirms with the app's code, and from then on signs in
with the password and then the code."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, keep_screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(secret: str) -> str:
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key):06d}"


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


def test_a_member_turns_on_two_step_sign_in_and_signs_in_with_a_code(
    browser_page, handler, tmp_path
):
    page = browser_page
    refused = _watch_policy(page)
    sign_in(page, handler)
    page.get_by_role("link", name="Two-step sign-in").click()
    expect(page.locator("svg.qr-code")).to_be_visible()
    secret = page.locator("#two-factor-secret").inner_text()
    keep_screenshot(page, tmp_path, "two-step-enrol")
    page.locator("[name=code]").fill(_code(secret))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.locator("#two-factor-status")).to_contain_text("Two-step sign-in is on")

    page.get_by_role("button", name=re.compile("Log out")).click()
    # the next 30-second step: a code is accepted once
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=31)):
        page.goto("/staff/login/")
        login = page.locator("form:has([name=password])")
        login.locator("[name=username]").fill(handler.username)
        login.locator("[name=password]").fill(PASSWORD)
        login.get_by_role("button", name="Log in").click()
        expect(page).to_have_url(re.compile(r"/staff/login/verify/$"))
        page.locator("[name=code]").fill(_code(secret))
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(re.compile(r"/staff/$"))
    assert refused == []  # nothing the Content-Security-Policy blocked
