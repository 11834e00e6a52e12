"""Regulatory pauses, calendar changes and the background recomputation of the open complaints
whose clocks they move."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from plaint.accounts.access import can_configure, require
from plaint.complaints.models import Category
from plaint.core.actors import Actor
from plaint.core.errors import NotFound, ValidationFailed
from plaint.promises import tasks
from plaint.promises.models import RegulatoryPause
from plaint.promises.services.common import audit
from plaint.promises.services.snapshot import config_changed


def promise_calendar_changed(*, calendar_id: int) -> None:
    """Called by ``core.services`` inside each calendar write (opening hours, country, time zone,
    default flag, closed days): every process reloads its promises with the new calendar, and the
    open complaints whose promises count on it are recomputed by a background job."""
    config_changed()
    recompute_enqueue(kind="calendar", target_id=calendar_id)


def recompute_enqueue(*, kind: str, target_id: int | None) -> None:
    """Enqueue the recomputation of the complaints a pause or calendar change touches, inside the
    caller's transaction (the job runs once the change is committed)."""
    tasks.recompute_promise_checks.enqueue(kind, target_id, 0)


def recompute_pending() -> bool:
    """Whether a recomputation job is queued or running (the pauses page says so)."""

    return DBTaskResult.objects.filter(
        task_path=tasks.recompute_promise_checks.module_path, status__in=["READY", "RUNNING"]
    ).exists()


@transaction.atomic
def regulatory_pause_create(
    *,
    actor: Actor,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str,
    category_code: str = "",
) -> RegulatoryPause:
    """Stop the clocks of promises that honour regulatory pauses, for a category (or all)."""
    require(can_configure, actor.user, _("record regulatory pauses"))
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Say which regulator decision stops the clock.")]
    if not starts_at or not ends_at or ends_at <= starts_at:
        errors["ends_at"] = [_("The end must be after the start.")]
    category = None
    if category_code:
        category = Category.objects.filter(code=category_code).first()
        if category is None:
            errors["category"] = [_("Unknown category.")]
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    pause = RegulatoryPause.objects.create(
        category=category,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason[:5000],
        created_by=actor.user,
        created_at=timezone.now(),
    )
    audit(
        "regulatory_pause",
        pause.pk,
        actor,
        "regulatory_pause_created",
        {
            "category": category_code or None,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
        },
    )
    config_changed()
    recompute_enqueue(kind="pause", target_id=pause.category_id)
    return pause


@transaction.atomic
def regulatory_pause_delete(*, actor: Actor, pause_id: int) -> None:
    require(can_configure, actor.user, _("record regulatory pauses"))
    pause = RegulatoryPause.objects.filter(pk=pause_id).first()
    if pause is None:
        raise NotFound(_("No such pause."))
    category_id = pause.category_id
    audit("regulatory_pause", pause.pk, actor, "regulatory_pause_deleted", {})
    pause.delete()
    config_changed()
    recompute_enqueue(kind="pause", target_id=category_id)
