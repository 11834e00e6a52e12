"""Every write of webhooks: managing them (``config``), the outbox (``outbox``) and delivering
(``delivery``)."""

from plaint.webhooks.services.config import (
    webhook_create,
    webhook_delete,
    webhook_secret_rotate,
    webhook_update,
    webhook_url_check,
)
from plaint.webhooks.services.delivery import signature, webhook_deliver_due
from plaint.webhooks.services.outbox import (
    webhook_deliveries_build,
    webhook_deliveries_write,
    webhook_event_enqueue,
)

__all__ = [
    "signature",
    "webhook_create",
    "webhook_delete",
    "webhook_deliver_due",
    "webhook_deliveries_build",
    "webhook_deliveries_write",
    "webhook_event_enqueue",
    "webhook_secret_rotate",
    "webhook_update",
    "webhook_url_check",
]
