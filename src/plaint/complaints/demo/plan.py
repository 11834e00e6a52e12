"""The shape of the demo's complaint history, decided before anything is written: how many cases
end in each state (the newer the case, the earlier its state), in which language, on which
channel, received when. Deterministic for a given random generator."""

from __future__ import annotations

import datetime as dt
import random

from plaint.complaints.models import Channel
from plaint.complaints.states import State

LANGUAGE_WEIGHTS = {"en": 30, "et": 25, "uk": 15, "sv": 15, "fa": 15}
CHANNEL_WEIGHTS = {
    Channel.WEB: 45,
    Channel.EMAIL: 20,
    Channel.PHONE: 14,
    Channel.API: 10,
    Channel.LETTER: 6,
    Channel.IN_PERSON: 5,
}
# Share of each final state; "closed" takes what is left.
STATE_SHARES = {
    State.RECEIVED: 0.04,
    State.ACKNOWLEDGED: 0.08,
    State.ASSESSED: 0.06,
    State.INVESTIGATING: 0.10,
    State.RESPONSE_PROPOSED: 0.05,
    State.DECISION_COMMUNICATED: 0.08,
    State.INTERNAL_REVIEW: 0.04,
    State.ACCEPTED: 0.05,
    State.REFERRED_EXTERNAL: 0.04,
    State.OUT_OF_SCOPE: 0.06,
    State.WAITING_ON_COMPLAINANT: 0.03,
}
# How far along the lifecycle a state is: newer complaints get the earlier states.
STAGE = {
    State.RECEIVED: 0,
    State.ACKNOWLEDGED: 1,
    State.ASSESSED: 2,
    State.INVESTIGATING: 3,
    State.WAITING_ON_COMPLAINANT: 3,
    State.RESPONSE_PROPOSED: 4,
    State.DECISION_COMMUNICATED: 5,
    State.INTERNAL_REVIEW: 6,
    State.ACCEPTED: 6,
    State.REFERRED_EXTERNAL: 7,
    State.CLOSED: 8,
}
# Channels whose complaints are not acknowledged automatically, so they can stay "received".
YEAR_DAYS = 365
UNACKNOWLEDGED_CHANNELS = [Channel.PHONE, Channel.LETTER, Channel.IN_PERSON, Channel.EMAIL]


def state_plan(n: int, rng: random.Random) -> list[State]:
    """The final state of each complaint, newest complaint first; every state occurs."""
    counts = {state: max(1, round(share * n)) for state, share in STATE_SHARES.items()}
    counts[State.CLOSED] = max(1, n - sum(counts.values()))
    plan = [state for state, count in counts.items() for _ in range(count)]
    rng.shuffle(plan)
    plan = plan[:n]

    def key(state: State) -> float:
        if state == State.OUT_OF_SCOPE:  # decided at assessment, at any age
            return rng.uniform(0, 8)
        return STAGE[state] + rng.uniform(-1.5, 1.5)

    return sorted(plan, key=key)


def language_plan(n: int, rng: random.Random) -> list[str]:
    """The language of each complaint: every language occurs, the rest drawn by weight."""
    codes = list(LANGUAGE_WEIGHTS)
    chosen = (
        codes[:n] + rng.choices(codes, weights=list(LANGUAGE_WEIGHTS.values()), k=n)[len(codes) :]
    )
    rng.shuffle(chosen)
    return chosen


def channel_of(target: State, rng: random.Random) -> str:
    """The channel a complaint came in by; one that stays "received" came by a manual channel."""
    if target == State.RECEIVED:
        return rng.choice(UNACKNOWLEDGED_CHANNELS)
    return rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0]


def received_times(n: int, rng: random.Random, now: dt.datetime) -> list[dt.datetime]:
    """Receipt times over the last year (a year of analysis: twelve monthly points for the
    control chart), denser towards today — about a third in the last ten weeks, the oldest month
    about two thirds as busy as the average — so the open cases (the newest) stay recent; mostly
    in office hours, newest first."""
    times = []
    for _ in range(n):
        day = now - dt.timedelta(days=YEAR_DAYS * rng.random() ** 1.5)
        at = day.replace(hour=rng.choice([7, 8, 9, 10, 11, 13, 14, 15, 16, 19, 21]))
        at = at.replace(minute=rng.randint(0, 59), second=rng.randint(0, 59), microsecond=0)
        times.append(min(at, now - dt.timedelta(minutes=rng.randint(5, 600))))
    return sorted(times, reverse=True)
