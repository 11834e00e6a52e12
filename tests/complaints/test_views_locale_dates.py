# ruff: noqa: RUF001 - the expected texts are Ukrainian and Persian on purpose
"""Dates and times on the queue, the case page and the tracking page are written the way each
language writes them, in the organisation's time zone (Tallinn): never the American 12/05/2026 or
"2:30 p.m." that Django's fallbacks gave Estonian."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from tests.factories import make_complaint

pytestmark = pytest.mark.django_db

TALLINN = ZoneInfo("Europe/Tallinn")
RECEIVED = dt.datetime(2026, 12, 5, 12, 30, tzinfo=dt.UTC)  # 14:30 in Tallinn

# The queue's "received" column (SHORT_DATETIME_FORMAT).
QUEUE_RECEIVED = {
    "en": "5 Dec 2026, 14:30",
    "et": "05.12.2026 14:30",
    "uk": "05.12.2026 14:30",
    "sv": "2026-12-05 14:30",
    "fa": "2026/12/5،\u200f 14:30",
}
# The case page and the tracking page (DATETIME_FORMAT).
RECEIVED_IN_WORDS = {
    "en": "5 December 2026, 14:30",
    "et": "5. detsember 2026, 14:30",
    "uk": "5 грудня 2026 р., 14:30",
    "sv": "5 december 2026 14:30",
    "fa": "5 دسامبر 2026، ساعت 14:30",
}
# What the zone is called on the tracking page (CLDR, through Babel).
ZONE = {
    "en": "Eastern European Time",
    "et": "Ida-Euroopa aeg",
    "uk": "за східноєвропейським часом",
    "sv": "östeuropeisk tid",
    "fa": "وقت شرق اروپا",
}
LANGUAGES = list(QUEUE_RECEIVED)


def _short_date(day: dt.date, language: str) -> str:
    """SHORT_DATE_FORMAT written out independently of Django's format machinery."""
    return {
        "en": f"{day.day} {day:%b} {day.year}",
        "et": f"{day:%d.%m.%Y}",
        "uk": f"{day:%d.%m.%Y}",
        "sv": f"{day:%Y-%m-%d}",
        "fa": f"{day.year}/{day.month}/{day.day}",
    }[language]


def _complaint(language: str):
    with time_machine.travel(RECEIVED, tick=False):
        complaint, token = make_complaint(language=language)
    return complaint, token


def _speak(client, language: str) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_queue_writes_dates_the_way_the_language_does(client, handler, language):
    complaint, _ = _complaint(language)
    client.force_login(handler)
    _speak(client, language)
    body = client.get("/staff/").content.decode()
    assert complaint.reference in body
    assert QUEUE_RECEIVED[language] in body
    due = complaint.response_due_at.astimezone(TALLINN).date()
    assert f">{_short_date(due, language)}</time>" in body
    # Never the month first, never a 12-hour clock.
    assert "12/05/2026" not in body and "p.m." not in body and "p.l." not in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_case_page_writes_dates_the_way_the_language_does(client, handler, language):
    complaint, _ = _complaint(language)
    client.force_login(handler)
    _speak(client, language)
    body = client.get(f"/staff/complaints/{complaint.reference}/").content.decode()
    assert RECEIVED_IN_WORDS[language] in body
    assert "12/05/2026" not in body and "p.m." not in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_tracking_page_writes_dates_and_names_the_time_zone(client, language):
    _, token = _complaint(language)
    _speak(client, language)
    body = client.get(f"/track/{token}/").content.decode()
    assert f"<dd>{RECEIVED_IN_WORDS[language]}</dd>" in body
    assert ZONE[language] in body and "Europe/Tallinn" not in body


def test_an_estonian_page_with_an_english_speaking_handler_is_unambiguous_too(client, handler):
    """English is read in Tallinn as well as in New York: the month is named, the clock is 24 h."""
    _complaint("et")
    client.force_login(handler)
    _speak(client, "en")
    body = client.get("/staff/").content.decode()
    assert "5 Dec 2026, 14:30" in body and "12/05/2026" not in body and "05/12/2026" not in body


ACTOR_IN_WORDS = {
    "en": ("complainant", "system"),
    "et": ("kaebuse esitaja", "süsteem"),
    "uk": ("скаржник", "система"),
    "sv": ("klaganden", "systemet"),
    "fa": ("شاکی", "سامانه"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_timeline_names_the_complainant_and_the_system_in_the_page_language(
    client, handler, language
):
    complaint, _ = _complaint("en")  # filed on the web form: received, then acknowledged
    client.force_login(handler)
    _speak(client, language)
    body = client.get(f"/staff/complaints/{complaint.reference}/").content.decode()
    complainant, system = ACTOR_IN_WORDS[language]
    assert f"</time> · {complainant}</p>" in body
    assert f"</time> · {system}</p>" in body
