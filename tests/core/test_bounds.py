"""The one definition of a sane date, month, time and flag (core/bounds.py), as each adapter
uses it: services, Django forms, API schemas."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import QueryDict
from django.utils import timezone
from pydantic import BaseModel, ValidationError

from plaint.core.bounds import (
    Day,
    Flag,
    Month,
    PastMoment,
    ReadableTextMixin,
    check_past_moment,
    day_error,
    latest_day,
    moment_error,
    month_error,
    parse_month,
    validate_past_moment,
)
from plaint.core.errors import ValidationFailed

NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_range_runs_from_2000_to_the_end_of_the_year_ten_years_ahead():
    assert latest_day() == dt.date(2036, 12, 31)
    assert day_error(dt.date(2000, 1, 1)) is None and day_error(dt.date(2036, 12, 31)) is None
    for day in (dt.date(1, 1, 1), dt.date(1999, 12, 31), dt.date(2037, 1, 1), dt.date.max):
        assert day_error(day) == "Give a date from 2000-01-01 to 2036-12-31."


def test_months():
    assert month_error(2000, 1) is None and month_error(2036, 12) is None
    for year, month in ((0, 1), (1, 1), (1999, 12), (2037, 1), (9999, 12), (2026, 13)):
        assert month_error(year, month) == "Give a month from 2000-01 to 2036-12."
    assert parse_month("2026-03") == dt.date(2026, 3, 1)
    for text, message in (
        ("2026-13", "Give a month like 2026-03."),
        ("march", "Give a month like 2026-03."),
        ("0000-01", "Give a month from 2000-01 to 2036-12."),
    ):
        with pytest.raises(ValueError, match=message):
            parse_month(text)


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))),  # UTC would be year 0
        dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(dt.timedelta(hours=-1))),
        dt.datetime(1999, 12, 31, 23, 59, tzinfo=dt.UTC),
        NOW + dt.timedelta(minutes=5, seconds=1),
    ],
)
def test_a_past_moment_out_of_range_has_a_message_and_never_overflows(moment):
    assert moment_error(moment, past=True) == "Give a time from 2000-01-01 up to now."
    with pytest.raises(ValidationFailed) as refused:
        check_past_moment(moment, field="received_at")
    assert refused.value.fields == {"received_at": ["Give a time from 2000-01-01 up to now."]}


def test_a_past_moment_may_be_a_few_minutes_ahead_and_naive_in_the_current_zone():
    assert moment_error(NOW + dt.timedelta(minutes=5), past=True) is None
    assert moment_error(dt.datetime(2000, 1, 1, tzinfo=dt.UTC), past=True) is None
    with timezone.override("Europe/Tallinn"):
        # 2000-01-01 01:30 in Tallinn is 1999-12-31 23:30 UTC
        assert moment_error(dt.datetime(2000, 1, 1, 1, 30), past=True) is not None
        assert moment_error(dt.datetime(2000, 1, 1, 2, 30), past=True) is None


def test_a_moment_may_lie_ahead_within_the_range():
    assert moment_error(dt.datetime(2030, 1, 1, tzinfo=dt.UTC)) is None
    assert moment_error(dt.datetime(2037, 1, 1, tzinfo=dt.UTC)) == (
        "Give a time from 2000-01-01 to 2036-12-31."
    )


def test_the_django_validator_raises_a_form_error():
    with pytest.raises(DjangoValidationError):
        validate_past_moment(dt.datetime(1900, 1, 1, tzinfo=dt.UTC))


class _Body(BaseModel):
    day: Day | None = None
    month: Month | None = None
    at: PastMoment | None = None
    flag: Flag | None = None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("day", "1999-12-31"),
        ("day", 5),
        ("day", 1_700_000_000),
        ("month", "0000-01"),
        ("month", "2037-01"),
        ("at", "0001-01-01T00:00:00+01:00"),
        ("at", 5),
        ("at", "2026-11-20T12:00:00"),  # no time zone
        ("flag", "yes"),
        ("flag", 1),
        ("flag", "true"),
    ],
)
def test_the_schema_types_refuse(field, value):
    with pytest.raises(ValidationError) as refused:
        _Body.model_validate({field: value})
    assert [e["loc"] for e in refused.value.errors()] == [(field,)]


def test_the_schema_types_take_good_text():
    body = _Body.model_validate(
        {"day": "2026-01-31", "month": "2026-01", "at": "2026-11-20T13:00:00+02:00", "flag": True}
    )
    assert body.day == dt.date(2026, 1, 31) and body.month == "2026-01" and body.flag is True
    assert body.at == dt.datetime(2026, 11, 20, 11, tzinfo=dt.UTC)


class _TextForm(ReadableTextMixin, forms.Form):
    name = forms.CharField()
    tags = forms.MultipleChoiceField(choices=[("a", "a"), ("\ufffd", "?")], required=False)


def test_the_form_mixin_refuses_text_that_was_not_utf8():
    form = _TextForm(QueryDict("name=P%E4rnu", encoding="utf-8"))
    assert not form.is_valid()
    assert form.errors["name"][0].startswith("Some characters of this text could not be read")
    assert _TextForm(QueryDict("name=P%C3%A4rnu")).is_valid()
    assert list(_TextForm(QueryDict("name=A&tags=a&tags=%EF%BF%BD")).errors) == ["tags"]
