"""A new complaint's clocks and checks, computed before it is written (``ComplaintReceiving``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Model

from plaint.complaints.models import Complaint
from plaint.core.deadlines import complaint_due_dates
from plaint.core.models import Organisation
from plaint.core.selectors import organisation_get
from plaint.promises.services.checks import promise_checks_plan
from plaint.promises.services.deadlines import applicable_promises, earliest_due_dates
from plaint.promises.services.snapshot import Snapshot, active_promises


def promise_due_dates(
    *,
    received_at: dt.datetime,
    channel: str,
    category_id: int | None,
    product: str,
    organisation: Organisation,
    segment: str = "",
    snap: Snapshot | None = None,
) -> tuple[dt.datetime, dt.datetime]:
    """(acknowledgement due, response due) of a new complaint from the promises that apply: the
    earliest due time of each clock. Falls back to ``core.deadlines`` (on the snapshot's default
    calendar) where no promise applies. ``snap``: the caller's snapshot, not read again."""
    snap = snap or active_promises()
    promises = applicable_promises(
        snap.promises,
        received_at=received_at,
        channel=channel,
        category_id=category_id,
        product=product,
        segment=segment,
    )
    ack, resp = earliest_due_dates(
        promises, snap.pauses, received_at=received_at, category_id=category_id
    )
    if ack is None or resp is None:
        fallback_ack, fallback_resp = complaint_due_dates(
            received_at, organisation, calendar=snap.default_calendar
        )
        ack = ack or fallback_ack
        resp = resp or fallback_resp
    return ack, resp


# Due dates an import has computed, by what they depend on (``complaint_receiving``'s ``memo``):
# a regulator's export dates its complaints by the day, so most of a million cases share a key.
DUE_MEMO_SIZE = 100_000
DueKey = tuple[dt.datetime, str, int | None, str, str]


def complaint_receiving(
    *,
    complaint: Complaint,
    now: dt.datetime,
    rows: list[Model],
    token: str | None = None,
    snap: Snapshot | None = None,
    memo: dict[DueKey, tuple[dt.datetime, dt.datetime]] | None = None,
) -> None:
    """Set the clocks of a complaint about to be written (unsaved, with its id) and append its
    promise checks (unsaved) to ``rows``, which the caller inserts together with it. The promises
    come from the snapshot cached under the configuration ``token`` (the intake read it with the
    new ids; None: read it here, one one-row query), or are ``snap`` when the caller has them.
    ``memo``: the due dates already computed from the same snapshot (an import's), reused."""
    snap = snap or active_promises(token=token)
    key = (
        complaint.received_at, complaint.channel, complaint.category_id, complaint.product,
        complaint.segment,
    )  # fmt: skip
    found = memo.get(key) if memo is not None else None
    if found is None:
        found = promise_due_dates(
            received_at=complaint.received_at,
            channel=complaint.channel,
            category_id=complaint.category_id,
            product=complaint.product,
            organisation=snap.organisation or organisation_get(),
            segment=complaint.segment,
            snap=snap,
        )
        if memo is not None:
            if len(memo) >= DUE_MEMO_SIZE:
                memo.clear()
            memo[key] = found
    ack, resp = found
    complaint.acknowledgement_due_at, complaint.response_due_at = ack, resp
    complaint.acknowledgement_paused = complaint.response_paused = False
    rows += promise_checks_plan(complaint=complaint, now=now, snap=snap)
