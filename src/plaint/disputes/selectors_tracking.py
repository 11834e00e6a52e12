"""What the complainant's tracking page shows of external dispute resolution: when their
complaint ended unresolved, the providers it may go to (cost, last day to refer, how, and the
consent text for each method), and then the disputes it went to. The caller has the complaint
from its tracking token; nothing here reads another complaint."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import translation

from plaint.complaints.models import Complaint
from plaint.complaints.states import ClosureReason
from plaint.complaints.states import State as ComplaintState
from plaint.disputes.consent import consent_text, fee_sentence
from plaint.disputes.lifecycle import OPEN_STATES, REFERRABLE
from plaint.disputes.models import Dispute, Obligation, Provider, ProviderMethod, Submission
from plaint.disputes.selectors import eligible_providers, response_deadline_missed


def is_unresolved(complaint: Complaint) -> bool:
    """The complaint ended without the complainant's agreement: the decision is sent and not
    accepted (or under internal review), the deadline for the response passed without one, or
    the case was closed without their acceptance."""
    if complaint.state in REFERRABLE or response_deadline_missed(complaint):
        return True
    return (
        complaint.state == ComplaintState.CLOSED
        and complaint.closure_reason == ClosureReason.NO_ANSWER
        and complaint.decision_at is not None
    )


@dataclass(frozen=True)
class MethodOffer:
    method: ProviderMethod
    fee: str  # what it costs the complainant, and who pays, in one sentence
    consent: str  # the exact words shown before the complainant agrees


@dataclass(frozen=True)
class Offer:
    """One provider the complainant may choose, with its methods."""

    provider: Provider
    refer_by: dt.date | None
    methods: list[MethodOffer]


def tracking_offers(complaint: Complaint, language: str) -> list[Offer]:
    """The eligible providers for an unresolved complaint with no open dispute; else none."""
    if not is_unresolved(complaint) or complaint_has_open_dispute(complaint):
        return []
    offers = []
    for answer in eligible_providers(complaint):
        methods = list(answer.provider.methods.all())
        if not answer.eligible or not methods:
            continue
        with translation.override(language):
            items = [
                MethodOffer(
                    m,
                    fee_sentence(m),
                    consent_text(complaint, answer.provider, m, answer.refer_by, language),
                )
                for m in methods
            ]
        offers.append(Offer(answer.provider, answer.refer_by, items))
    return offers


def complaint_has_open_dispute(complaint: Complaint) -> bool:
    return Dispute.objects.filter(complaint=complaint, state__in=OPEN_STATES).exists()


# The submissions of a dispute's file the complainant sees on their tracking page (and gets in
# an export of their data: privacy.exports): their own, whoever put them in the file (the
# complainant from the page, or staff for a document they sent by post or e-mail) ...
OWN_SUBMISSIONS = Q(side="complainant")
# ... and the provider's requests for information addressed to them.
ASKED_OF_COMPLAINANT = Q(side="provider", kind="request", addressed_to="complainant")


def tracking_disputes(complaint: Complaint) -> list[Dispute]:
    """The complaint's disputes, newest first, with the provider, the complainant's own
    submissions, the neutral's requests for information addressed to the complainant and the
    obligations of the outcome (five statements)."""
    return list(
        Dispute.objects.filter(complaint=complaint)
        .select_related("provider")
        .prefetch_related(
            Prefetch(
                "submissions",
                queryset=Submission.objects.filter(OWN_SUBMISSIONS).select_related("attachment"),
                to_attr="own_submissions",
            ),
            Prefetch(
                "submissions",
                queryset=Submission.objects.filter(ASKED_OF_COMPLAINANT),
                to_attr="asked_of_complainant",
            ),
            Prefetch("obligations", queryset=Obligation.objects.order_by("due_on", "pk")),
        )
        .order_by("-opened_at", "-pk")
    )
