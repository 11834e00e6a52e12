"""Dispute cases (ISO 10003 clause 7): opened from a referral with the complainant's informed
consent or from a provider's notice (a repeated notice merges, one for an unknown complaint is
held), then taken through the lifecycle of ``plaint.disputes.lifecycle``. Every change is an event
in the dispute's hash-chained audit trail."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from plaint.accounts.access import can_work_complaints, require
from plaint.complaints.models import Complaint
from plaint.complaints.services import complaint_refer_external
from plaint.complaints.visibility import visible_complaints
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.errors import (
    Conflict,
    InvalidTransition,
    NotAllowed,
    NotFound,
    ValidationFailed,
)
from plaint.core.models import Attachment
from plaint.core.selectors import organisation_get
from plaint.core.uploads import check_upload
from plaint.disputes.lifecycle import OPEN_STATES, REFERRABLE, State, Step, allowed_steps
from plaint.disputes.models import Consent, Dispute, HeldNotice, Provider
from plaint.disputes.selectors import due_after, eligible_providers
from plaint.disputes.services.common import amount, currency, invalid, text
from plaint.disputes.services.ending import dispute_survey_invite

DISPUTE_CASE_TYPE = "dispute"
CONSENT_CHANNELS = ("tracking_page", "phone", "letter", "email", "in_person")


def audit(
    dispute: Dispute, actor: Actor, action: str, data: dict[str, Any], at: dt.datetime
) -> None:
    audit_append(
        case_type=DISPUTE_CASE_TYPE,
        case_id=dispute.pk,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        data=data,
        at=at,
    )


def require_worker(actor: Actor) -> None:
    """Handlers, managers and admins work disputes; the system (imports, the worker) too."""
    if actor.kind == "system":
        return
    if actor.kind != "staff":
        raise NotAllowed(_("Only staff may do this."))
    require(can_work_complaints, actor.user, gettext_noop("work disputes"))


def _complaint_for(actor: Actor, complaint_id: int) -> Complaint:
    complaints = Complaint.objects.all()
    if actor.kind == "staff":
        complaints = visible_complaints(actor.user)
    complaint = complaints.select_for_update().filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound(_("No such complaint."))
    return complaint


def _provider(provider_id: int) -> Provider:
    provider = Provider.objects.prefetch_related("methods").filter(pk=provider_id).first()
    if provider is None:
        raise NotFound(_("No such provider."))
    return provider


def _new(
    complaint: Complaint, provider: Provider, method: str, via: str, now: dt.datetime
) -> Dispute:
    offered = {m.method: m for m in provider.methods.all()}
    if method not in offered:
        raise invalid("method", _("The provider does not offer this method."))
    terms = offered[method]
    return Dispute.objects.create(
        complaint=complaint,
        provider=provider,
        method=method,
        state=State.NOTICE,
        opened_via=via,
        binding_on_organisation=terms.binding_on_organisation,
        binding_on_complainant=terms.binding_on_complainant,
        opened_at=now,
        position_due=due_after(now, provider.answer_within, provider.answer_within_unit),
    )


@dataclass(frozen=True)
class ConsentInput:
    """What the complainant was shown and agreed to. The moment is always the moment it is
    recorded: consent cannot be backdated."""

    channel: str
    text_shown: str
    language: str


def _consent_clean(consent: ConsentInput) -> ConsentInput:
    if consent.channel not in CONSENT_CHANNELS:
        raise invalid("channel", _("Say how the complainant gave their consent."))
    if consent.language not in {code for code, _name in settings.LANGUAGES}:
        raise invalid("language", _("Choose the language the consent text was shown in."))
    shown = text(consent.text_shown, "text_shown", required=True, limit=5000)
    return ConsentInput(consent.channel, shown, consent.language)


@transaction.atomic
def dispute_refer(
    *,
    actor: Actor,
    complaint_id: int,
    provider_id: int,
    method: str,
    consent: ConsentInput,
    claimed_amount: Any = None,
    claim_currency: str = "",
    now: dt.datetime | None = None,
) -> Dispute:
    """Refer a complaint the organisation could not resolve to an eligible provider, with the
    complainant's informed consent (given on the tracking page, or to staff who record it)."""
    require_worker(actor)
    now = now or timezone.now()
    consent = _consent_clean(consent)
    complaint = _complaint_for(actor, complaint_id)
    provider = _provider(provider_id)
    claim = amount(claimed_amount, "claimed_amount")
    code = currency(claim_currency, "claim_currency", required=claim is not None)
    answer = next((a for a in eligible_providers(complaint, value=claim, value_currency=code)
                   if a.provider.pk == provider.pk), None)  # fmt: skip
    if answer is None or not answer.eligible:
        reasons = "; ".join(answer.reasons) if answer else _("it is not offered")
        raise invalid(
            "provider_id", _("This provider may not take the case: %(why)s.") % {"why": reasons}
        )
    if Dispute.objects.filter(
        complaint=complaint, provider=provider, state__in=OPEN_STATES
    ).exists():
        raise Conflict(_("The complaint is already before this provider."))
    dispute = _new(complaint, provider, method, "referral", now)
    dispute.claimed_amount, dispute.currency = claim, code
    dispute.save(update_fields=["claimed_amount", "currency"])
    Consent.objects.create(
        dispute=dispute,
        given_at=now,
        channel=consent.channel,
        text_shown=consent.text_shown,
        language=consent.language,
        recorded_by=actor.user,
        recorded_at=now,
    )
    if complaint.state in REFERRABLE and actor.kind == "staff":
        complaint_refer_external(complaint_id=complaint.pk, actor=actor)
    audit(dispute, actor, "referred", _opening(dispute, consent.channel, consent.language), now)
    return dispute


