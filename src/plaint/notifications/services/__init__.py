"""Writes of notifications (``from plaint.notifications.services import …``)."""

from plaint.notifications.services.new_cases import new_cases_notify
from plaint.notifications.services.reading import (
    notification_read,
    notifications_prune,
    notifications_read_all,
    preferences_set,
    team_categories_set,
)
from plaint.notifications.services.sending import Tell, notifications_send
from plaint.notifications.services.subjects import SubjectTell, subject_notifications_send
from plaint.notifications.services.telling import (
    assignment_tell,
    at_risk_tell,
    bulk_assignment_tell,
    complainant_wrote_tell,
)

__all__ = [
    "SubjectTell",
    "Tell",
    "assignment_tell",
    "at_risk_tell",
    "bulk_assignment_tell",
    "complainant_wrote_tell",
    "new_cases_notify",
    "notification_read",
    "notifications_prune",
    "notifications_read_all",
    "notifications_send",
    "preferences_set",
    "subject_notifications_send",
    "team_categories_set",
]
