"""The words a complainant is shown before agreeing to a referral, in their language: who the
provider is, what it does, whether its outcome binds either side, what it costs and who pays, the
last day to refer, and that they may withdraw. The exact text shown is what the consent records."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from plaint.complaints.models import Complaint
from plaint.core.locales import money
from plaint.disputes.models import Provider, ProviderMethod
from plaint.disputes.states import FeePayer


def _binding(method: ProviderMethod) -> str:
    if method.binding_on_organisation and method.binding_on_complainant:
        return _("Its outcome binds both you and us.")
    if method.binding_on_organisation:
        return _("Its outcome binds us if you accept it; it does not bind you.")
    if method.binding_on_complainant:
        return _("Its outcome binds you.")
    return _("Its outcome binds neither side.")


def _fee(method: ProviderMethod) -> str:
    if method.fee_payer == FeePayer.NONE or not method.fee:
        return _("It is free of charge for you.")
    amount = money(method.fee, method.currency, get_language() or "en")
    if method.fee_payer == FeePayer.ORGANISATION:
        return _("Its fee of %(amount)s is paid by us.") % {"amount": amount}
    if method.fee_payer == FeePayer.COMPLAINANT:
        return _("Its fee of %(amount)s is paid by you.") % {"amount": amount}
    return _("Its fee of %(amount)s is shared between you and us.") % {"amount": amount}


def fee_sentence(method: ProviderMethod) -> str:
    """What the method costs the complainant, in one sentence of the active language."""
    return _fee(method)


def last_day_sentence(refer_by: dt.date) -> str:
    """The last day to refer the case, in one sentence of the active language, the day as that
    language writes it: in the consent text and in the decision mail's offer."""
    return _("The last day to refer the case is %(day)s.") % {
        "day": date_format(refer_by, "DATE_FORMAT")
    }


def consent_text(
    complaint: Complaint,
    provider: Provider,
    method: ProviderMethod,
    refer_by: dt.date | None,
    language: str,
) -> str:
    """The consent text for this referral, in ``language``."""
    with translation.override(language):
        parts = [
            _(
                "I agree that my complaint %(reference)s and its file are sent to %(provider)s, "
                "an independent body, for %(method)s."
            )
            % {
                "reference": complaint.reference,
                "provider": provider.name,
                "method": method.get_method_display().lower(),
            },
            _binding(method),
            _fee(method),
        ]
        if refer_by:
            parts.append(last_day_sentence(refer_by))
        parts.append(
            _("I may withdraw at any time. Taking part does not take away my right to go to court.")
        )
        return " ".join(str(p) for p in parts)