def _opening(dispute: Dispute, channel: str = "", language: str = "") -> dict[str, Any]:
    return {
        "complaint": dispute.complaint.reference,
        "provider": dispute.provider.name,
        "method": dispute.method,
        "provider_reference": dispute.provider_reference,
        "claimed_amount": str(dispute.claimed_amount)
        if dispute.claimed_amount is not None
        else None,
        "currency": dispute.currency,
        "consent_channel": channel,
        "consent_language": language,
        "position_due": dispute.position_due.isoformat() if dispute.position_due else None,
    }


@dataclass
class NoticeResult:
    dispute: Dispute | None
    held: HeldNotice | None
    merged: bool  # the notice joined a dispute that already existed


@transaction.atomic
def dispute_notice_receive(
    *,
    actor: Actor,
    provider_id: int,
    provider_reference: str,
    complaint_reference: str,
    method: str,
    details: str = "",
    now: dt.datetime | None = None,
) -> NoticeResult:
    """A provider's notice that a complainant brought a case. The same provider reference twice
    is one dispute; a notice for a complaint already referred to the provider joins that dispute;
    a notice naming no complaint Plaint knows is held for a person to match, never lost."""
    require_worker(actor)
    now = now or timezone.now()
    provider = _provider(provider_id)
    reference = text(provider_reference, "provider_reference", required=True, limit=100)
    details = text(details, "details", limit=5000)
    existing = (
        Dispute.objects.select_for_update()
        .filter(provider=provider, provider_reference=reference)
        .first()
    )
    if existing is not None:
        return NoticeResult(existing, None, True)
    held = (
        HeldNotice.objects.select_for_update()
        .filter(provider=provider, provider_reference=reference)
        .first()
    )
    if held is not None and held.matched_to_id is None:
        return NoticeResult(None, held, True)
    complaint = Complaint.objects.filter(reference=complaint_reference.strip()).first()
    if complaint is None:
        held = HeldNotice.objects.create(
            provider=provider,
            provider_reference=reference,
            complaint_reference=text(complaint_reference, "complaint_reference", limit=100),
            details=details,
            received_at=now,
        )
        return NoticeResult(None, held, False)
    return _notice_to_dispute(actor, complaint, provider, reference, method, now)


def _notice_to_dispute(
    actor: Actor,
    complaint: Complaint,
    provider: Provider,
    reference: str,
    method: str,
    now: dt.datetime,
) -> NoticeResult:
    referred = (
        Dispute.objects.select_for_update()
        .filter(
            complaint=complaint, provider=provider, provider_reference="", state__in=OPEN_STATES
        )
        .first()
    )
    if referred is not None:
        referred.provider_reference = reference
        referred.version += 1
        referred.save(update_fields=["provider_reference", "version"])
        audit(referred, actor, "notice_joined", {"provider_reference": reference}, now)
        return NoticeResult(referred, None, True)
    dispute = _new(complaint, provider, method, "notice", now)
    dispute.provider_reference = reference
    dispute.save(update_fields=["provider_reference"])
    audit(dispute, actor, "notice", _opening(dispute), now)
    return NoticeResult(dispute, None, False)


@transaction.atomic
def held_notice_match(
    *, actor: Actor, notice_id: int, complaint_id: int, method: str, now: dt.datetime | None = None
) -> Dispute:
    """A person matches a held notice to the complaint it is about: the dispute opens."""
    require_worker(actor)
    now = now or timezone.now()
    held = HeldNotice.objects.select_for_update().filter(pk=notice_id, matched_to=None).first()
    if held is None:
        raise NotFound(_("No such held notice."))
    complaint = _complaint_for(actor, complaint_id)
    result = _notice_to_dispute(
        actor, complaint, held.provider, held.provider_reference, method, now
    )
    assert result.dispute is not None
    held.matched_to, held.matched_at = result.dispute, now
    held.save(update_fields=["matched_to", "matched_at"])
    return result.dispute


def file_attachment(complaint_id: int, upload: UploadedFile) -> Attachment:
    """A file put in a dispute's file with a submission, checked for size and type like every
    upload (a refusal names the form's ``attachment`` field), stored as an attachment of the
    complaint that is not among the complaint's public files: the dispute's page lists it with
    its submission, and the case bundle's ZIP carries it to the provider."""
    try:
        checked = check_upload(upload)
    except ValidationFailed as exc:
        exc.fields = {("attachment" if k == "attachments" else k): v for k, v in exc.fields.items()}
        raise
    attachment = checked.attachment(complaint_id=complaint_id, public=False)
    attachment.save()
    return attachment


