"""What the worker does for surveys (its periodic duty, ``surveys.dispatch``): send invitations whose delay has
passed, send reminders, expire old links, start relationship waves that are due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.core.actors import Actor
from plaint.core.duties import duty_renew
from plaint.core.errors import InvalidTransition, ValidationFailed
from plaint.surveys import selectors
from plaint.surveys.models import Invitation, Suppression
from plaint.surveys.services.invitations import survey_invite_contacts
from plaint.surveys.services.steps import (
    lock_invitation,
    mail_invitation,
    move_invitation,
    send_invitation,
)
from plaint.surveys.states import InvitationState, InvitationStep


@transaction.atomic
def invitation_send(*, invitation_id: int, actor: Actor | None = None) -> Invitation:
    """Send a scheduled invitation (the worker does this once its delay has passed)."""
    invitation = lock_invitation(invitation_id)
    actor = actor or Actor.system("surveys")
    if (
        invitation.state == InvitationState.SCHEDULED
        and Suppression.objects.filter(email=invitation.email).exists()
    ):
        move_invitation(
            invitation,
            InvitationStep.CANCEL,
            actor,
            {"closed_at": timezone.now()},
            {"why": "opted_out"},
        )
        return invitation
    send_invitation(invitation, actor)
    return invitation


@transaction.atomic
def invitation_remind(*, invitation_id: int, actor: Actor | None = None) -> Invitation:
    """Send a reminder with the same link; schedule the next while any remain."""
    invitation = lock_invitation(invitation_id)
    actor = actor or Actor.system("surveys")
    survey = invitation.survey
    if invitation.reminders_sent >= survey.reminder_count:
        raise InvalidTransition(_("All reminders for this invitation have been sent."))
    now = timezone.now()
    sent = invitation.reminders_sent + 1
    next_reminder = None
    if sent < survey.reminder_count:
        next_reminder = now + dt.timedelta(days=survey.reminder_interval_days)
        if next_reminder >= invitation.expires_at:
            next_reminder = None
    move_invitation(
        invitation,
        InvitationStep.REMIND,
        actor,
        {"reminders_sent": sent, "next_reminder_at": next_reminder},
        {"reminder": sent},
    )
    mail_invitation(invitation, "survey_reminder")
    return invitation


@transaction.atomic
def invitation_expire(*, invitation_id: int) -> Invitation:
    invitation = lock_invitation(invitation_id)
    move_invitation(
        invitation,
        InvitationStep.EXPIRE,
        Actor.system("surveys"),
        {"closed_at": timezone.now(), "next_reminder_at": None},
    )
    return invitation


@dataclass
class DueReport:
    sent: int = 0
    reminded: int = 0
    expired: int = 0
    waves: int = 0


def surveys_process_due(*, now: dt.datetime | None = None, limit: int = 500) -> DueReport:
    """Send invitations whose delay has passed, send due reminders, expire old links, and start
    relationship waves that are due. Each item is its own transaction; safe to run twice."""
    now = now or timezone.now()
    report = DueReport()
    for pk in selectors.invitations_to_expire(now=now, limit=limit):
        try:
            invitation_expire(invitation_id=pk)
            report.expired += 1
        except InvalidTransition:
            pass
    for pk in selectors.waves_due(now=now):
        try:
            survey_invite_contacts(actor=Actor.system("surveys"), survey_id=pk, now=now)
            report.waves += 1
        except (InvalidTransition, ValidationFailed):
            pass
    for pk in selectors.invitations_due(now=now, limit=limit):
        if not duty_renew():  # run as a periodic duty that overran: another worker has it
            return report
        try:
            invitation_send(invitation_id=pk)
            report.sent += 1
        except InvalidTransition:
            pass
    for pk in selectors.reminders_due(now=now, limit=limit):
        if not duty_renew():
            return report
        try:
            invitation_remind(invitation_id=pk)
            report.reminded += 1
        except InvalidTransition:
            pass
    return report
