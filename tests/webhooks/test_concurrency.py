"""Two workers draining the webhook outbox at once on PostgreSQL: each delivery is claimed by one
of them (SELECT … FOR UPDATE SKIP LOCKED, as the mail outbox) and received exactly once."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connections
from django.utils import timezone

from plaint.core.actors import Actor
from plaint.webhooks.models import WebhookDelivery
from plaint.webhooks.services import webhook_create, webhook_deliver_due, webhook_event_enqueue
from tests.webhooks.receiver import running

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_workers_deliver_each_event_once(manager, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 5
    with running(delay=0.02) as receiver:
        webhook_create(
            actor=Actor.staff(manager), name="CRM", url=receiver.url, events=["survey.answered"]
        )
        for i in range(40):
            webhook_event_enqueue(
                event="survey.answered", occurred_at=timezone.now(), data=lambda i=i: {"n": i}
            )
        barrier = threading.Barrier(2)
        tried = [0, 0]

        def work(slot: int) -> None:
            try:
                barrier.wait(timeout=10)
                tried[slot] = webhook_deliver_due(limit=100)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=work, args=(slot,)) for slot in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    received = Counter(r.headers["X-Plaint-Delivery"] for r in receiver.requests)
    assert len(received) == 40 and set(received.values()) == {1}
    assert sum(tried) == 40 and min(tried) > 0  # both workers took a share
    assert set(WebhookDelivery.objects.values_list("status", "attempts")) == {("delivered", 1)}
