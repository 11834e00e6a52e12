"""Demo surveys, coherent with the demo complaints: the ISO 10002 8.3 complaint-handling survey
invites the complainants of the demo's closed (and withdrawn) complaints, and the relationship
survey goes in monthly waves to a contact list of a few thousand customers over 18 months.

The rules the services apply hold for the bulk history too: one invitation per complaint, drawn by
the survey's own deterministic sampler, none to an address invited within the quiet period or
opted out, a response only to an invitation sent before it and not expired, about 38 % answered.
So the 8.3 survey's responses are always fewer than its invitations, which are at most the closed
complaints (the population the dashboard's margin of error uses), and the volume for trends and
segments is in the relationship survey, whose population is the contact list.

The surveys, questions, the contact list's later additions and a few live invitations go through
the services. The history is written in bulk; the insights app (a layer above) counts it with its
documented rebuild (``insights.services.aggregates_rebuild``), which ``plaint demo`` runs after this
seeder — the same aggregates as ``response_recorded`` once per response.

``texts`` holds the words in five languages, ``setup`` builds the surveys, ``respondents`` says
who answers how, ``histories`` writes the past.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from plaint.accounts.models import User
from plaint.complaints.models import Complaint
from plaint.core.actors import Actor
from plaint.surveys import services
from plaint.surveys.demo.histories import (
    contacts_create,
    handling_history,
    live_complaints,
    relationship_history,
)
from plaint.surveys.demo.respondents import utc_month
from plaint.surveys.demo.setup import surveys_build
from plaint.surveys.models import Survey

__all__ = ["seed_demo"]


@dataclass
class _Seeded:
    """What the bulk history holds, for the summary line."""

    closed: list[Complaint]
    live: list[Complaint]
    room: Counter
    invited: int = 0
    answered: int = 0
    contacts: int = 0
    waves_invited: int = 0
    waves_answered: int = 0


def seed_demo(*, now: dt.datetime, seed: int = 10004, contacts: int = 3000) -> str:
    """Seed the two demo surveys coherently with the demo complaints; returns a summary."""
    rng = random.Random(seed)
    actor = Actor.system("demo")
    with transaction.atomic():
        handling_survey, relationship_survey = surveys_build(actor)
        if handling_survey.invitations.exists():
            return "surveys: already seeded"
        seeded = _history(handling_survey, relationship_survey, rng, now, contacts)
    # Live invitations through the services, for complaints just closed: one to try in English,
    # one in Persian (right to left), and one low score that opens a callback task.
    links = []
    for complaint in seeded.live:
        invitation = services.invitation_create(
            actor=actor, survey_id=handling_survey.pk, complaint_id=complaint.pk
        )
        links.append(services.survey_url(services.invitation_token(invitation.token_salt)))
    answered_live = len(links) == 3 and seeded.room[utc_month(timezone.now())] > 0
    if answered_live:
        services.response_save(
            token=links.pop().rstrip("/").rsplit("/", 1)[1],
            answers={"overall": "1", "fairness": "1", "comment": "Keegi ei helistanud tagasi."},
            submit=True,
        )
    return (
        f"surveys: ISO 10002 8.3 survey: {len(seeded.closed)} closed complaints with an address, "
        f"{seeded.invited + len(seeded.live)} invited, {seeded.answered + answered_live} answered; "
        f"relationship survey: {seeded.contacts} contacts, {seeded.waves_invited} invited in "
        f"monthly waves, {seeded.waves_answered} answered; try one: "
        f"{links[0] if links else 'no closed complaint with an address to invite'}"
    )


def _history(
    handling_survey: Survey,
    relationship_survey: Survey,
    rng: random.Random,
    now: dt.datetime,
    contacts: int,
) -> _Seeded:
    """Both surveys' past in bulk; keeps the three most recent closings for live invitations."""
    closed = list(
        Complaint.objects.filter(state="closed", closed_at__isnull=False, complainant__email__gt="")
        .select_related("complainant")
        .order_by("closed_at", "pk")
    )
    live = live_complaints(closed)
    live_emails = {c.complainant.email.strip().lower() for c in live}
    closer = User.objects.filter(role="manager", is_active=True).order_by("pk").first()
    # what the dashboard counts as the population: every complaint closed, by UTC month
    room = Counter(
        utc_month(at)
        for at in Complaint.objects.filter(closed_at__isnull=False).values_list(
            "closed_at", flat=True
        )
        if at is not None  # always, by the filter
    )
    handling = handling_history(
        handling_survey,
        rng,
        now,
        [c for c in closed if c.complainant.email.strip().lower() not in live_emails],
        closer,
        room,
    )
    people = contacts_create(rng, now, contacts)
    relationship, last_wave = relationship_history(relationship_survey, rng, now, people)
    if last_wave is not None:
        Survey.objects.filter(pk=relationship_survey.pk).update(last_wave_at=last_wave)
    return _Seeded(
        closed=closed,
        live=live,
        room=room,
        invited=len(handling.invitations),
        answered=len(handling.responses),
        contacts=len(people),
        waves_invited=len(relationship.invitations),
        waves_answered=len(relationship.responses),
    )
