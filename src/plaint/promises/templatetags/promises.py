"""Template helpers of the promise panel on the staff complaint page (``handlers.on_case_page``)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def clock_duration(value: dt.timedelta | None, unit: str = "") -> str:
    """A clock's time ("-" in front when overdue): business time in hours and minutes of opening
    time, other clocks in days and hours."""
    if value is None:
        return "—"
    sign = "-" if value < dt.timedelta(0) else ""
    seconds = int(abs(value).total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if unit.startswith("business"):
        return _("%(sign)s%(h)sh %(m)smin of opening time") % {
            "sign": sign,
            "h": days * 24 + hours,
            "m": minutes,
        }
    if days:
        return _("%(sign)s%(d)sd %(h)sh") % {"sign": sign, "d": days, "h": hours}
    return _("%(sign)s%(h)sh %(m)smin") % {"sign": sign, "h": hours, "m": minutes}
