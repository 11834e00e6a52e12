"""The demo's respondents: who they are, how they score (a profile that improves over time, a
personal tone), when they answer, and the history rows written in bulk as the services would have
left them."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from plaint.core.digest import sha256_hex
from plaint.surveys.demo.texts import CALLBACK_NOTES, COMMENTS
from plaint.surveys.models import Answer, CallbackTask, Invitation, Question, Response, Survey
from plaint.surveys.states import CallbackState, InvitationState

SEGMENTS = (("retail", 0.6), ("business", 0.3), ("public sector", 0.1))
FIRST = ("Mari", "Jaan", "Olena", "Erik", "Sara", "Kadri", "Taras", "Anna", "Reza", "Liis")
LAST = ("Tamm", "Kask", "Melnyk", "Lind", "Ahmadi", "Saar", "Berg", "Koval", "Rebane", "Nilsson")

# Attribute means on a 1-5 scale at the start of the period, and the gain per year: the service
# improves on speed, fairness lags (so the importance-performance chart has a story).
HANDLING_PROFILE = {
    "speed": (2.9, 0.7),
    "fairness": (3.2, 0.2),
    "clarity": (3.6, 0.3),
    "courtesy": (4.1, 0.1),
}
RELATIONSHIP_PROFILE = {"reliability": (4.6, 0.4), "value": (4.0, 0.2), "support": (4.4, 0.6)}


def _clip(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def scores(
    questions: dict[str, Question],
    rng: random.Random,
    language: str,
    years: float,
    profile: dict[str, tuple[float, float]],
    shift: dict[str, float],
) -> tuple[dict[int, int], dict[int, str]]:
    """One respondent's answers: attribute scores around the profile (plus a personal tone and
    ``shift`` per attribute), an overall score that follows the weighted attributes, NPS, effort."""
    scale_max = questions["overall"].scale_max
    if scale_max is None:  # the demo builds its overall question as a rating with a scale
        raise ValueError("the demo's overall question has no scale")
    factor = (scale_max - 1) / 4  # the profile is on 1-5
    weights = {q.attribute: float(q.weight) for q in questions.values() if q.attribute}
    person = rng.gauss(0, 0.8)
    by_attribute = {}
    for attribute, (mean, gain) in profile.items():
        raw = mean - 1 + gain * years + shift.get(attribute, 0) + person + rng.gauss(0, 0.7)
        by_attribute[attribute] = _clip(1 + raw * factor, 1, scale_max)
    weighted = sum(weights[a] * v for a, v in by_attribute.items()) / sum(weights.values())
    overall = _clip(weighted + rng.gauss(0, 0.5), 1, scale_max)
    values = {questions[a].pk: v for a, v in by_attribute.items() if a in questions}
    values[questions["overall"].pk] = overall
    values[questions["nps"].pk] = _clip(
        (overall - 1) / (scale_max - 1) * 10 + rng.gauss(1.0, 1.3), 0, 10
    )
    if "effort" in questions:
        values[questions["effort"].pk] = _clip(overall * 1.4 + rng.gauss(0, 0.8), 1, 7)
    if "solved" in questions:  # yes (1) far more often from the satisfied
        share = (overall - 1) / (scale_max - 1)
        values[questions["solved"].pk] = int(rng.random() < 0.1 + 0.85 * share)
    if "mattered" in questions:  # the position of the option chosen (``write`` stores its code)
        values[questions["mattered"].pk] = rng.choices(range(4), weights=(45, 25, 20, 10))[0]
    texts = {}
    if "comment" in questions and rng.random() < 0.25:
        texts[questions["comment"].pk] = rng.choice(COMMENTS[language])
    return values, texts


def digest(tag: str, salt: str) -> str:
    # Demo history has no working links: the digest is of no token anyone holds.
    return sha256_hex(f"demo:{tag}:{salt}")


def answer_time(
    rng: random.Random, survey: Survey, sent: dt.datetime, rate: float
) -> tuple[dt.datetime | None, int]:
    """When (if ever) the person answers, and how many reminders they had by then: most answer
    within a day or two of the mail, some after a reminder."""
    if rng.random() >= rate:
        return None, 0
    reminders = 0
    if survey.reminder_count and rng.random() < 0.3:
        reminders = rng.randint(1, survey.reminder_count)
    base = sent + dt.timedelta(days=survey.reminder_interval_days * reminders)
    return base + dt.timedelta(hours=min(rng.expovariate(1 / 20), 24 * 3)), reminders


def close_invitation(invitation: Invitation, survey: Survey, now: dt.datetime) -> None:
    """An unanswered invitation as the worker would have left it by ``now``."""
    sent, expires = invitation.sent_at, invitation.expires_at
    if sent is None or expires is None:  # the demo closes only invitations it has sent
        raise ValueError("a demo invitation to close must have been sent")
    if expires <= now:
        invitation.state = InvitationState.EXPIRED
        invitation.closed_at = expires
        due = [
            sent + dt.timedelta(days=survey.reminder_interval_days * k)
            for k in range(1, survey.reminder_count + 1)
        ]
        invitation.reminders_sent = sum(1 for d in due if d < expires)
        return
    invitation.state = InvitationState.SENT
    elapsed = (now - sent).days // max(1, survey.reminder_interval_days)
    invitation.reminders_sent = min(survey.reminder_count, elapsed)
    if invitation.reminders_sent < survey.reminder_count:
        nxt = sent + dt.timedelta(
            days=survey.reminder_interval_days * (invitation.reminders_sent + 1)
        )
        invitation.next_reminder_at = nxt if nxt < expires else None


@dataclass
class History:
    """Invitations and responses made in memory, written in bulk by ``write``."""

    invitations: list = field(default_factory=list)
    responses: list = field(default_factory=list)
    answer_sets: list = field(default_factory=list)

    def add(self, invitation, response=None, values=None, texts=None) -> None:
        self.invitations.append(invitation)
        if response is not None:
            response.invitation = invitation
            self.responses.append(response)
            self.answer_sets.append((values, texts))

    def write(self, survey: Survey, questions: dict[str, Question], now, rng, closer) -> None:
        """Insert the invitations, responses and answers, and the callbacks a follow-up opened."""
        Invitation.objects.bulk_create(self.invitations, batch_size=1000)
        for response in self.responses:
            response.invitation_id = response.invitation.pk
        Response.objects.bulk_create(self.responses, batch_size=1000)
        answers = []
        options = {q.pk: q.options for q in questions.values() if q.kind == "single"}
        for response, (values, texts) in zip(self.responses, self.answer_sets, strict=True):
            answers += [
                Answer(response=response, question_id=q, choices=[options[q][v]["code"]])
                if q in options
                else Answer(response=response, question_id=q, value=v)
                for q, v in values.items()
            ]
            answers += [Answer(response=response, question_id=q, text=t) for q, t in texts.items()]
        Answer.objects.bulk_create(answers, batch_size=2000)
        self._write_callbacks(survey, questions, now, rng, closer)

    def _write_callbacks(self, survey: Survey, questions: dict[str, Question], now, rng, closer):
        # The survey's follow-up would have opened a callback task for each low score; the older
        # ones a manager has called back.
        if survey.followup != "callback" or survey.followup_max_score is None:
            return
        overall = questions["overall"].pk
        comment = questions["comment"].pk if "comment" in questions else None
        tasks = []
        for response, (values, texts) in zip(self.responses, self.answer_sets, strict=True):
            if values[overall] > survey.followup_max_score:
                continue
            invitation = response.invitation
            done = response.submitted_at < now - dt.timedelta(days=10)
            tasks.append(
                CallbackTask(
                    survey=survey,
                    response=response,
                    email=invitation.email,
                    name=invitation.name or invitation.email,
                    score=values[overall],
                    comment=texts.get(comment, ""),
                    created_at=response.submitted_at,
                    state=CallbackState.DONE if done else CallbackState.OPEN,
                    done_at=response.submitted_at + dt.timedelta(days=rng.randint(1, 6))
                    if done
                    else None,
                    done_by=closer if done else None,
                    note=CALLBACK_NOTES.get(response.language, CALLBACK_NOTES["en"])
                    if done
                    else "",
                )
            )
        CallbackTask.objects.bulk_create(tasks, batch_size=500)


def utc_month(when: dt.datetime) -> str:
    """The UTC month of ``when`` (the insights dashboard counts by UTC month), as YYYY-MM."""
    return when.astimezone(dt.UTC).strftime("%Y-%m")
