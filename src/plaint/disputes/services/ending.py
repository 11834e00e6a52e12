"""What follows when a dispute ends (closed, withdrawn or out of the provider's scope): the
complainant is invited to the dispute-closed survey (ISO 10004 after ISO 10003's process)."""

from __future__ import annotations

from plaint.disputes.models import Dispute
from plaint.surveys.services import survey_invite_after_dispute


def dispute_survey_invite(dispute: Dispute) -> None:
    """Invite the complainant to the active dispute-closed survey, in the caller's transaction.

    The invitation is keyed by the complaint's reference, the key the complaint page's older
    "record the dispute's outcome" step also uses (surveys hears of that one itself): whichever
    path ends the dispute first invites, the other finds the invitation and adds none. The survey's
    own rules apply (sampling, delay, opt-out, quiet period, an address needed)."""
    complainant = dispute.complaint.complainant
    if not complainant.email:
        return
    survey_invite_after_dispute(
        dispute_ref=dispute.complaint.reference or "",
        email=complainant.email,
        name=complainant.name,
        language=complainant.language,
    )
