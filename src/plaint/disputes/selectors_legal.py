"""Reads of the referrals to legal or regulatory authorities: those of one complaint and those
waiting for a manager's review, only of complaints the reader may read."""

from __future__ import annotations

from django.db.models import QuerySet

from plaint.accounts.access import Reader, can_read_complaints, require
from plaint.complaints.models import Complaint
from plaint.complaints.visibility import visible_complaints
from plaint.disputes.models import LegalReferral, LegalReferralState
from plaint.disputes.selectors_cases import READ

PAGE = 200


def _visible(actor: Reader) -> QuerySet[LegalReferral]:
    require(can_read_complaints, actor, READ)
    return LegalReferral.objects.filter(
        complaint__in=visible_complaints(actor).values("pk")
    ).select_related("complaint", "recorded_by", "reviewed_by")


def legal_referrals_of(*, actor: Reader, complaint: Complaint) -> list[LegalReferral]:
    return list(_visible(actor).filter(complaint=complaint).order_by("-recorded_at", "-pk"))


def legal_referrals_waiting(*, actor: Reader) -> list[LegalReferral]:
    """Referrals waiting for review, oldest first (at most 200)."""
    return list(
        _visible(actor)
        .filter(state=LegalReferralState.PROPOSED)
        .order_by("recorded_at", "pk")[:PAGE]
    )
