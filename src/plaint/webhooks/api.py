"""The webhooks API (managers and admins): list, create (the secret in the answer, once), read
with the delivery log, change, rotate the secret, delete."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_noop
from ninja import Router, Status

from plaint.accounts.access import can_configure
from plaint.accounts.api_auth import BearerToken, api_actor, api_user, may
from plaint.core.problem import Problem
from plaint.webhooks import selectors, services
from plaint.webhooks.models import Webhook
from plaint.webhooks.schemas import (
    WebhookDetailOut,
    WebhookIn,
    WebhookOut,
    WebhookSecretOut,
    WebhookUpdateIn,
)

router = Router(tags=["webhooks"], auth=BearerToken())

_READ: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem}
_WRITE: dict[int, Any] = {**_READ, 400: Problem, 409: Problem, 422: Problem}


# Every operation: managers and admins, checked before the input is read (``may``).
_MANAGERS = may(can_configure, gettext_noop("manage webhooks"))


def _with_secret(webhook: Webhook, secret: str) -> dict[str, Any]:
    return {**WebhookOut.from_orm(webhook).model_dump(), "secret": secret}


@router.get(
    "/webhooks", auth=_MANAGERS, response={200: list[WebhookOut], **_READ}, summary="Every webhook"
)
def webhook_list(request: HttpRequest):
    return selectors.webhook_list(actor=api_user(request))


@router.post(
    "/webhooks",
    auth=_MANAGERS,
    response={201: WebhookSecretOut, **_WRITE},
    summary="Add a webhook; the answer holds its secret, shown this once",
)
def webhook_create(request: HttpRequest, payload: WebhookIn):
    webhook, secret = services.webhook_create(
        actor=api_actor(request),
        name=payload.name,
        url=payload.url,
        events=[event.value for event in payload.events],
        active=payload.active,
    )
    return Status(201, _with_secret(webhook, secret))


@router.get(
    "/webhooks/{webhook_id}",
    auth=_MANAGERS,
    response={200: WebhookDetailOut, **_READ},
    summary="A webhook with its latest deliveries (status code, attempts, last error, next try)",
)
def webhook_detail(request: HttpRequest, webhook_id: int):
    webhook = selectors.webhook_get(actor=api_user(request), webhook_id=webhook_id)
    return {
        **WebhookOut.from_orm(webhook).model_dump(),
        "deliveries": selectors.webhook_deliveries(webhook=webhook),
    }


@router.patch(
    "/webhooks/{webhook_id}",
    auth=_MANAGERS,
    response={200: WebhookOut, **_WRITE},
    summary="Change a webhook (only the fields given)",
)
def webhook_update(request: HttpRequest, webhook_id: int, payload: WebhookUpdateIn):
    changes = payload.model_dump(exclude_unset=True, mode="json")  # events as their codes
    return services.webhook_update(actor=api_actor(request), webhook_id=webhook_id, **changes)


@router.post(
    "/webhooks/{webhook_id}/rotate-secret",
    auth=_MANAGERS,
    response={200: WebhookSecretOut, **_WRITE},
    summary="Replace the secret; the answer holds the new one, shown this once",
)
def webhook_rotate_secret(request: HttpRequest, webhook_id: int):
    webhook, secret = services.webhook_secret_rotate(
        actor=api_actor(request), webhook_id=webhook_id
    )
    return _with_secret(webhook, secret)


@router.delete(
    "/webhooks/{webhook_id}",
    auth=_MANAGERS,
    response={204: None, **_WRITE},
    summary="Delete a webhook",
)
def webhook_delete(request: HttpRequest, webhook_id: int):
    services.webhook_delete(actor=api_actor(request), webhook_id=webhook_id)
    return Status(204, None)
