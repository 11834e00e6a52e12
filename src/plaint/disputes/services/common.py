"""What the dispute services share: permission, audit rows and the checks of typed values."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from babel import Locale
from babel.numbers import list_currencies
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from plaint.accounts.access import can_configure, require
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.errors import NotAllowed, ValidationFailed
from plaint.disputes.states import LIMIT_UNITS

PROVIDER_CASE_TYPE = "dispute_provider"
MAX_LIMIT = 3650  # a time limit longer than ten years is a typing error
MAX_AMOUNT = Decimal("9999999999.99")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def audit(case_id: int, actor: Actor, action: str, data: dict[str, Any], at: dt.datetime) -> None:
    audit_append(
        case_type=PROVIDER_CASE_TYPE,
        case_id=case_id,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        data=data,
        at=at,
    )


def require_manager(actor: Actor) -> None:
    """Managers and admins keep the provider register."""
    if actor.kind != "staff":
        raise NotAllowed(_("Only staff may do this."))
    require(can_configure, actor.user, gettext_noop("keep the dispute-resolution providers"))


def invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(_("Check the highlighted fields."), fields={field: [message]})


def text(value: Any, field: str, *, required: bool = False, limit: int = 5000) -> str:
    cleaned = value.strip() if isinstance(value, str) else ""
    if required and not cleaned:
        raise invalid(field, _("This field is required."))
    if len(cleaned) > limit:
        raise invalid(field, _("At most %(n)s characters.") % {"n": limit})
    return cleaned


@cache
def _territories() -> frozenset[str]:
    codes: list[str] = [str(code) for code in Locale("en").territories]
    return frozenset(code for code in codes if len(code) == 2)


def country_codes(value: Any, field: str) -> list[str]:
    """ISO 3166-1 alpha-2 codes, upper case, each once, in the order given."""
    if not isinstance(value, list | tuple):
        raise invalid(field, _("Give a list of two-letter country codes, such as EE or SE."))
    codes: list[str] = []
    for item in value:
        code = item.strip().upper() if isinstance(item, str) else ""
        if code not in _territories():
            raise invalid(field, _("“%(code)s” is not a country code (ISO 3166).") % {"code": item})
        if code not in codes:
            codes.append(code)
    return codes


def language_codes(value: Any, field: str) -> list[str]:
    if not isinstance(value, list | tuple):
        raise invalid(field, _("Give a list of language codes, such as et or uk."))
    codes: list[str] = []
    for item in value:
        code = item.strip().lower() if isinstance(item, str) else ""
        if not _LANGUAGE.match(code):
            raise invalid(field, _("“%(code)s” is not a language code.") % {"code": item})
        if code not in codes:
            codes.append(code)
    return codes


def currency(value: Any, field: str, *, required: bool) -> str:
    code = value.strip().upper() if isinstance(value, str) else ""
    if not code and not required:
        return ""
    if code not in list_currencies():
        raise invalid(field, _("Give a currency code (ISO 4217), such as EUR."))
    return code


def amount(value: Any, field: str) -> Decimal | None:
    """A non-negative amount with at most two decimals, or None when empty."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise invalid(field, _("Enter an amount, such as 150 or 150.50.")) from None
    if not number.is_finite() or number < 0 or number > MAX_AMOUNT:
        raise invalid(field, _("Enter an amount from 0 to 9,999,999,999.99."))
    if number != number.quantize(Decimal("0.01")):
        raise invalid(field, _("At most two decimals."))
    return number.quantize(Decimal("0.01"))


def time_limit(amount_: Any, unit: Any, field: str) -> tuple[int | None, str]:
    if unit not in LIMIT_UNITS:
        raise invalid(field, _("Choose business days, calendar days or weeks."))
    if amount_ is None or amount_ == "":
        return None, str(unit)
    if isinstance(amount_, bool) or not isinstance(amount_, int) or not 1 <= amount_ <= MAX_LIMIT:
        raise invalid(field, _("Enter a whole number from 1 to %(n)s.") % {"n": MAX_LIMIT})
    return amount_, str(unit)
