"""Codes and promises made through the services, so they carry audit events like real ones."""

from __future__ import annotations

from plaint.core.actors import Actor
from plaint.promises import services


def make_code(manager, *, slug="service-promises", title=None, publish=True, promises=None):
    """A code with the given promises (dicts of promise fields), published unless told not to."""
    actor = Actor.staff(manager)
    code = services.code_create(
        actor=actor,
        slug=slug,
        title=title or {"en": "Our service promises", "et": "Meie teeninduslubadused"},
        owner="Customer care",
    )
    for fields in promises if promises is not None else [ACK_2_BD, RESPOND_10_BD]:
        services.promise_create(actor=actor, code_id=code.pk, **fields)
    if publish:
        code = services.code_transition(actor=actor, code_id=code.pk, step="publish")
    return code


ACK_2_BD = {
    "key": "acknowledge",
    "texts": {"en": "We acknowledge within 2 business days.", "et": "Kinnitame 2 tööpäevaga."},
    "clock": "received_to_acknowledged",
    "limit_amount": 2,
    "limit_unit": "business_days",
    "pauses_while_waiting": False,
}
RESPOND_10_BD = {
    "key": "respond",
    "texts": {"en": "We decide within 10 business days.", "et": "Otsustame 10 tööpäevaga."},
    "clock": "received_to_decision",
    "limit_amount": 10,
    "limit_unit": "business_days",
    "pauses_while_waiting": True,
    "target_rate": "0.9",
}
REMEDY_5_CD = {
    "key": "remedy",
    "texts": {"en": "We deliver the remedy within 5 days of the decision."},
    "clock": "decision_to_remedy",
    "limit_amount": 5,
    "limit_unit": "calendar_days",
}
