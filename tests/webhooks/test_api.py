"""The webhooks API: managers and admins create, read (with the delivery log), change, rotate
the secret and delete; the secret is in the answers to create and rotate only."""

from __future__ import annotations

import pytest

from plaint.webhooks.models import Webhook
from tests.api_client import PROBLEM, ApiClient
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db

NEW = {"name": "CRM", "url": "https://crm.example.org/in", "events": ["complaint.created"]}


def test_create_read_change_rotate_delete(manager):
    api = ApiClient(manager)

    created = api.post("/webhooks", NEW)
    assert created.status_code == 201, created.content
    body = created.json()
    secret = body["secret"]
    assert secret == Webhook.objects.get().secret and body["active"] is True
    make_complaint()

    detail = api.get(f"/webhooks/{body['id']}").json()
    assert "secret" not in detail
    [delivery] = detail["deliveries"]
    assert (delivery["event"], delivery["status"], delivery["attempts"]) == (
        "complaint.created",
        "pending",
        0,
    )
    assert all("secret" not in item for item in api.get("/webhooks").json())

    changed = api.client.patch(
        f"/api/v1/webhooks/{body['id']}",
        data={"active": False},
        content_type="application/json",
        headers=api.headers(),
    )
    assert changed.status_code == 200 and changed.json()["active"] is False

    rotated = api.post(f"/webhooks/{body['id']}/rotate-secret").json()
    assert rotated["secret"] not in (secret, None)

    deleted = api.client.delete(f"/api/v1/webhooks/{body['id']}", headers=api.headers())
    assert deleted.status_code == 204 and not Webhook.objects.exists()


def test_a_handler_is_refused(handler):
    response = ApiClient(handler).post("/webhooks", NEW)

    assert response.status_code == 403 and response["Content-Type"] == PROBLEM


def test_a_bad_url_names_the_field(manager, settings):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = False
    response = ApiClient(manager).post("/webhooks", {**NEW, "url": "http://localhost/in"})

    assert response.status_code == 422
    assert "url" in response.json()["errors"]


def test_an_unknown_event_is_refused(manager):
    response = ApiClient(manager).post("/webhooks", {**NEW, "events": ["complaint.eaten"]})

    assert response.status_code == 422


def test_changing_the_events_keeps_the_rest(manager):
    api = ApiClient(manager)
    created = api.post("/webhooks", NEW).json()

    changed = api.client.patch(
        f"/api/v1/webhooks/{created['id']}",
        data={"events": ["complaint.closed", "promise.breached"]},
        content_type="application/json",
        headers=api.headers(),
    ).json()

    assert changed["events"] == ["complaint.closed", "promise.breached"]
    assert (changed["name"], changed["url"], changed["active"]) == ("CRM", NEW["url"], True)
    assert Webhook.objects.get().secret == created["secret"]
