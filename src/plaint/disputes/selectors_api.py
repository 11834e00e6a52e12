"""Reads of dispute cases for the API: the list by keyset pages (newest first, filtered by state,
provider and method). Visibility is the cases' own (``selectors_cases.visible_disputes``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader
from plaint.complaints.selectors import _decode_cursor, _encode_cursor
from plaint.core.errors import NotFound
from plaint.core.pagination import page_size
from plaint.disputes.models import Dispute, SettlementOffer, Submission
from plaint.disputes.selectors_cases import visible_disputes


@dataclass(frozen=True)
class DisputeFilters:
    state: str = ""
    provider: int | None = None
    method: str = ""


@dataclass
class DisputePage:
    items: list[Dispute]
    next_cursor: str | None


def dispute_page(
    *, actor: Reader, filters: DisputeFilters, cursor: str | None = None, limit: int = 50
) -> DisputePage:
    """One page of the disputes ``actor`` may read, newest first by keyset (``opened_at``, id),
    with their complaint, provider and open obligations: one statement at any depth."""
    qs = visible_disputes(actor).select_related("complaint", "provider")
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.provider is not None:
        qs = qs.filter(provider_id=filters.provider)
    if filters.method:
        qs = qs.filter(method=filters.method)
    if cursor:
        at, last_id = _decode_cursor(cursor, "")
        qs = qs.filter(Q(opened_at__lt=at) | Q(opened_at=at, pk__lt=last_id))
    qs = qs.annotate(open_obligations=Count("obligations", filter=Q(obligations__done_at=None)))
    limit = page_size(limit, default=50)
    rows: list[Dispute] = list(qs.order_by("-opened_at", "-pk")[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = _encode_cursor([rows[-1].opened_at, rows[-1].pk])
    return DisputePage(items=rows, next_cursor=next_cursor)


def offer_get(*, actor: Reader, offer_id: int) -> SettlementOffer:
    """One settlement offer of a dispute ``actor`` may read, else NotFound."""
    offer = (
        SettlementOffer.objects.select_related("proposed_by", "approved_by")
        .filter(pk=offer_id, dispute__in=visible_disputes(actor).values("pk"))
        .first()
    )
    if offer is None:
        raise NotFound(_("No such offer."))
    return offer


def submission_get(*, actor: Reader, submission_id: int) -> Submission:
    """One submission of a dispute ``actor`` may read, else NotFound."""
    found = (
        Submission.objects.select_related("by", "attachment")
        .filter(pk=submission_id, dispute__in=visible_disputes(actor).values("pk"))
        .first()
    )
    if found is None:
        raise NotFound(_("No such submission."))
    return found
