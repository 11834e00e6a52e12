"""The queue's saved views and the last view it remembers for each person. A view is only a set
of the queue's filter parameters (``complaints.queue_views``): choosing one opens the queue with
them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.accounts.access import (
    Reader,
    can_change_saved_view,
    can_read_complaints,
    can_share_queue_views,
)
from plaint.accounts.models import Team, User
from plaint.complaints.models import SAVED_VIEW_QUERY_MAX, QueuePreference, SavedView
from plaint.complaints.queue_views import canonical_from_string
from plaint.core.errors import NotAllowed, NotFound, ValidationFailed
from plaint.core.limits import max_length

NAME_MAX = max_length(SavedView, "name")


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed(
            _("Give the view a name."), fields={"name": [_("This field is required.")]}
        )
    if len(name) > NAME_MAX:
        raise ValidationFailed(
            _("The name is too long."),
            fields={"name": [_("At most %(limit)s characters.") % {"limit": NAME_MAX}]},
        )
    return name


def _clean_query(query: str) -> str:
    query = canonical_from_string(query or "")
    if len(query) > SAVED_VIEW_QUERY_MAX:
        raise ValidationFailed(_("These filters are too long to save."))
    return query


def _staff(user: Reader) -> User:
    if not isinstance(user, User) or not can_read_complaints(user):
        raise NotAllowed(_("Your role may not read complaints."))
    return user


def saved_view_create(
    *, user: Reader, name: str, query: str, team_id: int | None = None
) -> SavedView:
    """Save the queue's filters ``query`` under ``name``: the person's own view, or (a manager)
    one shared with every member of a team."""
    owner = _staff(user)
    team = None
    if team_id is not None:
        if not can_share_queue_views(owner):
            raise NotAllowed(_("Only managers and admins share views with a team."))
        team = Team.objects.filter(pk=team_id).first()
        if team is None:
            raise ValidationFailed(_("Unknown team."), fields={"team": [_("Unknown team.")]})
    return SavedView.objects.create(
        owner=owner, team=team, name=_clean_name(name), query=_clean_query(query)
    )


def _changeable(reader: Reader, view_id: int) -> SavedView:
    user = _staff(reader)
    view = SavedView.objects.select_for_update().filter(pk=view_id).first()
    visible = view is not None and (view.owner_id == user.pk or view.team_id is not None)
    if view is None or not visible:
        raise NotFound(_("No such view."))
    if not can_change_saved_view(user, owner_id=view.owner_id, team_id=view.team_id):
        raise NotAllowed(_("Only its owner, or a manager for a team's view, may change this view."))
    return view


@transaction.atomic
def saved_view_rename(*, user: Reader, view_id: int, name: str) -> SavedView:
    view = _changeable(user, view_id)
    view.name = _clean_name(name)
    view.save(update_fields=["name", "updated_at"])
    return view


@transaction.atomic
def saved_view_delete(*, user: Reader, view_id: int) -> str:
    """Delete the view; returns its name (for the page that says it is gone)."""
    view = _changeable(user, view_id)
    name = view.name
    view.delete()
    return name


def queue_view_remember(*, user: Reader, query: str, known: str | None) -> None:
    """Remember ``query`` as the filters ``user`` last looked at. ``known`` is what the caller
    read as remembered (None: nothing yet): unchanged filters write nothing."""
    query = canonical_from_string(query)
    if query == (known or "") or len(query) > SAVED_VIEW_QUERY_MAX:
        return
    # One statement, an upsert: a second tab remembering at the same moment cannot collide.
    QueuePreference.objects.bulk_create(
        [QueuePreference(user=_staff(user), last_query=query, updated_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["last_query", "updated_at"],
    )
