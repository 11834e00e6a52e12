"""Demo data for ``plaint demo``: an organisation, its staff, and a few hundred complaints in five
languages, spread over every lifecycle state.

Everything is written through the services, so the demo's audit chains, outbox mails and due dates
are real. Receipt times are spread over the last year, and each later step happens at a
plausible time after the one before (never after "now"), so clocks, promises and durations look real.
Deterministic for a given seed, apart from secret tokens.

``plan`` decides the shape of the history, ``people``, ``scenarios`` and ``replies`` hold the
realistic texts in five languages, ``setup`` the organisation and its staff, ``histories`` walks
each case to its final state.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from plaint.complaints import services as s
from plaint.complaints.demo.histories import CaseWalk
from plaint.complaints.demo.people import complaint_input
from plaint.complaints.demo.plan import channel_of, language_plan, received_times, state_plan
from plaint.complaints.demo.replay import replay_at
from plaint.complaints.demo.scenarios import SCENARIOS
from plaint.complaints.demo.setup import Staff, organisation_setup
from plaint.complaints.models import Channel
from plaint.complaints.states import State
from plaint.core.actors import Actor

DEMO_SEED = 10002

__all__ = ["DEMO_SEED", "DemoSummary", "seed_demo"]


@dataclass
class DemoSummary:
    complaints: int = 0
    seconds: float = 0.0
    states: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    channels: Counter = field(default_factory=Counter)
    tracking_urls: dict[str, str] = field(default_factory=dict)


def seed_demo(*, complaints: int = 300, seed: int = DEMO_SEED) -> DemoSummary:
    """Create the demo organisation, staff, categories and ``complaints`` complaints."""
    started = time.monotonic()
    rng = random.Random(seed)
    staff = organisation_setup()
    summary = DemoSummary()
    if complaints <= 0:
        return summary
    now = timezone.now()
    plan = state_plan(complaints, rng)
    languages = language_plan(complaints, rng)
    for received_at, target, language in zip(
        received_times(complaints, rng, now), plan, languages, strict=True
    ):
        _seed_one(rng, staff, summary, received_at=received_at, target=target, language=language)
    summary.seconds = time.monotonic() - started
    return summary


def _seed_one(
    rng: random.Random,
    staff: Staff,
    summary: DemoSummary,
    *,
    received_at: dt.datetime,
    target: State,
    language: str,
) -> None:
    """Receive one complaint at ``received_at`` and walk it to ``target``; count it in ``summary``."""
    channel = channel_of(target, rng)
    scenario = rng.choice(SCENARIOS[language])
    data = complaint_input(rng, language, channel, scenario)
    if channel in {Channel.PHONE, Channel.LETTER, Channel.IN_PERSON}:
        actor = Actor.staff(rng.choice(staff.handlers))
    elif channel == Channel.API:
        actor = Actor.staff(staff.admin)  # the web shop's integration, using the admin's token
    else:
        actor = Actor.complainant()
    with transaction.atomic():
        with replay_at(received_at):
            complaint, token = s.complaint_submit(
                data=data, channel=channel, actor=actor, received_at=received_at
            )
        walk = CaseWalk(rng, staff, complaint, scenario)
        walk.to(target)
    summary.complaints += 1
    summary.states[walk.state] += 1
    summary.languages[language] += 1
    summary.channels[channel] += 1
    # Only a token issued at an automatic acknowledgement stays valid (acknowledging issues a
    # new one, which goes out by mail).
    if complaint.acknowledged_at and walk.state not in summary.tracking_urls:
        summary.tracking_urls[walk.state] = s.tracking_url(token)
