"""Settlement authority: an offer above the organisation's approval amount needs a manager's
approval (not the proposer's own) before it is made; who approved it is recorded. The amount is
compared in the settings' currency; an offer in another currency always needs approval (Plaint
does not convert currencies)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from plaint.accounts.access import can_configure, require
from plaint.core.actors import Actor
from plaint.core.errors import InvalidTransition, NotAllowed, NotFound
from plaint.disputes.models import DisputeSettings, SettlementOffer
from plaint.disputes.services.cases import audit, locked_open, require_worker
from plaint.disputes.services.common import amount, currency, invalid, text


def dispute_settings() -> DisputeSettings:
    found = DisputeSettings.objects.order_by("pk").first()
    return found or DisputeSettings.objects.create()


@transaction.atomic
def dispute_settings_set(
    *, actor: Actor, approval_above: Any, currency_code: str
) -> DisputeSettings:
    """Managers and admins set the amount above which a settlement offer needs approval."""
    if actor.kind != "staff":
        raise NotAllowed(_("Only staff may do this."))
    require(can_configure, actor.user, gettext_noop("change the dispute settings"))
    limit = amount(approval_above, "approval_above")
    if limit is None:
        raise invalid("approval_above", _("Enter an amount, such as 150 or 150.50."))
    row = dispute_settings()
    row.approval_above, row.currency = limit, currency(currency_code, "currency", required=True)
    row.save()
    return row


def _needs_approval(value: Any, code: str) -> bool:
    limits = dispute_settings()
    return code != limits.currency or value > limits.approval_above


@transaction.atomic
def settlement_offer_propose(
    *,
    actor: Actor,
    dispute_id: int,
    offer_amount: Any,
    offer_currency: str,
    terms: str,
    now: dt.datetime | None = None,
) -> SettlementOffer:
    """Propose an offer; at or below the approval amount it is made at once."""
    require_worker(actor)
    now = now or timezone.now()
    dispute = locked_open(dispute_id, actor)
    value = amount(offer_amount, "amount")
    if value is None:
        raise invalid("amount", _("Enter an amount, such as 150 or 150.50."))
    code = currency(offer_currency, "currency", required=True)
    needs = _needs_approval(value, code)
    offer = SettlementOffer.objects.create(
        dispute=dispute,
        amount=value,
        currency=code,
        terms=text(terms, "terms", required=True),
        proposed_by=actor.user,
        proposed_at=now,
        needs_approval=needs,
        made_at=None if needs else now,
    )
    data = {"offer": offer.pk, "amount": str(value), "currency": code, "needs_approval": needs}
    audit(dispute, actor, "offer_proposed", data, now)
    return offer


@transaction.atomic
def settlement_offer_approve(
    *, actor: Actor, offer_id: int, now: dt.datetime | None = None
) -> SettlementOffer:
    """A manager other than the proposer approves the offer; it is made at once."""
    if actor.kind != "staff":
        raise NotAllowed(_("Only staff may do this."))
    require(can_configure, actor.user, gettext_noop("approve settlement offers"))
    now = now or timezone.now()
    offer = (
        SettlementOffer.objects.select_for_update()
        .select_related("dispute")
        .filter(pk=offer_id)
        .first()
    )
    if offer is None:
        raise NotFound(_("No such offer."))
    locked_open(offer.dispute_id, actor)
    if not offer.needs_approval or offer.approved_at is not None:
        raise InvalidTransition(_("This offer needs no approval."))
    if offer.proposed_by_id == actor.user_id:
        raise NotAllowed(_("Another manager approves an offer you proposed."))
    offer.approved_by, offer.approved_at, offer.made_at = actor.user, now, now
    offer.save(update_fields=["approved_by", "approved_at", "made_at"])
    audit(offer.dispute, actor, "offer_approved", {"offer": offer.pk}, now)
    return offer


__all__ = [
    "dispute_settings",
    "dispute_settings_set",
    "settlement_offer_approve",
    "settlement_offer_propose",
]
