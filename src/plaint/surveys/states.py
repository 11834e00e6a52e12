"""The survey and invitation lifecycles as data: states, steps and the allowed transitions.

A survey is drafted, activated (it then collects responses and its triggers fire) and archived. A
survey that has responses is never edited in place: editing creates a new draft version, and
activating that version archives the previous active one.
An invitation is scheduled (waiting for its delay), sent (reminders may follow), and ends answered,
expired, opted out or cancelled.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)  # en first: the fallback


class SurveyState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archived")


class SurveyStep(models.TextChoices):
    ACTIVATE = "activate", _("Activate")
    ARCHIVE = "archive", _("Archive")
    EDIT = "edit", _("Edit")


SURVEY_TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    SurveyStep.ACTIVATE: (frozenset({SurveyState.DRAFT}), SurveyState.ACTIVE),
    SurveyStep.ARCHIVE: (frozenset({SurveyState.DRAFT, SurveyState.ACTIVE}), SurveyState.ARCHIVED),
    # Editing keeps the state; it is allowed in place only while the survey has no responses.
    SurveyStep.EDIT: (frozenset({SurveyState.DRAFT, SurveyState.ACTIVE}), None),
}


def survey_allowed_steps(state: str) -> list[str]:
    return [step for step, (sources, _target) in SURVEY_TRANSITIONS.items() if state in sources]


class InvitationState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Sent")
    RESPONDED = "responded", _("Answered")
    EXPIRED = "expired", _("Expired")
    OPTED_OUT = "opted_out", _("Opted out")
    CANCELLED = "cancelled", _("Cancelled")


class InvitationStep(models.TextChoices):
    SEND = "send", _("Send")
    REMIND = "remind", _("Remind")
    RESPOND = "respond", _("Answer")
    EXPIRE = "expire", _("Expire")
    OPT_OUT = "opt_out", _("Opt out")
    CANCEL = "cancel", _("Cancel")


INVITATION_TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    InvitationStep.SEND: (frozenset({InvitationState.SCHEDULED}), InvitationState.SENT),
    InvitationStep.REMIND: (frozenset({InvitationState.SENT}), None),
    InvitationStep.RESPOND: (frozenset({InvitationState.SENT}), InvitationState.RESPONDED),
    InvitationStep.EXPIRE: (
        frozenset({InvitationState.SCHEDULED, InvitationState.SENT}),
        InvitationState.EXPIRED,
    ),
    InvitationStep.OPT_OUT: (
        frozenset({InvitationState.SCHEDULED, InvitationState.SENT}),
        InvitationState.OPTED_OUT,
    ),
    InvitationStep.CANCEL: (
        frozenset({InvitationState.SCHEDULED, InvitationState.SENT}),
        InvitationState.CANCELLED,
    ),
}

OPEN_INVITATION_STATES = frozenset({InvitationState.SCHEDULED, InvitationState.SENT})


class CallbackState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
