"""Idempotency-Key for API writes: a retried request returns the first result, never a duplicate.

A key belongs to a principal (the token's user) and an operation. The first request with a key runs
the write and records ``(principal, operation, key) → result id`` in the same transaction, so the
record exists exactly when the write committed. Two concurrent requests with the same key race on
the unique constraint: the loser's whole transaction (its write included) rolls back and it returns
the winner's result. The same key with a different body is refused.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from plaint.core.digest import sha256_hex
from plaint.core.errors import PlaintError, ValidationFailed
from plaint.core.models import IdempotencyRecord

KEY_MAX_LENGTH = 200
log = logging.getLogger(__name__)


class IdempotencyMismatch(PlaintError):
    code = "idempotency_mismatch"
    status = 422


@dataclass(frozen=True)
class IdempotentOutcome:
    result_id: int
    replayed: bool  # True: an earlier request with this key made the result


def request_hash(payload: Any) -> str:
    """SHA-256 of the canonical JSON of a request: key order and spacing do not matter."""
    canonical = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return sha256_hex(canonical)


def _check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > KEY_MAX_LENGTH or not key.isprintable():
        raise ValidationFailed(
            _("The Idempotency-Key header is not valid."),
            fields={
                "Idempotency-Key": [
                    _("Use 1 to %(max)d printable characters, e.g. a UUID.")
                    % {"max": KEY_MAX_LENGTH}
                ]
            },
        )
    return key


def _replay(*, key: str, principal: str, operation: str, digest: str) -> IdempotentOutcome | None:
    record = (
        IdempotencyRecord.objects.filter(principal=principal, operation=operation, key=key)
        .only("request_hash", "result_id")
        .first()
    )
    if record is None:
        return None
    if record.request_hash != digest:
        raise IdempotencyMismatch(
            _("This Idempotency-Key was already used with a different request body."),
            fields={"Idempotency-Key": [_("Already used with a different request.")]},
        )
    return IdempotentOutcome(result_id=record.result_id, replayed=True)


def idempotent_run(
    *,
    key: str | None,
    principal: str,
    operation: str,
    payload: Callable[[], Any],
    action: Callable[[], int],
) -> IdempotentOutcome:
    """Run ``action`` (a write returning the id of what it made) at most once per key.

    ``payload`` returns the request's content as JSON-able data; it is called (and hashed) only
    when a key is given. Without a key the action simply runs. ``action`` must do all its writes
    in the database transaction it is called in (services are ``@transaction.atomic``), so a lost
    race undoes them.
    """
    if key is None:
        return IdempotentOutcome(result_id=action(), replayed=False)
    key = _check_key(key)
    digest = request_hash(payload())
    earlier = _replay(key=key, principal=principal, operation=operation, digest=digest)
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            result_id = action()
            IdempotencyRecord.objects.create(
                key=key,
                principal=principal,
                operation=operation,
                request_hash=digest,
                result_id=result_id,
            )
    except IntegrityError:
        # A concurrent request with the same key committed first; ours rolled back entirely.
        earlier = _replay(key=key, principal=principal, operation=operation, digest=digest)
        if earlier is None:
            raise
        log.info(
            "%s: lost the race for key %r of %s; returned its result", operation, key, principal
        )
        return earlier
    return IdempotentOutcome(result_id=result_id, replayed=False)
