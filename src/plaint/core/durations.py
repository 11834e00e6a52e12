"""A length of time in words, in the active language: "5 minutes", "1 day", "40 seconds" (the
duties' periods, how far behind a replica's figures may be)."""

from __future__ import annotations

import datetime as dt
import math

from django.utils.translation import ngettext

_DAY, _HOUR, _MINUTE = 86_400, 3_600, 60


def _unit(count: int, unit: int) -> str:
    if unit == _DAY:
        return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}
    if unit == _HOUR:
        return ngettext("%(count)d hour", "%(count)d hours", count) % {"count": count}
    if unit == _MINUTE:
        return ngettext("%(count)d minute", "%(count)d minutes", count) % {"count": count}
    return ngettext("%(count)d second", "%(count)d seconds", count) % {"count": count}


def duration_words(value: dt.timedelta) -> str:
    """The largest unit that says it plainly: a whole number of it, or at least two of it
    (rounded up: "may be up to 3 minutes behind" never understates). Under a second: 0 seconds."""
    seconds = max(0, math.ceil(value.total_seconds()))
    for unit in (_DAY, _HOUR, _MINUTE):
        if seconds >= unit and (seconds % unit == 0 or seconds >= 2 * unit):
            return _unit(math.ceil(seconds / unit), unit)
    return _unit(seconds, 1)
