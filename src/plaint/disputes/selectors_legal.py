"""Reads of the referrals to legal or regulatory authorities: those of one complaint and those
waiting for a manager's review, only of complaints the reader may read."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader, can_read_complaints, require
from plaint.complaints.models import Complaint
from plaint.complaints.visibility import visible_complaints
from plaint.core.errors import NotFound
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


def legal_referral_states(*, actor: Reader, complaint: Complaint) -> list[LegalReferral]:
    """The complaint's referrals as the staff case page's panel lists them (authority and
    state), newest first, for a ``complaint`` the page read through ``complaint_get`` — the
    actor's visibility was asked there, so this statement does not join the complaints again
    (the panel's cost on the case page: bench/case_page.py)."""
    require(can_read_complaints, actor, READ)
    found = LegalReferral.objects.filter(complaint_id=complaint.pk).only("authority", "state")
    return list(found.order_by("-recorded_at", "-pk"))


def legal_referral_exists() -> Exists:
    """Whether a complaint has a referral, as an expression over the complaint's row (the case
    page reads it with the complaint: ``handlers.on_case_page_reading``)."""
    return Exists(LegalReferral.objects.filter(complaint_id=OuterRef("pk")))


def legal_referrals_waiting(*, actor: Reader) -> list[LegalReferral]:
    """Referrals waiting for review, oldest first (at most 200)."""
    return list(
        _visible(actor)
        .filter(state=LegalReferralState.PROPOSED)
        .order_by("recorded_at", "pk")[:PAGE]
    )


def legal_referral_list(
    *, actor: Reader, state: str = "", complaint_reference: str = "", limit: int = PAGE
) -> list[LegalReferral]:
    """The referrals the reader may read, newest first, by state and complaint when given."""
    found = _visible(actor)
    if state:
        found = found.filter(state=state)
    if complaint_reference:
        found = found.filter(complaint__reference=complaint_reference)
    return list(found.order_by("-recorded_at", "-pk")[: min(limit, PAGE)])


def legal_referral_get(*, actor: Reader, referral_id: int) -> LegalReferral:
    """One referral of a complaint the reader may read; any other is "not found"."""
    found = _visible(actor).filter(pk=referral_id).first()
    if found is None:
        raise NotFound(_("No such referral."))
    return found
