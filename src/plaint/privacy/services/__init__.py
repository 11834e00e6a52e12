"""Writes of personal data: erasure (``erasure``, on top of ``anonymise``), legal holds
(``holds``) and the retention rules (``retention``)."""

from plaint.privacy.services.erasure import (
    ErasurePlan,
    erasure_plan,
    subject_erase,
    subject_export_record,
)
from plaint.privacy.services.holds import (
    legal_hold_place,
    legal_hold_release,
    subject_requests_permission_set,
)
from plaint.privacy.services.retention import (
    RetentionReport,
    retention_apply,
    retention_policy_get,
    retention_policy_update,
)

__all__ = [
    "ErasurePlan",
    "RetentionReport",
    "erasure_plan",
    "legal_hold_place",
    "legal_hold_release",
    "retention_apply",
    "retention_policy_get",
    "retention_policy_update",
    "subject_erase",
    "subject_export_record",
    "subject_requests_permission_set",
]
