"""Invitations: after a closed complaint or dispute (sampled, delayed), by hand, and in waves to the
contact list; cancelling, and the recipient's opt-out. Sending and reminders: ``dispatch``."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.complaints.models import Complaint
from plaint.core.actors import Actor
from plaint.core.digest import sha256_hex
from plaint.core.errors import Conflict, InvalidTransition, ValidationFailed
from plaint.surveys.models import Contact, Invitation, Suppression, Survey, SurveyKind
from plaint.surveys.services.base import (
    audit,
    is_valid_email,
    lock_survey,
    normalise_email,
    require_manager,
)
from plaint.surveys.services.links import invitation_for_token, invitation_token
from plaint.surveys.services.steps import lock_invitation, move_invitation, send_invitation
from plaint.surveys.states import (
    LANGUAGES,
    OPEN_INVITATION_STATES,
    InvitationState,
    InvitationStep,
    SurveyState,
)


def in_sample(key: str, ident: str, rate: Decimal) -> bool:
    """A deterministic draw: the same case is always in or out of the sample (so a retry cannot
    change it), and the cases in are a uniform share ``rate`` of all."""
    draw = int(sha256_hex(f"{key}:{ident}")[:8], 16) / 2**32
    return draw < float(rate)


def _blocked(email: str, survey: Survey, now: dt.datetime) -> str | None:
    """Why this address may not be invited now, or None."""
    if Suppression.objects.filter(email=email).exists():
        return "opted_out"
    if survey.quiet_period_days and (
        Invitation.objects.filter(
            email=email, created_at__gte=now - dt.timedelta(days=survey.quiet_period_days)
        )
        .exclude(state=InvitationState.CANCELLED)
        .exists()
    ):
        return "quiet_period"
    return None


def _new_invitation(
    survey: Survey,
    *,
    actor: Actor,
    trigger: str,
    email: str,
    name: str = "",
    language: str = "en",
    contact: Contact | None = None,
    complaint: Complaint | None = None,
    case_ref: str = "",
    send_after: dt.datetime | None = None,
) -> Invitation:
    now = timezone.now()
    send_after = send_after or now
    salt = secrets.token_hex(16)
    invitation = Invitation.objects.create(
        survey=survey,
        trigger=trigger,
        contact=contact,
        complaint=complaint,
        case_ref=case_ref,
        email=email,
        name=name[:200],
        language=language if language in LANGUAGES else "en",
        token_salt=salt,
        token_digest=sha256_hex(invitation_token(salt)),
        created_at=now,
        send_after=send_after,
        expires_at=send_after + dt.timedelta(days=survey.expiry_days),
    )
    audit(
        "survey_invitation",
        invitation.pk,
        actor,
        "created",
        {
            "survey": survey.pk,
            "trigger": trigger,
            "complaint": getattr(complaint, "pk", None),
            "send_after": send_after.isoformat(),
        },
        personal={"email": email},
    )
    return invitation


def _active_survey(kind: str) -> Survey | None:
    return (
        Survey.objects.filter(kind=kind, state=SurveyState.ACTIVE)
        .order_by("-activated_at", "-pk")
        .first()
    )


def _invite_after_close(survey: Survey, ident: str, email: str, **fields: Any) -> Invitation | None:
    """The invitation after a closed case, unless the case is out of the sample or the address is
    blocked (opted out, quiet period); sent after the survey's delay. The trigger is the kind."""
    now = timezone.now()
    if not in_sample(survey.key, ident, survey.sampling_rate) or _blocked(email, survey, now):
        return None
    send_after = now + dt.timedelta(hours=survey.delay_hours)
    return _new_invitation(
        survey,
        actor=Actor.system("surveys"),
        trigger=survey.kind,
        email=email,
        send_after=send_after,
        **fields,
    )


