"""Events into the outbox: one ``WebhookDelivery`` per subscribed active webhook, written in the
transaction of the change that caused it (a rolled-back change sends nothing, a committed one is
never forgotten). Nothing here touches the network: the worker delivers (``delivery``)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from plaint.core.selectors import config_cached, config_token
from plaint.webhooks.models import Webhook, WebhookDelivery

# (webhook id, the events it wants) of every active webhook
Subscriptions = tuple[tuple[int, frozenset[str]], ...]


def _load_subscriptions() -> Subscriptions:
    return tuple(
        (pk, frozenset(events))
        for pk, events in Webhook.objects.filter(active=True)
        .order_by("pk")
        .values_list("pk", "events")
    )


def subscriptions(*, token: str | None = None) -> Subscriptions:
    """The active webhooks and their events, from the cache under the configuration token (one
    one-row read of the token when the caller has not read it already)."""
    token = config_token() if token is None else token
    return config_cached("webhooks", token=token, load=_load_subscriptions)


def delivery_body(*, delivery_id: str, event: str, occurred_at: dt.datetime, data: Any) -> str:
    """The JSON a receiver gets: what is signed, byte for byte."""
    return json.dumps(
        {"id": delivery_id, "event": event, "occurred_at": occurred_at, "data": data},
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        sort_keys=True,
    )


def webhook_deliveries_build(
    *,
    event: str,
    occurred_at: dt.datetime,
    data: Callable[[], Any],
    token: str | None = None,
) -> list[WebhookDelivery]:
    """Unsaved deliveries of ``event`` to every active webhook that wants it (``data`` is built
    only when one does)."""
    wanted = [pk for pk, events in subscriptions(token=token) if event in events]
    if not wanted:
        return []
    payload = data()
    rows = []
    for webhook_id in wanted:
        delivery_id = str(uuid.uuid4())
        rows.append(
            WebhookDelivery(
                webhook_id=webhook_id,
                delivery_id=delivery_id,
                event=event,
                body=delivery_body(
                    delivery_id=delivery_id, event=event, occurred_at=occurred_at, data=payload
                ),
                created_at=occurred_at,
                next_attempt_at=occurred_at,
            )
        )
    return rows


def webhook_deliveries_write(rows: list[WebhookDelivery]) -> int:
    """Insert deliveries built by ``webhook_deliveries_build``, in the caller's transaction."""
    if rows:
        WebhookDelivery.objects.bulk_create(rows)
    return len(rows)


def webhook_event_enqueue(*, event: str, occurred_at: dt.datetime, data: Callable[[], Any]) -> int:
    """Write the deliveries of ``event`` in the caller's transaction; returns how many."""
    return webhook_deliveries_write(
        webhook_deliveries_build(event=event, occurred_at=occurred_at, data=data)
    )
