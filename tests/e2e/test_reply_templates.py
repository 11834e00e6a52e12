"""A manager writes a reply template; a handler inserts it on a case, edits it and sends it; the
complainant reads the sent text on the tracking page. Real pages in headless Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from plaint.complaints.models import Message, ReplyTemplate
from tests.e2e.conftest import keep_screenshot, sign_in
from tests.factories import make_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_template_is_written_inserted_edited_and_sent(browser_page, manager, handler, tmp_path):
    page = browser_page
    complaint, token = make_complaint(name="Kadri Kask", language="sv")

    # The manager finds the templates from the settings page and writes one.
    sign_in(page, manager, fresh=True)
    page.goto("/staff/settings/")
    page.get_by_role("link", name="Reply templates").click()
    expect(page).to_have_url(re.compile(r"/staff/settings/templates/$"))
    form = page.locator("#reply-template-form")
    form.get_by_label("Template name").fill("Looking into it")
    form.get_by_label("Text in English").fill("Dear {name}, we are looking into {reference}.")
    form.get_by_label("Text in Swedish").fill("Hej {name}, vi utreder {reference}.")
    form.get_by_role("button", name="Save template").click()
    expect(page.locator("#reply-templates")).to_contain_text("Looking into it")
    keep_screenshot(page, tmp_path, "templates-1-settings")
    assert ReplyTemplate.objects.get().texts["sv"] == "Hej {name}, vi utreder {reference}."

    # The handler inserts it on the case: in the complainant's language, filled in.
    sign_in(page, handler, fresh=True)
    page.goto(f"/staff/complaints/{complaint.reference}/")
    page.locator("#action-message summary").click()
    page.get_by_label("Insert a template").select_option(label="Looking into it")
    page.locator("#insert-template-button").click()
    body = page.locator("#message-form [name=body]")
    expected = f"Hej Kadri Kask, vi utreder {complaint.reference}."
    expect(body).to_have_value(expected)
    keep_screenshot(page, tmp_path, "templates-2-inserted")

    # ... edits it and sends it with the usual button.
    body.fill(expected + " Vi hör av oss i veckan.")
    page.locator("#send-message-button").click()
    expect(page.locator("body")).to_contain_text("Vi hör av oss i veckan.")
    sent = Message.objects.get(complaint=complaint, body__contains="i veckan")
    assert sent.body == expected + " Vi hör av oss i veckan."

    # The complainant reads it on the tracking page.
    page.context.clear_cookies()
    page.goto(f"/track/{token}/")
    expect(page.locator("body")).to_contain_text(expected + " Vi hör av oss i veckan.")