def survey_invite_after_complaint(*, complaint: Complaint) -> Invitation | None:
    """ISO 10002 8.3: after a complaint closes, invite the complainant to say how the handling went.

    Runs inside the closing transaction (on ``ComplaintClosed``: close and withdraw). Invites only
    when an active complaint-closed survey exists, the complainant has an e-mail address, the case
    falls in the sample, the address has not opted out and was not invited within the quiet period.
    At most one invitation per case and survey. The mail goes out after the survey's delay (the
    worker sends it)."""
    survey = _active_survey(SurveyKind.COMPLAINT_CLOSED)
    complainant = complaint.complainant
    email = normalise_email(complainant.email)
    if survey is None or not email:
        return None
    if Invitation.objects.filter(survey__key=survey.key, complaint=complaint).exists():
        return None
    return _invite_after_close(
        survey,
        f"complaint:{complaint.pk}",
        email,
        name=complainant.name,
        language=complainant.language,
        complaint=complaint,
        case_ref=complaint.reference or "",
    )


@transaction.atomic
def survey_invite_after_dispute(
    *, dispute_ref: str, email: str, name: str = "", language: str = "en"
) -> Invitation | None:
    """After a dispute closes (ISO 10003; on ``DisputeOutcomeRecorded``).

    Same rules as ``survey_invite_after_complaint``: active dispute-closed survey, sampling, delay,
    opt-out and quiet period; at most one invitation per dispute and survey."""
    survey = _active_survey(SurveyKind.DISPUTE_CLOSED)
    email = normalise_email(email)
    if survey is None or not email or not is_valid_email(email):
        return None
    if Invitation.objects.filter(survey__key=survey.key, case_ref=dispute_ref).exists():
        return None
    return _invite_after_close(
        survey,
        f"dispute:{dispute_ref}",
        email,
        name=name,
        language=language,
        case_ref=dispute_ref[:40],
    )


@dataclass(frozen=True)
class _Recipient:
    email: str
    name: str
    language: str
    contact: Contact | None = None
    complaint: Complaint | None = None


def _recipient(
    contact_id: int | None, complaint_id: int | None, email: str, name: str, language: str
) -> _Recipient:
    """Whom a manual invitation goes to: a contact, a complaint's complainant, or an address."""
    if contact_id is not None:
        contact = Contact.objects.filter(pk=contact_id).first()
        if contact is None:
            raise ValidationFailed(_("No such contact."), fields={"contact_id": [_("Not found.")]})
        return _Recipient(contact.email, contact.name, contact.language, contact=contact)
    if complaint_id is not None:
        complaint = Complaint.objects.select_related("complainant").filter(pk=complaint_id).first()
        if complaint is None:
            raise ValidationFailed(
                _("No such complaint."), fields={"complaint_id": [_("Not found.")]}
            )
        person = complaint.complainant
        return _Recipient(person.email, person.name, person.language, complaint=complaint)
    return _Recipient(email, name, language)


def _refuse_blocked(email: str, survey: Survey) -> None:
    reason = _blocked(email, survey, timezone.now())
    if reason == "opted_out":
        raise Conflict(_("This address has opted out of surveys; it is never invited again."))
    if reason == "quiet_period":
        raise Conflict(
            _("This address was invited within the last %(d)s days (the quiet period).")
            % {"d": survey.quiet_period_days}
        )


@transaction.atomic
def invitation_create(
    *,
    actor: Actor,
    survey_id: int,
    contact_id: int | None = None,
    complaint_id: int | None = None,
    email: str = "",
    name: str = "",
    language: str = "en",
) -> Invitation:
    """A manager invites one contact, one complainant, or one address by hand (sent at once)."""
    require_manager(actor, _("invite customers to surveys"))
    survey = lock_survey(survey_id)
    if survey.state != SurveyState.ACTIVE:
        raise InvalidTransition(_("Only an active survey can send invitations."))
    recipient = _recipient(contact_id, complaint_id, email, name, language)
    email = normalise_email(recipient.email)
    if not email or not is_valid_email(email):
        raise ValidationFailed(
            _("An e-mail address is needed to invite someone."),
            fields={"email": [_("Enter a valid e-mail address, e.g. name@example.org.")]},
        )
    if recipient.language not in LANGUAGES:
        raise ValidationFailed(_("Unknown language."), fields={"language": [", ".join(LANGUAGES)]})
    _refuse_blocked(email, survey)
    complaint = recipient.complaint
    invitation = _new_invitation(
        survey,
        actor=actor,
        trigger="manual",
        email=email,
        name=recipient.name,
        language=recipient.language,
        contact=recipient.contact,
        complaint=complaint,
        case_ref=(complaint.reference or "") if complaint else "",
    )
    send_invitation(invitation, actor)
    return invitation


