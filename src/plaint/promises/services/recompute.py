"""Recomputing the open complaints a regulatory pause or a calendar change can move, in keyset
batches (the ``recompute_promise_checks`` job runs it)."""

from __future__ import annotations

import datetime as dt
import time

from django.db import models, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.complaints.models import Complaint
from plaint.complaints.states import OPEN
from plaint.core.errors import ValidationFailed
from plaint.core.models import BusinessCalendar
from plaint.promises.models import PromiseCheck
from plaint.promises.services.checks import COMPLAINT_READ_FIELDS, promise_checks_refresh_many
from plaint.promises.states import CheckStatus

RECOMPUTE_BATCH = 500
RECOMPUTE_BUDGET_SECONDS = 30.0
RECOMPUTE_KINDS = ("pause", "calendar")


def _affected_complaints(kind: str, target_id: int | None) -> QuerySet[Complaint]:
    """Open complaints with a pending check that a pause of category ``target_id`` (None: every
    category) or a change of calendar ``target_id`` can move."""

    pending = PromiseCheck.objects.filter(complaint_id=OuterRef("pk"), status=CheckStatus.PENDING)
    complaints = Complaint.objects.filter(state__in=list(OPEN))
    if kind == "pause":
        pending = pending.filter(promise__honours_regulatory_pauses=True)
        if target_id is not None:
            complaints = complaints.filter(category_id=target_id)
    elif kind == "calendar" and target_id is not None:  # a calendar change names its calendar
        on_calendar = models.Q(promise__calendar_id=target_id)
        if BusinessCalendar.objects.filter(pk=target_id, is_default=True).exists():
            on_calendar |= models.Q(promise__calendar__isnull=True)  # "the default calendar"
        pending = pending.filter(on_calendar)
    else:
        raise ValueError(kind)
    return complaints.filter(Exists(pending))


def promise_checks_recompute(
    *,
    kind: str,
    target_id: int | None,
    after_id: int = 0,
    batch_size: int | None = None,
    budget_seconds: float | None = None,
) -> tuple[int, int | None]:
    """Recompute the affected open complaints with ids above ``after_id``, one transaction per
    keyset batch (rows locked, checks read once per batch, bulk writes). Returns (complaints
    walked, id to continue after, or None when done). Idempotent: a recomputation depends only on
    the case, the promises and the pauses, so walking a batch again changes nothing."""
    if kind not in RECOMPUTE_KINDS:
        raise ValidationFailed(_("Unknown recomputation."), fields={"kind": [_("Unknown.")]})
    batch_size = batch_size or RECOMPUTE_BATCH
    budget_seconds = RECOMPUTE_BUDGET_SECONDS if budget_seconds is None else budget_seconds
    began = time.monotonic()
    walked, last = 0, after_id
    while True:
        with transaction.atomic():
            batch = list(
                _affected_complaints(kind, target_id)
                .filter(pk__gt=last)
                .order_by("pk")
                .only(*COMPLAINT_READ_FIELDS)
                .select_for_update()[:batch_size]
            )
            if batch:
                promise_checks_refresh_many(complaints=batch, now=timezone.now())
        if not batch:
            return walked, None
        walked += len(batch)
        last = batch[-1].pk
        if len(batch) < batch_size:
            return walked, None
        if time.monotonic() - began > budget_seconds:
            return walked, last


def promise_checks_refresh_imported(*, complaint_ids: tuple[int, ...], now: dt.datetime) -> int:
    """The checks of complaints whose imported history changed (``ComplaintsImported``), in the
    import's transaction: the cases locked and read once, their checks recomputed together."""
    if not complaint_ids:
        return 0
    complaints = list(
        Complaint.objects.filter(pk__in=complaint_ids)
        .only(*COMPLAINT_READ_FIELDS)
        .select_for_update()
    )
    return promise_checks_refresh_many(complaints=complaints, now=now)
