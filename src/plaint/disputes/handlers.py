"""What the disputes app does when lower apps publish events (docs/architecture.md), and its
periodic duties."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plaint.complaints.events import (
    AttachmentNote,
    CaseAttachmentsListing,
    CaseMailComposing,
    CasePageComposing,
    CasePageReading,
    DisputeOutcomeRecorded,
    Panel,
    TrackingPageComposing,
)
from plaint.core.duties import register_duty
from plaint.disputes.consent import fee_sentence, last_day_sentence
from plaint.disputes.models import Dispute, dispute_reference
from plaint.disputes.selectors_cases import submission_files
from plaint.disputes.selectors_legal import legal_referral_exists, legal_referral_states
from plaint.disputes.selectors_tracking import Offer, tracking_offers
from plaint.disputes.services.cases import dispute_from_case_outcome
from plaint.disputes.services.overdue import obligations_overdue_sweep

# The case page's annotation: whether the complaint has a legal referral (on_case_page_reading).
HAS_REFERRAL = "has_legal_referral"
# The mails that carry the organisation's final response: they name the providers.
FINAL_RESPONSE_MAILS = frozenset({"decision"})


def on_dispute_outcome_recorded(event: DisputeOutcomeRecorded) -> None:
    dispute_from_case_outcome(complaint_id=event.complaint.pk)


def on_tracking_page_composing(event: TrackingPageComposing) -> None:
    """The tracking page names the providers an unresolved complaint may go to, or follows its
    disputes; the choice, the consent and the evidence are on the disputes app's own page."""
    disputes = list(
        Dispute.objects.filter(complaint=event.complaint)
        .select_related("provider")
        .order_by("-opened_at", "-pk")
    )
    offers = [] if disputes else tracking_offers(event.complaint, translation.get_language())
    if disputes or offers:
        context = {"token": event.token, "disputes": disputes, "offers": offers}
        event.panels.append(Panel("disputes/public/_track_panel.html", context))


def offer_paragraph(offers: list[Offer]) -> str:
    """The providers, what each way costs, the last day to refer and how, as plain text in the
    active language."""
    lines = [_("If you are not satisfied with our decision, you may take your complaint to an "
               "independent dispute-resolution body:")]  # fmt: skip
    for offer in offers:
        lines.append(f"- {offer.provider.name}")
        lines += [f"  {m.method.get_method_display()}: {fee_sentence(m.method)}"
                  for m in offer.methods]  # fmt: skip
        if offer.refer_by:
            lines.append("  " + last_day_sentence(offer.refer_by))
        if offer.provider.how_to_submit:
            lines.append("  " + _("How: %(how)s") % {"how": offer.provider.how_to_submit})
    lines.append(
        _("To choose one and give your consent, open the page of your case (the link below).")
    )
    return "\n".join(lines)


def on_case_mail_composing(event: CaseMailComposing) -> None:
    if event.kind not in FINAL_RESPONSE_MAILS:
        return
    with translation.override(event.language):
        offers = tracking_offers(event.complaint, event.language)
        if offers:
            event.sections.append(offer_paragraph(offers))


def on_case_page_reading(event: CasePageReading) -> None:
    """Whether the complaint has a referral, read with the complaint: most have none, and their
    panel then needs no statement of its own (bench/case_page.py)."""
    event.annotations[HAS_REFERRAL] = legal_referral_exists()


def on_case_page_composing(event: CasePageComposing) -> None:
    """The staff case page shows the complaint's referrals to a legal or regulatory authority."""
    # the page read the complaint for this user (complaint_get): its visibility is known
    referrals = []
    if getattr(event.complaint, HAS_REFERRAL, True):  # not read with the complaint: ask
        referrals = legal_referral_states(actor=event.user, complaint=event.complaint)
    event.panels.append(Panel("disputes/_case_panel.html", {"referrals": referrals}))


def on_case_attachments_listing(event: CaseAttachmentsListing) -> None:
    """The case page names a file of a dispute's file (kept as an attachment of the complaint
    that is not among its public files) with its dispute, rather than "internal". Only such
    files are asked about: a case without one reads nothing more."""
    candidates = [a.pk for a in event.attachments if not a.public and a.message_id is None]
    if not candidates:
        return
    for attachment_id, dispute_id in submission_files(candidates).items():
        event.notes[attachment_id] = AttachmentNote(
            text=_("in the file of dispute %(reference)s")
            % {"reference": dispute_reference(dispute_id)},
            url=reverse("disputes:dispute", kwargs={"dispute_id": dispute_id}),
            # Django Ninja names each operation's URL after its function (disputes.api_cases)
            api=reverse("api:dispute_detail", kwargs={"dispute_id": dispute_id}),
        )


def register_duties() -> None:
    register_duty(
        "disputes.obligations_overdue",
        obligations_overdue_sweep,
        label=gettext_lazy("Dispute outcomes: alerts of overdue obligations"),
    )
