"""A person's own notifications and choices: marking read, preferences, the teams' categories."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.accounts.access import can_configure, can_read_complaints
from plaint.accounts.models import Team
from plaint.complaints.models import Category
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.errors import NotAllowed, NotFound, ValidationFailed
from plaint.notifications.models import Kind, Notification, Preference, TeamCategory


def _staff(actor: Actor) -> None:
    if actor.kind != "staff" or not can_read_complaints(actor.user):
        raise NotAllowed(_("Only staff members have notifications."))


def notification_read(*, actor: Actor, notification_id: int) -> Notification:
    """Mark one of the actor's own notifications read (again: no change). Another person's
    notification is "not found", like one that does not exist."""
    _staff(actor)
    with transaction.atomic():
        notification = (
            # of=self: the complaint is an outer join now (a notification may be about none),
            # which PostgreSQL does not lock.
            Notification.objects.select_for_update(of=("self",))
            .select_related("complaint")
            .filter(pk=notification_id, recipient_id=actor.user_id)
            .first()
        )
        if notification is None:
            raise NotFound(_("No such notification."))
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        return notification


KEEP_READ = dt.timedelta(days=90)


def notifications_prune(*, now: dt.datetime | None = None) -> int:
    """Delete the notifications read more than ``KEEP_READ`` ago (the worker's housekeeping): the
    case keeps its own history; a read notification has done its work. Returns how many."""
    cutoff = (now or timezone.now()) - KEEP_READ
    deleted, _ = Notification.objects.filter(read_at__lt=cutoff).delete()
    return deleted


def notifications_read_all(*, actor: Actor) -> int:
    """Mark every unread notification of the actor read: how many were unread."""
    _staff(actor)
    return Notification.objects.filter(recipient_id=actor.user_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_set(*, actor: Actor, choices: Mapping[str, tuple[bool, bool]]) -> None:
    """Store the actor's choice per kind: (in the app, by e-mail). Kinds not named keep theirs."""
    _staff(actor)
    unknown = set(choices) - set(Kind.values)
    if unknown:
        raise ValidationFailed(_("Unknown kind of notification."))
    for kind, (in_app, email) in choices.items():
        Preference.objects.update_or_create(
            user_id=actor.user_id,
            kind=kind,
            defaults={"in_app": bool(in_app), "email": bool(email)},
        )


@transaction.atomic
def team_categories_set(*, actor: Actor, pairs: Iterable[tuple[int, int]]) -> int:
    """Managers and admins say which categories each team looks after (replacing the whole
    table): its members hear of every new case in them. Returns the number of pairs."""
    if actor.kind != "staff" or not can_configure(actor.user):
        raise NotAllowed(_("Only managers and admins decide which teams look after a category."))
    wanted = set(pairs)
    teams = set(Team.objects.values_list("pk", flat=True))
    categories = set(Category.objects.values_list("pk", flat=True))
    if any(team not in teams or category not in categories for team, category in wanted):
        raise ValidationFailed(_("Unknown team or category."))
    before = sorted(TeamCategory.objects.values_list("team_id", "category_id"))
    TeamCategory.objects.all().delete()
    TeamCategory.objects.bulk_create(
        TeamCategory(team_id=team, category_id=category) for team, category in sorted(wanted)
    )
    audit_append(  # one chain for this configuration, as the organisation's settings have
        case_type="team_categories",
        case_id=0,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action="settings_changed",
        data={"before": [list(p) for p in before], "after": [list(p) for p in sorted(wanted)]},
    )
    return len(wanted)
