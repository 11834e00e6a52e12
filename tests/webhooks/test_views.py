"""The webhook pages under the staff settings: managers and admins only; the secret on the page
that answers the creation and never after; the delivery log."""

from __future__ import annotations

import pytest

from plaint.webhooks.models import Webhook

pytestmark = pytest.mark.django_db

LIST = "/staff/settings/webhooks/"


def test_a_manager_adds_a_webhook_and_sees_its_secret_once(client, manager):
    client.force_login(manager)

    response = client.post(
        LIST,
        {
            "name": "CRM",
            "url": "https://crm.example.org/in",
            "events": ["complaint.created"],
            "active": "on",
        },
    )

    assert response.status_code == 200
    webhook = Webhook.objects.get()
    assert webhook.secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    detail = client.get(f"{LIST}{webhook.pk}/")
    assert detail.status_code == 200
    assert webhook.secret not in detail.content.decode()
    assert webhook.secret not in client.get(LIST).content.decode()


def test_an_http_url_is_refused_next_to_the_field(client, manager, settings):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = False
    client.force_login(manager)

    response = client.post(
        LIST, {"name": "CRM", "url": "http://127.0.0.1/in", "events": ["complaint.created"]}
    )

    assert response.status_code == 422
    assert "must start with https://" in response.content.decode()
    assert not Webhook.objects.exists()


def test_rotating_shows_the_new_secret(client, manager, hook):
    webhook, first = hook("https://crm.example.org/in")
    client.force_login(manager)

    response = client.post(f"{LIST}{webhook.pk}/rotate/")

    webhook.refresh_from_db()
    assert webhook.secret != first and webhook.secret in response.content.decode()


def test_changing_and_deleting(client, manager, hook):
    webhook, _ = hook("https://crm.example.org/in")
    client.force_login(manager)

    changed = client.post(
        f"{LIST}{webhook.pk}/",
        {"name": "CRM 2", "url": "https://crm.example.org/v2", "events": ["complaint.closed"]},
    )
    assert changed.status_code == 302
    webhook.refresh_from_db()
    assert (webhook.name, webhook.url, webhook.events, webhook.active) == (
        "CRM 2",
        "https://crm.example.org/v2",
        ["complaint.closed"],
        False,
    )
    confirm = client.post(f"{LIST}{webhook.pk}/delete/")
    assert confirm.status_code == 200 and Webhook.objects.exists()
    client.post(f"{LIST}{webhook.pk}/delete/", {"confirm": "yes"})
    assert not Webhook.objects.exists()


@pytest.mark.parametrize("role", ["handler", "auditor"])
def test_other_roles_are_refused(client, role, request, hook):
    webhook, _ = hook("https://crm.example.org/in")
    client.force_login(request.getfixturevalue(role))

    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}{webhook.pk}/").status_code == 403


def test_the_settings_page_links_to_the_webhooks(client, manager):
    client.force_login(manager)

    assert LIST in client.get("/staff/settings/").content.decode()


def test_no_events_chosen_is_said_in_the_events_fieldset(client, manager):
    client.force_login(manager)

    response = client.post(LIST, {"name": "CRM", "url": "https://crm.example.org/in"})

    assert response.status_code == 422
    page = response.content.decode()
    fieldset = page.split("<legend>Events</legend>")[1].split("</fieldset>")[0]
    assert 'class="errorlist"' in fieldset
    assert not Webhook.objects.exists()
