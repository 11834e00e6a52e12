"""Managing webhooks: who may, which URLs, the secret handed out once, every change audited."""

from __future__ import annotations

import pytest

from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, ValidationFailed
from plaint.core.models import AuditEvent
from plaint.webhooks.models import Webhook
from plaint.webhooks.services import (
    webhook_create,
    webhook_secret_rotate,
    webhook_update,
    webhook_url_check,
)

pytestmark = pytest.mark.django_db


def test_a_manager_creates_one_and_gets_its_secret_once(manager):
    webhook, secret = webhook_create(
        actor=Actor.staff(manager),
        name="CRM",
        url="https://crm.example.org/in",
        events=["complaint.closed", "complaint.created"],
    )

    assert secret.startswith("whsec_") and len(secret) > 40
    assert webhook.events == ["complaint.closed", "complaint.created"]
    [event] = AuditEvent.objects.filter(case_type="webhook", case_id=webhook.pk)
    assert event.action == "webhook_created"
    assert secret not in str(event.data) and "secret" not in event.data


@pytest.mark.parametrize("role", ["handler", "auditor"])
def test_other_roles_may_not(role, request):
    with pytest.raises(NotAllowed):
        webhook_create(
            actor=Actor.staff(request.getfixturevalue(role)),
            name="CRM",
            url="https://crm.example.org/in",
            events=["complaint.created"],
        )


@pytest.mark.parametrize(
    "url",
    [
        "http://crm.example.org/in",  # plain http to another machine
        "ftp://crm.example.org/in",
        "https://user:pw@crm.example.org/in",
        "crm.example.org/in",
    ],
)
def test_a_url_must_be_https(url):
    with pytest.raises(ValidationFailed) as exc:
        webhook_url_check(url)
    assert "url" in exc.value.fields


def test_http_to_this_machine_only_when_the_settings_allow_it(settings):
    assert webhook_url_check("http://127.0.0.1:8080/hook") == "http://127.0.0.1:8080/hook"
    assert webhook_url_check("http://localhost/hook") == "http://localhost/hook"
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = False  # production
    with pytest.raises(ValidationFailed):
        webhook_url_check("http://127.0.0.1:8080/hook")


def test_unknown_or_no_events_are_refused(manager):
    for events in ([], ["complaint.deleted"]):
        with pytest.raises(ValidationFailed) as exc:
            webhook_create(
                actor=Actor.staff(manager), name="CRM", url="https://x.example/", events=events
            )
        assert "events" in exc.value.fields


def test_rotating_replaces_the_secret_and_changing_keeps_it(manager):
    actor = Actor.staff(manager)
    webhook, first = webhook_create(
        actor=actor, name="CRM", url="https://x.example/", events=["complaint.created"]
    )
    webhook_update(actor=actor, webhook_id=webhook.pk, active=False)
    assert Webhook.objects.get().secret == first

    _webhook, second = webhook_secret_rotate(actor=actor, webhook_id=webhook.pk)

    assert second != first and Webhook.objects.get().secret == second
    actions = list(
        AuditEvent.objects.filter(case_type="webhook")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["webhook_created", "webhook_changed", "webhook_secret_rotated"]
