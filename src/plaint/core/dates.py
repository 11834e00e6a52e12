"""Many dates in one format, cheaply: the case page's timeline prints two dates per entry.

Django's ``date`` filter, for every value, looks the format up for the active language, converts
the value to the current time zone, builds a ``DateFormat`` (which checks the time for a
daylight-saving gap) and splits the format string with a regular expression: about 40 µs a call,
three quarters of the timeline's rendering. ``DateTimeFormatter`` does the look-up and the split
once per page, and per value only the conversion and the pieces. Its output is the ``date``
filter's, character for character, for the formats Plaint's languages use (tests/core/
test_dates.py compares them per language); a format with a specifier it does not write itself
is left to Django whole.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache

from django.utils import dateformat, formats, timezone, translation
from django.utils.dates import MONTHS, MONTHS_3, MONTHS_ALT

# Django's format specifiers (``django.utils.dateformat``); any other character is literal.
SPECIFIERS = frozenset("aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ")

_Piece = str | Callable[[dt.datetime], str]

# The specifiers written here, as Django writes them (``DateFormat``'s methods of the same name).
_WRITERS: dict[str, Callable[[dt.datetime], str]] = {
    "d": lambda v: f"{v.day:02d}",
    "j": lambda v: str(v.day),
    "m": lambda v: f"{v.month:02d}",
    "n": lambda v: str(v.month),
    "y": lambda v: f"{v.year % 100:02d}",
    "Y": lambda v: f"{v.year:04d}",
    "H": lambda v: f"{v.hour:02d}",
    "G": lambda v: str(v.hour),
    "i": lambda v: f"{v.minute:02d}",
    "s": lambda v: f"{v.second:02d}",
    "F": lambda v: str(MONTHS[v.month]),
    "E": lambda v: str(MONTHS_ALT[v.month]),
    "M": lambda v: str(MONTHS_3[v.month]).title(),
}

# the writers that translate (a month's name): once per page and month
_MONTH_NAMES = frozenset({_WRITERS["F"], _WRITERS["E"], _WRITERS["M"]})


# As in Django: a specifier character is literal when a backslash stands before it, and a
# backslash in literal text makes the next character itself.
_SPECIFIER = re.compile(r"(?<!\\)([" + "".join(sorted(SPECIFIERS)) + "])")
_ESCAPED = re.compile(r"\\(.)")


@lru_cache(maxsize=64)
def _pieces(format_string: str) -> tuple[_Piece, ...] | None:
    """The format as literal text and writers, or None when it uses a specifier not written
    here."""
    pieces: list[_Piece] = []
    for index, part in enumerate(_SPECIFIER.split(format_string)):
        if index % 2:  # a specifier
            if part not in _WRITERS:
                return None
            pieces.append(_WRITERS[part])
        elif part:
            pieces.append(_ESCAPED.sub(r"\1", part))
    return tuple(pieces)


class DateTimeFormatter:
    """Formats aware datetimes in the current time zone and language with one named format
    (``"DATETIME_FORMAT"``…), as ``{{ value|date:"DATETIME_FORMAT" }}`` would; ``iso`` as
    ``{{ value|date:"c" }}``. Make one per page (it reads the language and the time zone when
    made); month names are translated once per month."""

    def __init__(self, format_name: str = "DATETIME_FORMAT") -> None:
        self.format_string = str(formats.get_format(format_name))
        self.zone = timezone.get_current_timezone()
        self._pieces = _pieces(self.format_string)
        self._months: dict[tuple[Callable[[dt.datetime], str], int], str] = {}

    def local(self, value: dt.datetime) -> dt.datetime:
        return value.astimezone(self.zone) if timezone.is_aware(value) else value

    def iso(self, value: dt.datetime) -> str:
        return self.local(value).isoformat()

    def __call__(self, value: dt.datetime) -> str:
        local = self.local(value)
        if self._pieces is None:
            return dateformat.format(local, self.format_string)
        return "".join(
            piece if isinstance(piece, str) else self._write(piece, local) for piece in self._pieces
        )

    def _write(self, writer: Callable[[dt.datetime], str], value: dt.datetime) -> str:
        if writer not in _MONTH_NAMES:
            return writer(value)
        key = (writer, value.month)
        name = self._months.get(key)
        if name is None:
            name = self._months[key] = writer(value)
        return name


@lru_cache(maxsize=256)
def _formatter(language: str, zone_name: str, format_name: str) -> DateTimeFormatter:
    with translation.override(language), timezone.override(zone_name):
        return DateTimeFormatter(format_name)


def formatter_for(format_name: str) -> DateTimeFormatter:
    """The formatter of ``format_name`` in the active language and time zone, made once per
    process for each (language, zone, format): for lists, where a page writes a date per row
    (the staff queue). A formatter keeps only what those three decide (the format's pieces, the
    months' names in that language), so sharing it between requests is safe."""
    return _formatter(
        translation.get_language() or "en", timezone.get_current_timezone_name(), format_name
    )
