"""Every write of the disputes app (CONVENTIONS: one service layer)."""

from plaint.disputes.services.providers import (
    eligibility_rule_add,
    eligibility_rule_remove,
    provider_create,
    provider_methods_set,
    provider_review_record,
    provider_update,
)

__all__ = [
    "eligibility_rule_add",
    "eligibility_rule_remove",
    "provider_create",
    "provider_methods_set",
    "provider_review_record",
    "provider_update",
]
