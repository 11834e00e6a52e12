"""The cause tree of a corrective action (``plaint.improvement.causetree``): set whole (the API)
or changed one cause at a time (the page). Open while the cause may still be recorded: before the
actions start, and again in a new round after a failed check."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.core.actors import Actor
from plaint.core.errors import InvalidTransition, NotFound, ValidationFailed
from plaint.improvement import causetree
from plaint.improvement.models import CorrectiveAction
from plaint.improvement.services.common import CA_CASE_TYPE, audit, require_manager
from plaint.improvement.states import TRANSITIONS, Step

Edit = Literal["add", "remove", "root"]


def _locked_for_causes(actor: Actor, ca_id: int) -> CorrectiveAction:
    require_manager(actor)
    ca = CorrectiveAction.objects.select_for_update().filter(pk=ca_id).first()
    if ca is None:
        raise NotFound(_("No such corrective action."))
    if ca.state not in TRANSITIONS[Step.RECORD_CAUSE].sources:
        raise InvalidTransition(_("The cause tree can no longer be changed."))
    return ca


def _save(
    ca: CorrectiveAction, actor: Actor, nodes: list[dict[str, Any]], now: dt.datetime | None
) -> CorrectiveAction:
    ca.cause_tree = nodes
    ca.updated_at = now or timezone.now()
    ca.save(update_fields=["cause_tree", "updated_at"])
    root = causetree.root_of(nodes)
    audit(
        CA_CASE_TYPE,
        ca.pk,
        actor,
        "cause_tree_changed",
        {"cause_tree": nodes, "root_cause_node": root["id"] if root else None},
        at=now,
    )
    return ca


@transaction.atomic
def corrective_action_cause_tree_set(
    *, actor: Actor, ca_id: int, nodes: Any, now: dt.datetime | None = None
) -> CorrectiveAction:
    """Replace the whole tree (checked by ``causetree.tree_clean``); an empty list clears it."""
    ca = _locked_for_causes(actor, ca_id)
    return _save(ca, actor, causetree.tree_clean(nodes), now)


@transaction.atomic
def corrective_action_cause_tree_edit(
    *,
    actor: Actor,
    ca_id: int,
    edit: Edit,
    node_id: int | None = None,
    text: str = "",
    now: dt.datetime | None = None,
) -> CorrectiveAction:
    """One change to the tree as it is now: ``add`` a cause ``text`` under ``node_id`` (None:
    under the problem), ``remove`` ``node_id`` with the causes under it, or mark ``node_id``
    as the ``root`` cause (the one mark moves there)."""
    ca = _locked_for_causes(actor, ca_id)
    nodes = list(ca.cause_tree)
    if node_id is not None and not causetree.has(nodes, node_id):
        raise ValidationFailed(
            _("Check the highlighted fields."),
            fields={"parent": [_("That cause is no longer in the tree.")]},
        )
    if edit == "add":
        nodes = causetree.with_added(nodes, parent=node_id, text=text)
    elif edit == "remove" and node_id is not None:
        nodes = causetree.with_removed(nodes, node_id)
    elif edit == "root" and node_id is not None:
        nodes = causetree.with_root(nodes, node_id)
    else:
        raise ValidationFailed(_("Unknown change to the cause tree."))
    return _save(ca, actor, causetree.tree_clean(nodes), now)
