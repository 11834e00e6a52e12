"""Who handles requests about personal data (find, export, erase, holds, retention rules)."""

from __future__ import annotations

from plaint.accounts.access import is_staff_member
from plaint.accounts.models import Role

PERMISSION = "privacy.handle_subject_requests"


def can_handle_subject_requests(user) -> bool:
    """Admins; managers only when given the explicit permission ``PERMISSION`` (a person's whole
    data in one file is more than a manager's daily work needs)."""
    if not is_staff_member(user):
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.MANAGER and user.has_perm(PERMISSION)
