"""The one definition of what a typed date, time, month or flag may be, for forms, API schemas
and services alike.

A complaints system has no business with the year 1 or 9999: a date before ``EARLIEST_DAY`` or
more than ``YEARS_AHEAD`` years ahead is a typing slip (or a probe), and some of them do not even
survive the conversion to UTC. A moment that already happened (when a complaint was received)
may lie at most ``CLOCK_SKEW`` ahead of the server's clock. API schemas take dates and times only
as text (the integer ``5`` is not "1970-01-01T00:00:05Z") and booleans only as JSON ``true`` and
``false`` (not ``"yes"``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Annotated, Any, TypeAlias

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, StrictBool, StringConstraints

from plaint.core.errors import ValidationFailed

EARLIEST_DAY = dt.date(2000, 1, 1)
YEARS_AHEAD = 10
CLOCK_SKEW = dt.timedelta(minutes=5)
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def latest_day() -> dt.date:
    """The last day a typed date may name: the end of the year ``YEARS_AHEAD`` years from now."""
    return dt.date(timezone.now().year + YEARS_AHEAD, 12, 31)


# ------------------------------------------------------------------------------- the checks
# Each returns the message for people, or None when the value is within bounds.


def day_error(value: dt.date) -> str | None:
    latest = latest_day()
    if EARLIEST_DAY <= value <= latest:
        return None
    return _("Give a date from %(earliest)s to %(latest)s.") % {
        "earliest": EARLIEST_DAY.isoformat(),
        "latest": latest.isoformat(),
    }


def month_error(year: int, month: int) -> str | None:
    """For a month typed as YYYY-MM (``month`` already known to be 1-12 or not)."""
    latest = latest_day()
    if 1 <= month <= 12 and (EARLIEST_DAY.year, EARLIEST_DAY.month) <= (year, month) <= (
        latest.year,
        latest.month,
    ):
        return None
    return _("Give a month from %(earliest)s to %(latest)s.") % {
        "earliest": f"{EARLIEST_DAY:%Y-%m}",
        "latest": f"{latest:%Y-%m}",
    }


def moment_error(value: dt.datetime, *, past: bool = False) -> str | None:
    """For a time: not before ``EARLIEST_DAY`` (UTC) and not after ``latest_day()``, or with
    ``past`` (when something happened) not after now, give or take ``CLOCK_SKEW``. A naive value
    is read in the current time zone. (The message is translated only for a value out of
    bounds: importers check a time on every row.)"""
    latest = dt.datetime.combine(latest_day(), dt.time.max, tzinfo=dt.UTC)
    # the year first: also keeps the conversion below within datetime's range
    if EARLIEST_DAY.year - 1 <= value.year <= latest.year:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        earliest = dt.datetime.combine(EARLIEST_DAY, dt.time(), tzinfo=dt.UTC)
        if past:
            latest = timezone.now() + CLOCK_SKEW
        if earliest <= value <= latest:
            return None
    if past:
        return _("Give a time from %(earliest)s up to now.") % {
            "earliest": EARLIEST_DAY.isoformat()
        }
    return _("Give a time from %(earliest)s to %(latest)s.") % {
        "earliest": EARLIEST_DAY.isoformat(),
        "latest": latest_day().isoformat(),
    }


def parse_month(text: str) -> dt.date:
    """``"2026-03"`` as the first day of that month; ``ValueError`` with a message for people."""
    match = MONTH_RE.match(text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(_("Give a month like 2026-03."))
    year, month = int(match.group(1)), int(match.group(2))
    error = month_error(year, month)
    if error:
        raise ValueError(error)
    return dt.date(year, month, 1)


def check_past_moment(value: dt.datetime, *, field: str) -> None:
    """For services: ``ValidationFailed`` on ``field`` unless ``value`` is a sane past moment."""
    error = moment_error(value, past=True)
    if error:
        raise ValidationFailed(error, fields={field: [error]})


def check_day(value: dt.date, *, field: str) -> None:
    error = day_error(value)
    if error:
        raise ValidationFailed(error, fields={field: [error]})


# ----------------------------------------------------------------------- Django form validators


def validate_past_moment(value: dt.datetime) -> None:
    error = moment_error(value, past=True)
    if error:
        raise DjangoValidationError(error, code="out_of_range")


def validate_moment(value: dt.datetime) -> None:
    error = moment_error(value)
    if error:
        raise DjangoValidationError(error, code="out_of_range")


def validate_day(value: dt.date) -> None:
    error = day_error(value)
    if error:
        raise DjangoValidationError(error, code="out_of_range")


# ------------------------------------------------------------------------ API schema types


def _text_only(value: Any) -> Any:
    # Pydantic would read a number as seconds since 1970 and a bool as 0 or 1.
    if isinstance(value, str | dt.date):  # a date or datetime when a schema is built in Python
        return value
    raise ValueError(_("Give the date or time as text, e.g. 2026-03-01 or 2026-03-01T09:30+02:00."))


def _raise_if(error: str | None, value: Any) -> Any:
    if error:
        raise ValueError(error)
    return value


def _past_moment(value: dt.datetime) -> dt.datetime:
    return _raise_if(moment_error(value, past=True), value)


def _moment(value: dt.datetime) -> dt.datetime:
    return _raise_if(moment_error(value), value)


def _day(value: dt.date) -> dt.date:
    return _raise_if(day_error(value), value)


def _month(value: str) -> str:
    return _raise_if(month_error(int(value[:4]), int(value[5:7])), value)


# When something happened, with its time zone, as text.
PastMoment: TypeAlias = Annotated[
    AwareDatetime, BeforeValidator(_text_only), AfterValidator(_past_moment)
]
# A time that may lie ahead (a planned pause), with its time zone, as text.
Moment: TypeAlias = Annotated[AwareDatetime, BeforeValidator(_text_only), AfterValidator(_moment)]
# A calendar day (a filter's bound, a dispute's closing day), as text.
Day: TypeAlias = Annotated[dt.date, BeforeValidator(_text_only), AfterValidator(_day)]
# What a value that does not match a pattern of an API schema is told, by the pattern: the
# request's language, and words a person can act on rather than "does not have the expected form"
# (``core.problem``). Filled by ``matching``.
PATTERN_MESSAGES: dict[str, Promise] = {}


def matching(pattern: str, message: Promise, *, max_length: int | None = None) -> StringConstraints:
    """A schema's constraint that a text matches ``pattern`` (kept in the OpenAPI document), and
    the ``message`` (lazy, translated) a value that does not is answered with."""
    PATTERN_MESSAGES[pattern] = message
    return StringConstraints(pattern=pattern, max_length=max_length)


# A whole month, YYYY-MM.
Month: TypeAlias = Annotated[
    str,
    matching(r"^\d{4}-(0[1-9]|1[0-2])$", gettext_lazy("Give a month like 2026-03.")),
    AfterValidator(_month),
]
# JSON true or false, nothing else ("yes", 1 and "true" are refused in a body).
Flag: TypeAlias = StrictBool


def _query_flag(value: Any) -> Any:
    # A query string has no booleans, only text: the same two words, nothing else.
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise ValueError(_("Give true or false."))


# A boolean in a query string or a form's field: "true" or "false" ("yes", "1", "on" are refused).
QueryFlag: TypeAlias = Annotated[bool, BeforeValidator(_query_flag)]


# ------------------------------------------------------------------------------ readable text

# Django decodes a posted form as UTF-8 with errors="replace": bytes that are not UTF-8 (a form
# sent in another encoding, or a probe) arrive as U+FFFD and would be stored so. No one types
# U+FFFD on purpose, so text holding it is refused and the person asked to type it again.
REPLACEMENT_CHARACTER = "\ufffd"


def unreadable_error(values: Iterable[object]) -> str | None:
    if any(isinstance(v, str) and REPLACEMENT_CHARACTER in v for v in values):
        return _(
            "Some characters of this text could not be read (it was not sent as UTF-8). "
            "Please type it again."
        )
    return None


class ReadableTextMixin:
    """For a Django form: a field whose posted text was not valid UTF-8 gets an error."""

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()  # type: ignore[misc]
        data = self.data  # type: ignore[attr-defined]
        for name in list(self.fields):  # type: ignore[attr-defined]
            key = self.add_prefix(name)  # type: ignore[attr-defined]
            values = data.getlist(key) if hasattr(data, "getlist") else [data.get(key)]
            error = unreadable_error(values)
            if error:
                self.add_error(name, error)  # type: ignore[attr-defined]
        return cleaned
