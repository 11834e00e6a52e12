"""Fifty wrong passwords at once, each on its own database connection: the throttle lets exactly
the limit through to the password check, refuses the rest unchecked, and locks once."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.test import RequestFactory

from plaint.accounts.models import LoginThrottle
from plaint.accounts.services.login import LoginLocked, login_authenticate
from plaint.core.audit import audit_verify
from plaint.core.models import AuditEvent

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 50


def _at_once(attempts: list[tuple[str, str]]) -> list[object]:
    """Run ``login_authenticate`` for each (username, address) in its own thread and connection,
    all released together; returns each outcome (the user, None, or the exception)."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[object] = [None] * len(attempts)

    def attempt(i: int, username: str, address: str) -> None:
        request = RequestFactory().post("/staff/login/", REMOTE_ADDR=address)
        try:
            barrier.wait(timeout=30)
            outcomes[i] = login_authenticate(request=request, username=username, password="nope")
        except Exception as exc:  # the outcome is what we assert on
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=attempt, args=(i, username, address))
        for i, (username, address) in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_fifty_parallel_wrong_passwords_stop_at_exactly_the_account_limit(settings, handler):
    settings.LOGIN_ACCOUNT_MAX_FAILURES = 10
    settings.LOGIN_ADDRESS_MAX_FAILURES = 1000
    outcomes = _at_once([(handler.username, f"10.0.0.{i}") for i in range(ATTEMPTS)])

    checked = [o for o in outcomes if o is None]  # password checked and wrong
    refused = [o for o in outcomes if isinstance(o, LoginLocked)]
    assert (len(checked), len(refused)) == (10, 40), outcomes
    assert {r.scope for r in refused} == {"account"}
    row = LoginThrottle.objects.get(scope="account", user=handler)
    assert row.failures == 10 and row.locked_until is not None
    # refused attempts checked no password, so they count against no address
    assert (
        sum(LoginThrottle.objects.filter(scope="address").values_list("failures", flat=True)) == 10
    )
    locks = AuditEvent.objects.filter(case_type="login_throttle", action="login_locked")
    assert locks.count() == 1
    assert audit_verify().breaks == []


def test_fifty_parallel_wrong_passwords_from_one_address_stop_at_its_limit(settings, db):
    settings.LOGIN_ACCOUNT_MAX_FAILURES = 1000
    settings.LOGIN_ADDRESS_MAX_FAILURES = 20
    outcomes = _at_once([(f"name{i}", "192.0.2.99") for i in range(ATTEMPTS)])

    checked = [o for o in outcomes if o is None]
    refused = [o for o in outcomes if isinstance(o, LoginLocked)]
    assert (len(checked), len(refused)) == (20, 30), outcomes
    assert {r.scope for r in refused} == {"address"}
    row = LoginThrottle.objects.get(scope="address", key="192.0.2.99")
    assert row.failures == 20 and row.locked_until is not None
    assert AuditEvent.objects.filter(case_type="login_throttle", case_id=row.pk).count() == 1
