"""The throttle's housekeeping: idle counters go after a day, running locks stay."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import RequestFactory
from django.utils import timezone

from plaint.accounts.models import LoginThrottle
from plaint.accounts.services.login import login_authenticate
from plaint.core.duties import run_duty

pytestmark = pytest.mark.django_db


def _wrong(username: str, address: str) -> None:
    request = RequestFactory().post("/staff/login/", REMOTE_ADDR=address)
    login_authenticate(request=request, username=username, password="wrong")


def test_housekeeping_forgets_idle_counters_but_keeps_running_locks(settings, handler):
    settings.LOGIN_LOCKOUT_SECONDS = 3 * 24 * 3600  # a lock that outlives the idle cut-off
    start = timezone.now()
    with time_machine.travel(start - dt.timedelta(days=2)):
        _wrong("somebody", "192.0.2.1")
        for _ in range(10):
            _wrong("hans", "192.0.2.2")
    _wrong("other", "192.0.2.3")  # today's
    assert run_duty("accounts.login_throttle_prune") == "ok"
    left = set(LoginThrottle.objects.values_list("scope", "key"))
    assert ("address", "192.0.2.1") not in left and ("address", "192.0.2.2") not in left
    assert ("address", "192.0.2.3") in left
    assert LoginThrottle.objects.get(scope="account", user=handler).locked_until is not None
