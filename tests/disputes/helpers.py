"""Providers for the dispute tests, made through the services."""

from __future__ import annotations

from plaint.core.actors import Actor
from plaint.disputes import services


def make_provider(manager, name: str = "Consumer Disputes Committee", **fields):
    values = {
        "kind": "adr_body",
        "jurisdictions": ["EE"],
        "languages": ["et", "en"],
        "refer_within": 365,
        "refer_within_unit": "calendar_days",
        "answer_within": 20,
        "answer_within_unit": "business_days",
        "decide_within": 90,
        "decide_within_unit": "calendar_days",
    }
    values.update(fields)
    return services.provider_create(actor=Actor.staff(manager), name=name, **values)


def add_rule(manager, provider, **conditions):
    return services.eligibility_rule_add(
        actor=Actor.staff(manager), provider_id=provider.pk, **conditions
    )
