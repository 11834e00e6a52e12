"""Reads of dispute cases: the list, one dispute with everything its workspace shows, the held
notices. A dispute is seen by whoever may read its complaint (complaints.visibility)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from plaint.accounts.access import Reader, can_read_complaints, require
from plaint.complaints.visibility import visible_complaints
from plaint.core.errors import NotFound
from plaint.core.models import AuditEvent
from plaint.disputes.lifecycle import OPEN_STATES, State
from plaint.disputes.models import Dispute, HeldNotice, Obligation, SettlementOffer, Submission

READ = gettext_noop("read disputes")
PAGE = 200


def _visible(actor: Reader) -> QuerySet[Dispute]:
    require(can_read_complaints, actor, READ)
    return Dispute.objects.filter(complaint__in=visible_complaints(actor).values("pk"))


def visible_disputes(actor: Reader) -> QuerySet[Dispute]:
    """The disputes ``actor`` may read: those whose complaint they may read."""
    return _visible(actor)


def dispute_list(*, actor: Reader, state: str = "", open_only: bool = False) -> list[Dispute]:
    """The newest disputes first (at most 200), with their complaint, provider and the count of
    obligations not yet done: one statement whatever their number."""
    disputes = _visible(actor).select_related("complaint", "provider")
    if state in State.values:
        disputes = disputes.filter(state=state)
    elif open_only:
        disputes = disputes.filter(state__in=OPEN_STATES)
    disputes = disputes.annotate(
        open_obligations=Count("obligations", filter=Q(obligations__done_at=None))
    )
    return list(disputes.order_by("-opened_at", "-pk")[:PAGE])


def dispute_get(*, actor: Reader, dispute_id: int) -> Dispute:
    """One dispute with its consent, submissions, obligations and offers (five statements)."""
    dispute = (
        _visible(actor)
        .select_related("complaint", "provider", "consent", "consent__recorded_by", "neutral_user")
        .prefetch_related(
            Prefetch("submissions", queryset=Submission.objects.select_related("by", "attachment")),
            Prefetch("obligations", queryset=Obligation.objects.select_related("owner")),
            Prefetch(
                "offers",
                queryset=SettlementOffer.objects.select_related("proposed_by", "approved_by"),
            ),
        )
        .filter(pk=dispute_id)
        .first()
    )
    if dispute is None:
        raise NotFound(_("No such dispute."))
    return dispute


def dispute_timeline(dispute: Dispute) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(case_type="dispute", case_id=dispute.pk).order_by("seq"))


def held_notices(*, actor: Reader) -> list[HeldNotice]:
    """Provider notices waiting to be matched to a complaint, oldest first."""
    require(can_read_complaints, actor, READ)
    return list(
        HeldNotice.objects.filter(matched_to=None)
        .select_related("provider")
        .order_by("received_at", "pk")[:PAGE]
    )


def held_notice_count(*, actor: Reader) -> int:
    """How many provider notices wait to be matched (one count statement)."""
    require(can_read_complaints, actor, READ)
    return HeldNotice.objects.filter(matched_to=None).count()


def submission_files(attachment_ids: list[int]) -> dict[int, int]:
    """Which of these attachments are files of a dispute's file: the dispute's id by the
    attachment's id (the case page names them, ``handlers.on_case_attachments_listing``)."""
    rows = Submission.objects.filter(attachment_id__in=attachment_ids)
    return dict(rows.values_list("attachment_id", "dispute_id"))
