"""The surveys demo seed: 8.3 and relationship surveys in five languages, trends over 18 months,
aggregates counted, live invitations and a callback made through the services."""

from __future__ import annotations

import datetime as dt
from statistics import mean

import pytest
from django.utils import timezone

from plaint.insights.models import AnswerCount
from plaint.surveys.demo import seed_demo
from plaint.surveys.models import Answer, CallbackTask, Invitation, Response, Survey


@pytest.mark.django_db
def test_seed_demo_makes_two_surveys_with_trending_responses():
    now = timezone.now()
    summary = seed_demo(now=now, handling=600, relationship=300)
    assert "2 active surveys" in summary and "/survey/" in summary
    handling = Survey.objects.get(key="complaint-handling")
    assert handling.state == "active" and set(handling.title) == {"en", "et", "uk", "sv", "fa"}
    assert {q.attribute for q in handling.questions.all()} >= {
        "speed",
        "fairness",
        "clarity",
        "courtesy",
    }
    assert handling.questions.filter(is_overall=True).count() == 1
    assert {q.kind for q in handling.questions.all()} == {"rating", "nps", "ces", "text"}
    for q in handling.questions.all():
        assert set(q.text) == {"en", "et", "uk", "sv", "fa"}
    responses = Response.objects.filter(survey=handling, submitted_at__isnull=False)
    assert responses.count() == 601  # 600 historical + the live low score
    oldest = responses.order_by("submitted_at").first().submitted_at
    assert now - oldest > dt.timedelta(days=400)
    assert set(responses.values_list("language", flat=True)) == {"en", "et", "uk", "sv", "fa"}
    # speed improves over the 18 months
    cutoff = now - dt.timedelta(days=274)
    early = Answer.objects.filter(
        response__survey=handling,
        question__code="speed",
        response__submitted_at__lt=cutoff - dt.timedelta(days=137),
    )
    late = Answer.objects.filter(
        response__survey=handling,
        question__code="speed",
        response__submitted_at__gt=now - dt.timedelta(days=90),
    )
    assert mean(a.value for a in late) > mean(a.value for a in early) + 0.3
    # every submitted response is counted once in the insights aggregates
    counted = sum(
        AnswerCount.objects.filter(
            survey=handling, question__code="overall", dimension="all"
        ).values_list("count", flat=True)
    )
    assert counted == responses.count()
    invited = Invitation.objects.filter(survey=handling).count()
    assert 0.3 < responses.count() / invited < 0.45
    assert CallbackTask.objects.get().email == "demo-low@example.org"
    assert Invitation.objects.filter(
        email="demo-fa@example.org", state="sent", language="fa"
    ).exists()
    # seeding again adds nothing
    seed_demo(now=now, handling=600, relationship=300)
    assert Response.objects.filter(survey=handling).count() == 601
