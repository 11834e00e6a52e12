"""What the improvement services share: the audit row, permission checks, text cleaning."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from plaint.accounts.access import can_configure, can_work_complaints, require
from plaint.accounts.models import User
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.errors import NotAllowed, ValidationFailed
from plaint.core.selectors import organisation_get
from plaint.core.services import email_enqueue
from plaint.insights.selectors.filters import month_start, months_between

if TYPE_CHECKING:
    from plaint.improvement.models import CorrectiveAction, PlannedAction

CA_CASE_TYPE = "corrective_action"
OBJECTIVE_CASE_TYPE = "objective"


def audit(
    case_type: str,
    case_id: int,
    actor: Actor,
    action: str,
    data: dict[str, Any],
    at: dt.datetime | None = None,
) -> None:
    audit_append(
        case_type=case_type,
        case_id=case_id,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        data=data,
        at=at,
    )


def require_manager(actor: Actor) -> None:
    """Managers and admins own corrective actions and objectives."""
    if actor.kind != "staff":
        raise NotAllowed(_("Only staff may do this."))
    require(can_configure, actor.user, gettext_noop("manage corrective actions and objectives"))


def text_clean(value: Any, field: str, *, required: bool = True, limit: int = 5000) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise ValidationFailed(
            _("Check the highlighted fields."), fields={field: [_("This field is required.")]}
        )
    if len(text) > limit:
        raise ValidationFailed(
            _("Check the highlighted fields."),
            fields={field: [_("At most %(n)s characters.") % {"n": limit}]},
        )
    return text


def owner_clean(owner_id: Any, field: str = "owner_id") -> User:
    """An owner is an active handler, manager or admin (auditors only read)."""
    user = User.objects.filter(pk=owner_id, is_active=True).first() if owner_id else None
    if user is None or not can_work_complaints(user):
        raise ValidationFailed(
            _("Check the highlighted fields."),
            fields={field: [_("Choose an active handler, manager or admin.")]},
        )
    return user


def target_clean(comparison: Any, target: Any) -> tuple[str, float]:
    errors: dict[str, list[str]] = {}
    if comparison not in ("ge", "le"):
        errors["comparison"] = [_("Choose at least or at most.")]
    try:
        value = float(target)
        if value != value or abs(value) > 1e9:
            raise ValueError
    except (TypeError, ValueError):
        errors["target"] = [_("Enter a number.")]
        value = 0.0
    if errors:
        raise ValidationFailed(_("Check the highlighted fields."), fields=errors)
    return str(comparison), value


def mail_person(
    person: User, what: str, ca: CorrectiveAction, action: PlannedAction | None
) -> None:
    """Mail a person about a corrective action through the outbox (caller's transaction)."""
    if not person.is_active or not person.email:
        return
    email_enqueue(
        to=person.email,
        kind="corrective_action",
        language=person.language,
        context={
            "organisation": organisation_get(),
            "what": what,
            "reference": ca.reference,
            "title": ca.title,
            "description": action.description if action else "",
            "due_on": action.due_on if action else None,  # written in the mail's language
            "url": f"{settings.BASE_URL}/staff/improvement/corrective-actions/{ca.pk}/",
        },
    )


def period_clean(start: Any, end: Any) -> tuple[dt.date, dt.date]:
    """Whole months: the first days of the first and the last month (at most 120 months)."""
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        raise ValidationFailed(
            _("Check the highlighted fields."), fields={"period_start": [_("Enter a month.")]}
        )
    start, end = month_start(start), month_start(end)
    if start > end or len(months_between(start, end)) > 120:
        raise ValidationFailed(
            _("Check the highlighted fields."),
            fields={
                "period_end": [_("The period ends before it starts, or spans over 120 months.")]
            },
        )
    return start, end
