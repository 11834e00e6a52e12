"""Domain events: the one way a lower app causes an effect in a higher one (docs/architecture.md).

A lower app declares its events as frozen dataclasses (``<app>/events.py``) and publishes them from
its services; a higher app subscribes a handler in its ``AppConfig.ready()``. ``publish`` calls the
handlers at once, in the publisher's transaction and in subscription order, so an effect (a promise
check, a survey invitation, an outbox row) commits or rolls back with the change that caused it and
nothing is lost between the two. A handler that raises rolls the whole change back.

Handlers must be idempotent where their event can repeat and must not send mail or call the network:
durable side effects are rows (the outbox, django-tasks jobs) that the workers act on after commit.

``publish_isolated`` is for the worker's passes (``core.worker``, ``OutboxDue``): each handler runs
on its own and a failing one is logged without stopping the others. Periodic duties are not
events: they are registered with ``core.duties.register_duty`` and run once per period.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

log = logging.getLogger(__name__)


class Event:
    """Base of every domain event (subclasses are ``@dataclass(frozen=True)``)."""


E = TypeVar("E", bound=Event)
Handler = Callable[[Any], None]

_handlers: dict[type[Event], list[Handler]] = {}


def subscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Call ``handler(event)`` whenever an ``event_type`` is published. Subscribing the same
    handler twice is a no-op (``ready()`` may run more than once in tests)."""
    handlers = _handlers.setdefault(event_type, [])
    if handler not in handlers:
        handlers.append(handler)


def handlers_of(event_type: type[Event]) -> tuple[Handler, ...]:
    """The handlers subscribed to ``event_type``, in the order they run (for tests and docs)."""
    return tuple(_handlers.get(event_type, ()))


def publish(event: Event) -> None:
    """Run every handler of ``type(event)`` now, in the caller's transaction."""
    for handler in _handlers.get(type(event), ()):
        handler(event)


def publish_isolated(event: Event) -> int:
    """Run every handler of ``type(event)``, each on its own: one that raises is logged and the
    rest still run. Returns the number of handlers that failed."""
    failed = 0
    for handler in _handlers.get(type(event), ()):
        try:
            handler(event)
        except Exception:  # a periodic duty must never stop the worker or the other duties
            failed += 1
            log.exception("%s failed handling %s", _name(handler), type(event).__name__)
    return failed


def _name(handler: Handler) -> str:
    return f"{getattr(handler, '__module__', '?')}.{getattr(handler, '__qualname__', handler)}"


@dataclass
class OutboxDue(Event):
    """Published by the worker on every pass with ``publish_isolated``, after the mails: an app
    with an outbox of its own (webhooks) delivers up to ``limit`` due rows and adds how many it
    tried to ``tried``, so the worker knows whether to wait before the next pass."""

    limit: int
    tried: int = 0
