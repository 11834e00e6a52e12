"""Objectives (ISO 9001:2015 6.2; ISO 10002 8.4): measurable, owned, over a period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.core.actors import Actor
from plaint.core.errors import NotFound, ValidationFailed
from plaint.improvement import indicators
from plaint.improvement.models import Objective
from plaint.improvement.services.common import (
    OBJECTIVE_CASE_TYPE,
    audit,
    owner_clean,
    period_clean,
    require_manager,
    target_clean,
    text_clean,
)


def _snapshot(o: Objective) -> dict[str, Any]:
    return {
        "name": o.name,
        "owner": o.owner.get_username(),
        "indicator": o.indicator,
        "criterion": [o.comparison, o.target],
        "period": [f"{o.period_start:%Y-%m}", f"{o.period_end:%Y-%m}"],
        "active": o.active,
    }


@transaction.atomic
def objective_create(
    *,
    actor: Actor,
    name: str,
    owner_id: int,
    indicator: dict[str, Any],
    comparison: str,
    target: float,
    period_start: dt.date,
    period_end: dt.date,
    now: dt.datetime | None = None,
) -> Objective:
    require_manager(actor)
    comparison, target = target_clean(comparison, target)
    start, end = period_clean(period_start, period_end)
    now = now or timezone.now()
    objective = Objective.objects.create(
        name=text_clean(name, "name", limit=200),
        owner=owner_clean(owner_id),
        indicator=indicators.spec_clean(indicator),
        comparison=comparison,
        target=target,
        period_start=start,
        period_end=end,
        created_at=now,
        updated_at=now,
    )
    audit(OBJECTIVE_CASE_TYPE, objective.pk, actor, "created", _snapshot(objective), at=now)
    return objective


@transaction.atomic
def objective_update(*, actor: Actor, objective_id: int, **changes: Any) -> Objective:
    """Change any of name, owner_id, indicator, comparison, target, period_start, period_end,
    active; the audit event records the whole objective after the change."""
    require_manager(actor)
    objective = Objective.objects.select_for_update().filter(pk=objective_id).first()
    if objective is None:
        raise NotFound(_("No such objective."))
    allowed = {
        "name",
        "owner_id",
        "indicator",
        "comparison",
        "target",
        "period_start",
        "period_end",
        "active",
    }
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationFailed(_("Unknown field."), fields={unknown[0]: [_("Unknown field.")]})
    if "name" in changes:
        objective.name = text_clean(changes["name"], "name", limit=200)
    if "owner_id" in changes:
        objective.owner = owner_clean(changes["owner_id"])
    if "indicator" in changes:
        objective.indicator = indicators.spec_clean(changes["indicator"])
    objective.comparison, objective.target = target_clean(
        changes.get("comparison", objective.comparison), changes.get("target", objective.target)
    )
    objective.period_start, objective.period_end = period_clean(
        changes.get("period_start", objective.period_start),
        changes.get("period_end", objective.period_end),
    )
    if "active" in changes:
        objective.active = bool(changes["active"])
    objective.updated_at = timezone.now()
    objective.save()
    audit(OBJECTIVE_CASE_TYPE, objective.pk, actor, "updated", _snapshot(objective))
    return objective
