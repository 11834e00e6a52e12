"""The worker's side: claim due deliveries (any number of workers: SKIP LOCKED on PostgreSQL, as
the mail outbox), POST each signed, and record the outcome — delivered, tried again later with
exponential backoff, or given up on (a permanent 4xx, or too many attempts).

The signature (``X-Plaint-Signature: t=<unix time>,v1=<hex>``) is HMAC-SHA256 under the webhook's
secret of ``"<unix time>.<body>"``, made at each attempt, so a receiver can refuse old replays.
Redirects are not followed (a 3xx is a failed attempt): the receiver is the URL that was set.
"""

from __future__ import annotations

import datetime as dt
import http.client
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from plaint.core.digest import hmac_sha256_hex
from plaint.core.services import outbox_claim_next
from plaint.webhooks.models import Webhook, WebhookDelivery

log = logging.getLogger(__name__)

USER_AGENT = "Plaint-Webhooks/1"
# A 4xx says the request itself is wrong or unwanted (410: the receiver is gone): trying the same
# request again will not help. These two say "later", so they are tried again.
RETRYABLE_4XX = {408, 429}
ERROR_MAX = 2000


def signature(*, secret: str, timestamp: int, body: str) -> str:
    """The ``X-Plaint-Signature`` header's value for ``body`` sent at ``timestamp``."""
    return f"t={timestamp},v1={hmac_sha256_hex(secret.encode('utf-8'), f'{timestamp}.{body}')}"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None  # urllib then raises HTTPError with the 3xx status


_opener = urllib.request.build_opener(_NoRedirects())


@dataclass(frozen=True)
class Outcome:
    status_code: int | None  # None: no HTTP answer (timeout, refused connection …)
    error: str  # "" when delivered


def post(*, url: str, secret: str, delivery: WebhookDelivery) -> Outcome:
    """One attempt: POST the delivery's body, signed now; never raises."""
    timestamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310 - the URL's scheme is checked when it is set
        url,
        data=delivery.body.encode("utf-8"),
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Plaint-Event": delivery.event,
            "X-Plaint-Delivery": delivery.delivery_id,
            "X-Plaint-Timestamp": str(timestamp),
            "X-Plaint-Signature": signature(secret=secret, timestamp=timestamp, body=delivery.body),
        },
    )
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            return Outcome(response.status, "")
    except urllib.error.HTTPError as exc:
        answer = exc.read(300).decode("utf-8", "replace").strip()
        return Outcome(exc.code, f"HTTP {exc.code} {exc.reason}: {answer}".strip(": "))
    except (OSError, http.client.HTTPException, ValueError) as exc:  # timeouts, refusals, garbage
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError) or isinstance(exc, TimeoutError):
            return Outcome(None, f"No answer within {settings.WEBHOOK_TIMEOUT_SECONDS} s")
        return Outcome(None, f"{type(exc).__name__}: {reason}")


def _backoff(attempts: int) -> dt.timedelta:
    seconds = settings.WEBHOOK_RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0))
    return dt.timedelta(seconds=min(seconds, settings.WEBHOOK_RETRY_MAX_SECONDS))


def _record(delivery: WebhookDelivery, outcome: Outcome) -> str:
    code = outcome.status_code
    delivery.last_status_code = code
    delivery.claimed_until = None
    if code is not None and 200 <= code < 300:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.last_error = ""
    else:
        delivery.last_error = outcome.error[:ERROR_MAX]
        permanent = code is not None and 400 <= code < 500 and code not in RETRYABLE_4XX
        if permanent or delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = WebhookDelivery.Status.FAILED
            log.warning("giving up on webhook delivery %s: %s", delivery.pk, delivery.last_error)
        else:
            delivery.next_attempt_at = timezone.now() + _backoff(delivery.attempts)
    delivery.save(
        update_fields=[
            "last_status_code",
            "claimed_until",
            "status",
            "delivered_at",
            "last_error",
            "next_attempt_at",
        ]
    )
    return delivery.status


def webhook_deliver_due(*, limit: int = 100, lease: dt.timedelta | None = None) -> int:
    """Deliver up to ``limit`` due deliveries, oldest first; returns how many were tried. The
    lease outlasts one attempt, so a delivery whose worker died is tried again after it."""
    lease = lease or dt.timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS * 6 + 30)
    tried = 0
    while tried < limit:
        delivery = outbox_claim_next(WebhookDelivery, lease)
        if delivery is None:
            break
        webhook = Webhook.objects.filter(pk=delivery.webhook_id).values("url", "secret").first()
        if webhook is None:  # deleted meanwhile: its deliveries went with it
            continue
        _record(delivery, post(url=webhook["url"], secret=webhook["secret"], delivery=delivery))
        tried += 1
    return tried
