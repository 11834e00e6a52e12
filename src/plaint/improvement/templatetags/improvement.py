"""How an indicator's reading reads on a page: its value in its unit, the interval beside it;
and whether a user may open the regulatory returns (a link the analysis page shows)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from plaint.accounts.access import can_export_returns

register = template.Library()


def _num(x: Any, unit: str) -> str:
    places = 0 if unit == "count" else 1
    text = number_format(round(x, places), places)
    return f"{text} %" if unit == "percent" else text


@register.simple_tag
def reading(value: Any, unit: str) -> str:
    """``value`` is a ``Reading`` or its dict: "12.5 % (8.1 % to 18.0 %, n = 40)"."""
    get = value.get if isinstance(value, dict) else lambda k: getattr(value, k, None)
    if not value or get("value") is None:
        return _("no data")
    text = _num(get("value"), unit)
    if get("low") is not None and get("high") is not None:
        text += " " + _("(%(low)s to %(high)s, n = %(n)s)") % {
            "low": _num(get("low"), unit),
            "high": _num(get("high"), unit),
            "n": get("n"),
        }
    return text


@register.simple_tag
def target(comparison: str, value: float, unit: str) -> str:
    sign = "≥" if comparison == "ge" else "≤"
    return f"{sign} {_num(value, unit)}"


@register.filter
def may_export_returns(user: Any) -> bool:
    return can_export_returns(user)
