"""Template helpers for the promise panel on the staff complaint page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.translation import gettext as _

from plaint.accounts.access import can_work_complaints
from plaint.promises import selectors
from plaint.promises.forms import ClaimForm

register = template.Library()


@register.simple_tag(takes_context=True)
def promise_panel(context, complaint) -> dict[str, Any]:
    """The complaint's checks with their clocks, its broken-promise claims and the claim form."""
    user = context.get("user") or context["request"].user
    can_work = can_work_complaints(user)
    promises = selectors.claimable_promises() if can_work else []
    return {
        "checks": selectors.complaint_checks(complaint=complaint, actor=user),
        "claims": selectors.complaint_claims(complaint=complaint),
        "can_work": can_work,
        "claim_form": ClaimForm(promises=promises) if promises else None,
    }


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


@register.simple_tag
def paused_clocks(complaints) -> dict[str, set[int]]:
    """``{% paused_clocks page.items as paused %}``: ids of the complaints whose acknowledgement or
    response clock is stopped (``paused.response``), from their stored flags. TRANSITION: the
    complaints templates use it until H1a's branch lands (they then read the flags); delete then."""
    return selectors.paused_clocks(
        list(complaints) if not hasattr(complaints, "pk") else complaints
    )
