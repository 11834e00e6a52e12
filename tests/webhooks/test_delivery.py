"""Delivering to a real HTTP receiver on 127.0.0.1: the signed body, retries with backoff after a
5xx or a timeout, no retry after a permanent 4xx, no redirect followed, giving up in the end."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import pytest
import time_machine
from django.utils import timezone

from plaint.core.worker import run_due_jobs
from plaint.webhooks.models import WebhookDelivery
from plaint.webhooks.services import webhook_deliver_due
from tests.factories import make_complaint
from tests.webhooks.receiver import HANG, running

pytestmark = pytest.mark.django_db


def _later(minutes: int):
    return time_machine.travel(timezone.now() + dt.timedelta(minutes=minutes), tick=True)


def test_the_receiver_gets_the_event_signed_with_the_secret(hook):
    with running() as receiver:
        _webhook, secret = hook(receiver.url)
        complaint, _token = make_complaint(email="mari@example.org", name="Mari Maasikas")

        assert webhook_deliver_due() == 1

    [request] = receiver.requests
    delivery = WebhookDelivery.objects.get()
    assert request.path == "/hook/"
    assert request.body == delivery.body
    body = json.loads(request.body)
    assert body["event"] == "complaint.created"
    assert body["id"] == delivery.delivery_id == request.headers["X-Plaint-Delivery"]
    assert body["data"]["reference"] == complaint.reference
    assert body["data"]["state"] == complaint.state
    assert "mari@example.org" not in request.body and "Maasikas" not in request.body
    timestamp = request.headers["X-Plaint-Timestamp"]
    expected = hmac.new(
        secret.encode(), f"{timestamp}.{request.body}".encode(), hashlib.sha256
    ).hexdigest()
    assert request.headers["X-Plaint-Signature"] == f"t={timestamp},v1={expected}"
    assert request.headers["X-Plaint-Event"] == "complaint.created"
    assert request.headers["Content-Type"].startswith("application/json")
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)


def test_a_500_is_tried_again_later_with_the_same_delivery_id(hook, quick_retries):
    with running([500, 200]) as receiver:
        hook(receiver.url)
        make_complaint()
        webhook_deliver_due()
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.last_status_code) == ("pending", 500)
        assert "500" in delivery.last_error
        wait = delivery.next_attempt_at - timezone.now()
        assert dt.timedelta(seconds=55) < wait <= dt.timedelta(seconds=60)
        assert webhook_deliver_due() == 0  # not due yet
        with _later(2):
            assert webhook_deliver_due() == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 2, 200)
    first, second = receiver.requests
    assert first.headers["X-Plaint-Delivery"] == second.headers["X-Plaint-Delivery"]


def test_the_wait_doubles_with_each_failed_attempt(hook, quick_retries):
    with running([503, 503, 503]) as receiver:
        hook(receiver.url)
        make_complaint()
        waits = []
        for minutes in (0, 2, 5):
            with _later(minutes):
                webhook_deliver_due()
                delivery = WebhookDelivery.objects.get()
                waits.append(round((delivery.next_attempt_at - timezone.now()).total_seconds()))
    assert waits == [60, 120, 240]


def test_a_receiver_that_does_not_answer_times_out_and_is_tried_again(hook, quick_retries):
    with running([HANG, 200]) as receiver:
        hook(receiver.url)
        make_complaint()
        webhook_deliver_due()
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == "pending"
        assert delivery.last_status_code is None
        assert delivery.last_error == "No answer within 1 s"
        receiver.released.set()
        with _later(2):
            webhook_deliver_due()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)


def test_a_gone_receiver_410_is_not_tried_again_and_the_page_says_so(
    hook, quick_retries, client, manager
):
    with running([410, 200]) as receiver:
        webhook, _secret = hook(receiver.url)
        make_complaint()
        webhook_deliver_due()
        with _later(60 * 24):
            assert webhook_deliver_due() == 0

    assert len(receiver.requests) == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == ("failed", 410)
    client.force_login(manager)
    page = client.get(f"/staff/settings/webhooks/{webhook.pk}/").content.decode()
    row = page.split(f'id="delivery-{delivery.delivery_id}"')[1].split("</tr>")[0]
    assert "410" in row and "Gave up" in row


def test_a_redirect_is_not_followed(hook, quick_retries):
    with running([302, 200]) as receiver:
        hook(receiver.url)
        make_complaint()
        webhook_deliver_due()

    assert len(receiver.requests) == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == ("pending", 302)


def test_it_gives_up_after_the_last_attempt(hook, quick_retries, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    with running([500, 500, 200]) as receiver:
        hook(receiver.url)
        make_complaint()
        webhook_deliver_due()
        with _later(5):
            webhook_deliver_due()
        with _later(60 * 24):
            assert webhook_deliver_due() == 0

    assert len(receiver.requests) == 2
    assert WebhookDelivery.objects.get().status == "failed"


def test_the_workers_pass_delivers_webhooks(hook):
    with running() as receiver:
        hook(receiver.url)
        make_complaint()
        run_due_jobs()

    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().status == "delivered"


def test_a_refused_connection_is_an_error_tried_again(hook, quick_retries):
    with running() as receiver:
        url = receiver.url
    hook(url)  # nobody listens there any more
    make_complaint()
    webhook_deliver_due()

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.last_status_code is None
    assert "Connection refused" in delivery.last_error or "URLError" in delivery.last_error