def locked_visible(dispute_id: int, actor: Actor) -> Dispute:
    """The dispute, locked, or NotFound for one whose complaint the staff actor may not read."""
    dispute = (
        Dispute.objects.select_for_update()
        .select_related("complaint", "provider")
        .filter(pk=dispute_id)
        .first()
    )
    if dispute is None or (
        actor.kind == "staff"
        and not visible_complaints(actor.user).filter(pk=dispute.complaint_id).exists()
    ):
        raise NotFound(_("No such dispute."))
    return dispute


def locked_open(dispute_id: int, actor: Actor) -> Dispute:
    """The dispute, locked, while it is still open (its file and offers still change)."""
    dispute = locked_visible(dispute_id, actor)
    if dispute.state not in OPEN_STATES:
        raise InvalidTransition(_("This dispute is over."))
    return dispute


def locked(dispute_id: int, actor: Actor, step: str, expected_version: int | None) -> Dispute:
    """The dispute, locked, after checking the step is allowed now (and the version, if given)."""
    dispute = locked_visible(dispute_id, actor)
    if expected_version is not None and dispute.version != expected_version:
        raise Conflict(_("Someone changed this dispute meanwhile; reload and try again."))
    if Step(step) not in allowed_steps(dispute.state, dispute.method):
        raise InvalidTransition(
            _("“%(step)s” is not possible while the dispute is “%(state)s”.")
            % {"step": Step(step).label, "state": State(dispute.state).label}
        )
    return dispute


def move(
    dispute: Dispute,
    actor: Actor,
    step: str,
    target: str,
    data: dict[str, Any],
    now: dt.datetime,
    fields: list[str],
) -> Dispute:
    """Save the dispute in its new state and append the step's audit event; a dispute that
    ends invites the complainant to the dispute-closed survey."""
    before = dispute.state
    dispute.state = target
    dispute.version += 1
    ended = target in {State.CLOSED, State.WITHDRAWN, State.OUT_OF_SCOPE}
    if ended:
        dispute.closed_at = now
        fields = [*fields, "closed_at"]
    dispute.save(update_fields=[*fields, "state", "version"])
    audit(dispute, actor, step, {"from": before, "to": target, **data}, now)
    if ended:
        dispute_survey_invite(dispute)
    return dispute


def office_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(organisation_get().timezone)


def as_decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


# How an outcome typed on the case page (complaints' "Record the external dispute's outcome")
# reads as a dispute: (method, state, outcome). The same reading as migration 0003 of old ones.
CASE_OUTCOMES = {
    "resolved_in_favour_of_complainant": ("determinative", State.CLOSED, "upheld"),
    "resolved_in_favour_of_organisation": ("determinative", State.CLOSED, "not_upheld"),
    "settled": ("facilitative", State.CLOSED, "settled"),
    "withdrawn": ("facilitative", State.WITHDRAWN, ""),
    "not_accepted_by_provider": ("facilitative", State.OUT_OF_SCOPE, ""),
}


@transaction.atomic
def dispute_from_case_outcome(
    *, complaint_id: int, now: dt.datetime | None = None
) -> Dispute | None:
    """An outcome recorded on the case page without a dispute case becomes a closed dispute of
    that provider (added to the register as not offered when unknown), so the dispute reports
    count it. When the complaint already has a dispute at that provider, that dispute is the
    record and nothing is added. Called on ``DisputeOutcomeRecorded``."""
    now = now or timezone.now()
    complaint = Complaint.objects.filter(pk=complaint_id).exclude(dispute_outcome="").first()
    if complaint is None:
        return None
    name = complaint.dispute_provider.strip()
    provider = Provider.objects.filter(name__iexact=name).first()
    if (
        provider is not None
        and Dispute.objects.filter(complaint=complaint, provider=provider).exists()
    ):
        return None
    if provider is None:
        provider = Provider.objects.create(
            name=name, kind="adr_body", active=False, created_at=now, updated_at=now,
            description=_("Added from a dispute outcome recorded on a complaint."),
        )  # fmt: skip
    method, state, outcome = CASE_OUTCOMES[complaint.dispute_outcome]
    ended = complaint.dispute_closed_on
    ended_at = dt.datetime.combine(ended, dt.time(12), tzinfo=office_zone()) if ended else now
    dispute = Dispute.objects.create(
        complaint=complaint, provider=provider, method=method, state=state,
        opened_via="case_outcome", binding_on_organisation=bool(complaint.dispute_binding),
        opened_at=complaint.closed_at or ended_at, outcome=outcome,
        outcome_at=ended_at if outcome else None, reasons=complaint.dispute_note, closed_at=ended_at,
    )  # fmt: skip
    data = {
        "complaint": complaint.reference,
        "provider": provider.name,
        "outcome": outcome,
        "state": state,
    }
    audit(dispute, Actor.system("case outcome"), "recorded_on_case", data, now)
    return dispute
