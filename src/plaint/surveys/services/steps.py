"""An invitation's lifecycle steps as the other survey services share them: lock it, move it along
``INVITATION_TRANSITIONS`` (with its audit event), and send it (the mail is an outbox row)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.core.actors import Actor
from plaint.core.errors import InvalidTransition, NotFound
from plaint.core.selectors import organisation_get
from plaint.core.services import email_enqueue
from plaint.surveys.models import Invitation
from plaint.surveys.services.base import audit
from plaint.surveys.services.links import invitation_token, opt_out_url, survey_url
from plaint.surveys.states import INVITATION_TRANSITIONS, InvitationState, InvitationStep


def lock_invitation(invitation_id: int) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("survey")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise NotFound(_("No such invitation."))
    return invitation


def move_invitation(
    invitation: Invitation,
    step: InvitationStep,
    actor: Actor,
    changes: dict[str, Any],
    data: dict[str, Any] | None = None,
) -> None:
    """Do ``step`` if the transition table allows it from the current state: save ``changes``
    (and the target state) and record the audit event."""
    sources, target = INVITATION_TRANSITIONS[step]
    if invitation.state not in sources:
        raise InvalidTransition(
            _("“%(step)s” is not possible while the invitation is “%(state)s”.")
            % {"step": step.label, "state": InvitationState(invitation.state).label}
        )
    if target is not None:
        changes["state"] = target
    for name, value in changes.items():
        setattr(invitation, name, value)
    invitation.save(update_fields=list(changes))
    audit(
        "survey_invitation",
        invitation.pk,
        actor,
        step.value,
        {"state": invitation.state, **(data or {})},
    )


def mail_invitation(invitation: Invitation, kind: str) -> None:
    """Queue the invitation or reminder mail (the same link in both)."""
    token = invitation_token(invitation.token_salt)
    context = {
        "survey_title": invitation.survey.title_in(invitation.language),
        "name": invitation.name,
        "survey_url": survey_url(token),
        "opt_out_url": opt_out_url(token),
        "expires_at": invitation.expires_at,
        "reference": invitation.case_ref,
        "organisation": organisation_get(),
    }
    email_enqueue(
        to=invitation.email,
        kind=kind,
        language=invitation.language,
        context=context,
        complaint=invitation.complaint,
    )


def send_invitation(invitation: Invitation, actor: Actor) -> None:
    """Mark the invitation sent (its expiry and first reminder count from now) and queue its mail."""
    now = timezone.now()
    survey = invitation.survey
    expires = now + dt.timedelta(days=survey.expiry_days)
    next_reminder = (
        now + dt.timedelta(days=survey.reminder_interval_days) if survey.reminder_count else None
    )
    if next_reminder and next_reminder >= expires:
        next_reminder = None
    move_invitation(
        invitation,
        InvitationStep.SEND,
        actor,
        {"sent_at": now, "expires_at": expires, "next_reminder_at": next_reminder},
    )
    mail_invitation(invitation, "survey_invitation")
