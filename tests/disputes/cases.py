"""A decided complaint, a provider that may take it, and a dispute opened by referral."""

from __future__ import annotations

import datetime as dt

from plaint.core.actors import Actor
from plaint.disputes import services
from tests.disputes.helpers import add_rule, make_provider
from tests.factories import advance, make_complaint, office_today

CONSENT = services.ConsentInput(
    channel="phone",
    text_shown="I agree that my complaint and its file go to the Consumer Disputes Committee.",
    language="et",
)


def provider_with_all_methods(manager, **fields):
    provider = make_provider(manager, **fields)
    services.provider_methods_set(
        actor=Actor.staff(manager),
        provider_id=provider.pk,
        methods=[{"method": m} for m in ("facilitative", "advisory", "determinative")],
    )
    add_rule(manager, provider)
    return provider


def decided_complaint(handler, **fields):
    complaint, _token = make_complaint(**fields)
    return advance(complaint, "decision_communicated", by=handler)


def refer(handler, complaint, provider, method="determinative", **kw):
    return services.dispute_refer(
        actor=Actor.staff(handler),
        complaint_id=complaint.pk,
        provider_id=provider.pk,
        method=method,
        consent=kw.pop("consent", CONSENT),
        **kw,
    )


def obligation(owner, kind="refund", days=14, **kw):
    values = {
        "kind": kind,
        "description": "Refund the second payment of 129.00 euros.",
        "due_on": office_today() + dt.timedelta(days=days),  # the organisation's day
        "owner_id": owner.pk,
        "amount": "129.00" if kind in {"refund", "compensation"} else None,
        "currency": "EUR" if kind in {"refund", "compensation"} else "",
    }
    values.update(kw)
    return services.ObligationInput(**values)
