"""Reads of webhooks, for managers and admins (the pages and the API apply ``can_configure``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from plaint.accounts.access import Reader, can_configure
from plaint.core.errors import NotFound
from plaint.webhooks.models import Webhook, WebhookDelivery

LOG_LENGTH = 50


def webhook_list(*, actor: Reader) -> list[Webhook]:
    if not can_configure(actor):
        return []
    return list(Webhook.objects.order_by("name", "pk"))


def webhook_get(*, actor: Reader, webhook_id: int) -> Webhook:
    webhook = Webhook.objects.filter(pk=webhook_id).first() if can_configure(actor) else None
    if webhook is None:
        raise NotFound(_("No such webhook."))
    return webhook


def webhook_deliveries(*, webhook: Webhook, limit: int = LOG_LENGTH) -> list[WebhookDelivery]:
    """The delivery log: the newest ``limit`` deliveries, without their bodies."""
    return list(
        WebhookDelivery.objects.filter(webhook=webhook).defer("body").order_by("-pk")[:limit]
    )