@dataclass
class WaveReport:
    invited: int = 0
    opted_out: int = 0
    quiet_period: int = 0
    not_sampled: int = 0


def _recently_invited(survey: Survey, now: dt.datetime) -> set[str]:
    if not survey.quiet_period_days:
        return set()
    return set(
        Invitation.objects.filter(created_at__gte=now - dt.timedelta(days=survey.quiet_period_days))
        .exclude(state=InvitationState.CANCELLED)
        .values_list("email", flat=True)
    )


@transaction.atomic
def survey_invite_contacts(
    *, actor: Actor, survey_id: int, segment: str = "", now: dt.datetime | None = None
) -> WaveReport:
    """A relationship-survey wave: invite the contact list (or one segment of it), sampled, skipping
    opted-out addresses and those invited within the quiet period."""
    require_manager(actor, _("invite customers to surveys"))
    survey = lock_survey(survey_id)
    if survey.state != SurveyState.ACTIVE:
        raise InvalidTransition(_("Only an active survey can send invitations."))
    if survey.kind != SurveyKind.RELATIONSHIP:
        raise ValidationFailed(_("Only a relationship survey is sent to the contact list."))
    now = now or timezone.now()
    report = WaveReport()
    contacts = Contact.objects.order_by("pk")
    if segment:
        contacts = contacts.filter(segment=segment)
    suppressed = set(Suppression.objects.values_list("email", flat=True))
    recent = _recently_invited(survey, now)
    wave = now.strftime("%Y%m%d%H%M")
    for contact in contacts.iterator(chunk_size=1000):
        if contact.email in suppressed:
            report.opted_out += 1
        elif contact.email in recent:
            report.quiet_period += 1
        elif not in_sample(survey.key, f"contact:{contact.pk}:{wave}", survey.sampling_rate):
            report.not_sampled += 1
        else:
            _new_invitation(
                survey,
                actor=actor,
                trigger=SurveyKind.RELATIONSHIP,
                email=contact.email,
                name=contact.name,
                language=contact.language,
                contact=contact,
                send_after=now,
            )
            recent.add(contact.email)
            report.invited += 1
    survey.last_wave_at = now
    survey.save(update_fields=["last_wave_at", "updated_at"])
    audit("survey", survey.pk, actor, "wave", {**report.__dict__, "segment": segment})
    return report


@transaction.atomic
def invitation_cancel(*, actor: Actor, invitation_id: int) -> Invitation:
    require_manager(actor, _("cancel invitations"))
    invitation = lock_invitation(invitation_id)
    move_invitation(
        invitation,
        InvitationStep.CANCEL,
        actor,
        {"closed_at": timezone.now(), "next_reminder_at": None},
    )
    return invitation


@transaction.atomic
def invitation_opt_out(*, token: str) -> Invitation:
    """The recipient opts out for good: the address goes on the suppression list and every open
    invitation to it is closed. Idempotent: opting out twice is fine."""
    invitation = invitation_for_token(token, lock=True)
    now = timezone.now()
    suppression = Suppression.objects.filter(email=invitation.email).first()
    if suppression is None:
        try:
            with transaction.atomic():
                Suppression.objects.create(email=invitation.email, created_at=now)
        except IntegrityError:  # another request opted out the same address at the same moment
            pass
    actor = Actor.system("recipient")
    others = Invitation.objects.select_for_update().filter(
        email=invitation.email, state__in=OPEN_INVITATION_STATES
    )
    for other in others:
        step = InvitationStep.OPT_OUT
        move_invitation(other, step, actor, {"closed_at": now, "next_reminder_at": None})
    invitation.refresh_from_db()
    return invitation
