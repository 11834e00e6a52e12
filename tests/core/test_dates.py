"""``core.dates.DateTimeFormatter`` writes what Django's ``date`` filter writes, character for
character, in every language of the site and in several time zones (the case page's timeline
uses it for its dates)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.template import engines
from django.utils import timezone, translation

from plaint.core.dates import DateTimeFormatter, _pieces

LANGUAGES = [code for code, _name in settings.LANGUAGES]
ZONES = ["Europe/Tallinn", "Asia/Tehran", "Europe/Kyiv", "UTC", "America/New_York"]
FORMATS = [
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "TIME_FORMAT",
]

# every month, single- and two-digit days and hours, midnight, the end of a year, and the
# hours around the changes to and from summer time in Europe (local times that repeat)
MOMENTS = [
    dt.datetime(2026, month, 1 + month * 2, month, 4 * month, tzinfo=dt.UTC)
    for month in range(1, 13)
] + [
    dt.datetime(2026, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
    dt.datetime(2027, 1, 1, 0, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC),
    dt.datetime(1999, 7, 4, 9, 5, 3, tzinfo=dt.UTC),
]


def _django(value: dt.datetime, format_name: str) -> tuple[str, str]:
    template = engines["django"].from_string('{{ v|date:"c" }}|{{ v|date:"' + format_name + '" }}')
    iso, text = template.render({"v": value}).split("|")
    return iso, text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("zone", ZONES)
def test_the_same_text_as_the_date_filter(language, zone):
    with translation.override(language), timezone.override(zone):
        for format_name in FORMATS:
            when = DateTimeFormatter(format_name)
            for moment in MOMENTS:
                assert (when.iso(moment), when(moment)) == _django(moment, format_name), (
                    language,
                    zone,
                    format_name,
                    moment,
                )


def test_the_timeline_formats_of_the_sites_languages_are_written_without_django():
    """The fast path is taken for the case page's format in every language (else it would only
    be as fast as the filter)."""
    for language in LANGUAGES:
        with translation.override(language):
            assert _pieces(DateTimeFormatter("DATETIME_FORMAT").format_string) is not None


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_list_filters_write_what_the_date_filter_writes(language):
    """``local_date``/``local_iso`` (the queue's rows) share a formatter per language, zone and
    format between requests; switching language or zone between calls changes nothing."""
    page = engines["django"].from_string(
        '{% load plaint_locale %}{{ v|local_iso }}|{{ v|local_date:"SHORT_DATETIME_FORMAT" }}'
        '|{{ v|local_date:"SHORT_DATE_FORMAT" }}|{{ d|local_date:"SHORT_DATE_FORMAT" }}'
    )
    django = engines["django"].from_string(
        '{{ v|date:"c" }}|{{ v|date:"SHORT_DATETIME_FORMAT" }}|{{ v|date:"SHORT_DATE_FORMAT" }}'
        '|{{ d|date:"SHORT_DATE_FORMAT" }}'
    )
    for zone in ZONES:
        for other in LANGUAGES:  # another language's formatter made just before
            with translation.override(other), timezone.override(zone):
                page.render({"v": MOMENTS[0], "d": MOMENTS[0].date()})
            with translation.override(language), timezone.override(zone):
                for moment in MOMENTS:
                    context = {"v": moment, "d": moment.date()}
                    assert page.render(context) == django.render(context), (zone, moment)


def test_the_short_formats_of_the_sites_languages_are_written_without_django():
    for language in LANGUAGES:
        with translation.override(language):
            for name in ("SHORT_DATETIME_FORMAT", "SHORT_DATE_FORMAT"):
                assert _pieces(DateTimeFormatter(name).format_string) is not None, (language, name)


def test_escaped_characters_and_unknown_specifiers():
    moment = dt.datetime(2026, 5, 6, 7, 8, tzinfo=dt.UTC)
    with translation.override("en"), timezone.override("UTC"):
        when = DateTimeFormatter("DATETIME_FORMAT")
        for format_string in [r"j \d\e F", r"\\j", "D, j M Y", "N j, Y, P", "j F Y، ساعت G:i"]:
            when.format_string = format_string
            when._pieces = _pieces(format_string)
            expected = (
                engines["django"]
                .from_string("{{ v|date:f }}")
                .render({"v": moment, "f": format_string})
            )
            assert when(moment) == expected, format_string
