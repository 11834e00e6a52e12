"""Surveys, responses and answers for the insights tests, written directly (the surveys
services have their own tests) so that hundreds of fixed responses load fast."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from django.utils import timezone

from plaint.insights.services import response_recorded
from plaint.surveys.models import Answer, Question, Response, Survey

# code, kind, scale, attribute, weight, overall
QUESTIONS = [
    ("overall", "rating", (1, 5), "", "1", True),
    ("speed", "rating", (1, 5), "speed", "3", False),
    ("fairness", "rating", (1, 5), "fairness", "2", False),
    ("clarity", "rating", (1, 7), "clarity", "1", False),
    ("nps", "nps", (0, 10), "", "1", False),
    ("effort", "ces", (1, 7), "", "1", False),
    ("comment", "text", (None, None), "", "1", False),
]


def make_survey(*, key: str = "handling", kind: str = "complaint_closed", version: int = 1):
    survey = Survey.objects.create(
        key=key,
        version=version,
        title={"en": "Complaint handling", "fa": "رسیدگی به شکایت"},
        kind=kind,
        state="active" if version == 1 else "draft",
        created_at=timezone.now(),
    )
    for position, (code, qkind, (lo, hi), attribute, weight, overall) in enumerate(QUESTIONS, 1):
        Question.objects.create(
            survey=survey,
            position=position,
            code=code,
            kind=qkind,
            scale_min=lo,
            scale_max=hi,
            text={"en": f"Question {code}", "fa": f"پرسش {code}"},
            attribute=attribute,
            weight=Decimal(weight),
            is_overall=overall,
        )
    return survey


REACHED = [
    {"code": "phone", "label": {"en": "By phone", "et": "Telefoni teel"}},
    {"code": "email", "label": {"en": "By e-mail", "et": "E-postiga"}},
    {"code": "letter", "label": {"en": "By letter"}},
]


def add_choice_question(survey, *, code: str = "reached", options=None, position: int = 20):
    """A single-choice question on ``survey`` (by default: how the complainant was reached)."""
    return Question.objects.create(
        survey=survey,
        position=position,
        code=code,
        kind="single",
        text={"en": "How were you reached?", "et": "Kuidas teiega ühendust võeti?"},
        options=REACHED if options is None else options,
    )


def fixed_answers(n: int, seed: int = 4):
    """A fixed data set: n complete responses, the overall score driven by the attributes."""
    rng = np.random.default_rng(seed)
    speed = rng.integers(1, 6, n)
    fairness = np.clip(np.round(0.4 * speed + rng.normal(2.2, 1.0, n)), 1, 5).astype(int)
    clarity = rng.integers(1, 8, n)
    overall = np.clip(
        np.round(0.45 * speed + 0.35 * fairness + 0.1 * clarity + rng.normal(0.2, 0.8, n)), 1, 5
    ).astype(int)
    nps = np.clip(np.round(overall * 2 + rng.normal(0, 1.5, n)), 0, 10).astype(int)
    effort = rng.integers(1, 8, n)
    return {
        "overall": overall,
        "speed": speed,
        "fairness": fairness,
        "clarity": clarity,
        "nps": nps,
        "effort": effort,
    }


def add_responses(
    survey,
    data: dict[str, np.ndarray],
    *,
    submitted: list[dt.datetime] | dt.datetime,
    channel="web",
    language="en",
    product="",
    category=None,
    segment="",
    record=True,
    missing: dict[str, set[int]] | None = None,
    choices: dict[str, list] | None = None,
):
    """One submitted response per row of ``data``; ``missing`` names rows left unanswered;
    ``choices`` gives per single-choice question code each row's chosen code (None: not
    answered; a list: stored as it is)."""
    questions = {q.code: q for q in survey.questions.all()}
    n = len(next(iter(data.values() or (choices or {}).values())))
    times = submitted if isinstance(submitted, list) else [submitted] * n
    channels = channel if isinstance(channel, list) else [channel] * n
    responses = Response.objects.bulk_create(
        [
            Response(
                survey=survey,
                started_at=times[i] - dt.timedelta(minutes=3),
                submitted_at=times[i],
                language=language,
                channel=channels[i],
                product=product,
                category=category,
                segment=segment,
                source="import",
            )
            for i in range(n)
        ]
    )
    missing = missing or {}
    Answer.objects.bulk_create(
        [
            Answer(response=r, question=questions[code], value=int(values[i]))
            for i, r in enumerate(responses)
            for code, values in data.items()
            if i not in missing.get(code, set())
        ]
        + [Answer(response=r, question=questions["comment"], text="Fine.") for r in responses]
        + [
            Answer(
                response=r,
                question=questions[code],
                choices=picked[i] if isinstance(picked[i], list) else [picked[i]],
            )
            for code, picked in (choices or {}).items()
            for i, r in enumerate(responses)
            if picked[i] is not None
        ]
    )
    if record:
        for r in responses:
            response_recorded(response=r)
    return responses


def add_invitations(survey, emails: list[str], *, sent: dt.datetime | None, trigger=None):
    """Invitations of ``survey`` to ``emails`` sent at ``sent`` (None: still scheduled)."""
    from plaint.surveys.models import Invitation

    start = Invitation.objects.count()
    return Invitation.objects.bulk_create(
        [
            Invitation(
                survey=survey,
                trigger=trigger or survey.kind,
                email=email.lower(),
                token_salt=f"s{start + i}",
                token_digest=f"insights-test-{start + i}",
                state="sent" if sent else "scheduled",
                created_at=sent or timezone.now(),
                send_after=sent or timezone.now(),
                sent_at=sent,
                expires_at=(sent or timezone.now()) + dt.timedelta(days=30),
            )
            for i, email in enumerate(emails)
        ]
    )
