"""The periodic duties page and API: managers and admins read each duty's period, last run,
outcome and lease; other staff are refused."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from plaint.core import duties
from plaint.core.durations import duration_words
from plaint.core.duties import register_duty, run_due_duties
from tests.api_client import ApiClient

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def three_duties(monkeypatch):
    """A duty that works, one that fails, one whose worker died mid-run (lease over)."""
    monkeypatch.setattr(duties, "_duties", {})

    def broken() -> None:
        raise RuntimeError("mailbox unreachable")

    register_duty("test.sweep", list, label="Promise sweep")
    register_duty("test.broken", broken, label="Fetch mail")
    register_duty("test.died", list, label="Rollup", lease=dt.timedelta(minutes=2))
    register_duty("test.off", list, label="Not here", enabled=lambda: False)
    with time_machine.travel(T0, tick=False):
        duties._ensure_rows([duties.duty_spec("test.died")])
        duties._claim(duties.duty_spec("test.died"), holder="worker-2:77", now=timezone.now())
        run_due_duties()


@pytest.mark.parametrize("role", ["admin", "manager"])
def test_managers_and_admins_see_each_duty_and_its_last_run(client, personas, role, three_duties):
    client.force_login(personas[role])
    with time_machine.travel(T0 + dt.timedelta(minutes=3), tick=False):
        page = client.get("/staff/settings/duties/")
    assert page.status_code == 200
    html = page.content.decode()
    for name, state in [
        ("test.sweep", "ok"),
        ("test.broken", "failed"),
        ("test.died", "stalled"),
        ("test.off", "off"),
    ]:
        assert f'id="duty-{name}" data-state="{state}"' in html
    assert "RuntimeError: mailbox unreachable" in html
    assert "Stopped unfinished: its worker is gone." in html
    assert "worker-2:77" in html and "5 minutes" in html
    assert 'href="/staff/settings/duties/"' in client.get("/staff/settings/").content.decode()


@pytest.mark.parametrize("role", ["handler", "auditor"])
def test_other_staff_are_refused(client, personas, role):
    client.force_login(personas[role])
    assert client.get("/staff/settings/duties/").status_code == 403
    assert ApiClient(personas[role]).get("/duties").status_code == 403


def test_the_page_speaks_persian(client, manager, three_duties):
    client.force_login(manager)
    html = client.get("/staff/settings/duties/", headers={"accept-language": "fa"}).content
    assert "وظیفه‌های دوره‌ای" in html.decode()


def test_the_api_lists_the_duties_with_their_last_run(manager, three_duties):
    with time_machine.travel(T0 + dt.timedelta(minutes=3), tick=False):
        response = ApiClient(manager).get("/duties")
    assert response.status_code == 200
    by_name = {d["name"]: d for d in response.json()}
    assert list(by_name) == ["test.sweep", "test.broken", "test.died", "test.off"]
    sweep = by_name["test.sweep"]
    assert (sweep["state"], sweep["runs"], sweep["period_seconds"]) == ("ok", 1, 300)
    assert sweep["duration_seconds"] == 0 and sweep["last_error"] == ""
    assert by_name["test.broken"]["last_error"] == "RuntimeError: mailbox unreachable"
    died = by_name["test.died"]
    assert (died["state"], died["lease_holder"]) == ("stalled", "worker-2:77")
    assert by_name["test.off"]["state"] == "off"


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "0 seconds"),
        (0.2, "1 second"),
        (40, "40 seconds"),
        (60, "1 minute"),
        (90, "90 seconds"),
        (150, "3 minutes"),
        (300, "5 minutes"),
        (3600, "1 hour"),
        (86400, "1 day"),
        (2 * 86400 + 1, "3 days"),
    ],
)
def test_durations_in_words(seconds, words):
    assert duration_words(dt.timedelta(seconds=seconds)) == words
