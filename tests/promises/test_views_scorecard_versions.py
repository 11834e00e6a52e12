"""The scorecard shows what it measures: each row carries the text, title and target of the
promise version whose checks it counts (the published one, never a newer draft), in the page's
language, and the CSV export carries the same texts."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from plaint.core.actors import Actor
from plaint.promises import selectors, services
from tests.factories import make_complaint
from tests.promises.factories import make_code

T0 = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)
V1 = {
    "key": "respond",
    "texts": {"en": "We decide within 20 business days.", "et": "Otsustame 20 tööpäevaga."},
    "clock": "received_to_decision",
    "limit_amount": 20,
    "limit_unit": "business_days",
    "pauses_while_waiting": True,
    "target_rate": "0.8",
}


@pytest.fixture
def published_v1_and_draft_v2(manager):
    """v1 (20 business days) published and measured on one complaint; v2 (15) drafted since."""
    actor = Actor.staff(manager)
    with time_machine.travel(T0, tick=False):
        v1 = make_code(manager, promises=[V1])
        make_complaint()
        v2 = services.code_new_version(actor=actor, code_id=v1.pk)
        promise = v2.promises.get(key="respond")
        services.promise_update(
            actor=actor,
            promise_id=promise.pk,
            texts={"en": "We decide within 15 business days.", "et": "Otsustame 15 tööpäevaga."},
            limit_amount=15,
            target_rate="0.95",
        )
    return v1, v2


def _client(user, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_rows_carry_the_measured_version_not_the_draft(published_v1_and_draft_v2, handler):
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        (row,) = selectors.scorecard(actor=handler, language="en")
    assert (row.version, row.promise_text, row.target) == (1, V1["texts"]["en"], 0.8)
    assert row.code_title == "Our service promises"


def test_the_page_and_csv_show_v1_while_v2_is_a_draft(published_v1_and_draft_v2, handler):
    client = _client(handler)
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        page = client.get("/staff/promises/scorecard/").content.decode()
        rows = _csv(client.get("/staff/promises/scorecard.csv"))
    assert "We decide within 20 business days." in page
    assert "15 business days" not in page  # not the draft's text
    assert "<td>v1</td>" in page and "<td>80%</td></tr>" in page and "<td>95%</td>" not in page
    assert [(r["promise"], r["code_version"], r["promise_text"], r["target"]) for r in rows] == [
        ("respond", "1", "We decide within 20 business days.", "0.8000")
    ]
    assert rows[0]["code_title"] == "Our service promises"


def test_in_estonian_the_titles_and_texts_are_estonian(published_v1_and_draft_v2, handler):
    client = _client(handler, "et")
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        page = client.get("/staff/promises/scorecard/").content.decode()
        rows = _csv(client.get("/staff/promises/scorecard.csv"))
    assert "Meie teeninduslubadused — Otsustame 20 tööpäevaga." in page
    assert "Our service promises" not in page and "15 tööpäevaga" not in page
    assert (rows[0]["code_title"], rows[0]["promise_text"]) == (
        "Meie teeninduslubadused",
        "Otsustame 20 tööpäevaga.",
    )


def test_a_language_the_code_is_not_written_in_falls_back_to_english(
    published_v1_and_draft_v2, handler
):
    client = _client(handler, "sv")
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        page = client.get("/staff/promises/scorecard/").content.decode()
    assert "Our service promises — We decide within 20 business days." in page


def test_once_v2_is_published_its_months_show_v2_and_earlier_months_v1(
    published_v1_and_draft_v2, manager, handler
):
    _, v2 = published_v1_and_draft_v2
    april = dt.datetime(2026, 4, 6, 7, 0, tzinfo=dt.UTC)
    with time_machine.travel(april, tick=False):
        services.code_transition(actor=Actor.staff(manager), code_id=v2.pk, step="publish")
        make_complaint()
    with time_machine.travel(april + dt.timedelta(days=1), tick=False):
        rows = selectors.scorecard(actor=handler, language="en")
    assert [(r.month.month, r.version, r.promise_text) for r in rows] == [
        (3, 1, "We decide within 20 business days."),
        (4, 2, "We decide within 15 business days."),
    ]
