"""The two demo surveys, built through the services: the ISO 10002 8.3 complaint-handling survey
and the relationship survey sent to the contact list in monthly waves."""

from __future__ import annotations

from typing import Any

from plaint.core.actors import Actor
from plaint.surveys import services
from plaint.surveys.demo.texts import (
    HANDLING_QUESTIONS,
    HANDLING_TITLE,
    OPTIONS,
    RELATIONSHIP_QUESTIONS,
    RELATIONSHIP_TITLE,
    SAT5,
    SAT7,
)
from plaint.surveys.models import Survey, SurveyKind

HANDLING_SETTINGS: dict[str, Any] = {
    "sampling_rate": "1",
    "delay_hours": 24,
    "reminder_count": 1,
    "reminder_interval_days": 4,
    "quiet_period_days": 90,
    "questions_per_page": 4,
    "followup": "callback",
    "followup_max_score": 1,
}
RELATIONSHIP_SETTINGS: dict[str, Any] = {
    "sampling_rate": "0.25",
    "reminder_count": 2,
    "reminder_interval_days": 5,
    "quiet_period_days": 180,
    "period_days": 30,
}


def surveys_build(actor: Actor) -> tuple[Survey, Survey]:
    """The complaint-handling and the relationship survey (existing ones are kept)."""
    handling = survey_build(
        actor,
        "complaint-handling",
        SurveyKind.COMPLAINT_CLOSED,
        HANDLING_TITLE,
        HANDLING_QUESTIONS,
        **HANDLING_SETTINGS,
    )
    relationship = survey_build(
        actor,
        "customer-relationship",
        SurveyKind.RELATIONSHIP,
        RELATIONSHIP_TITLE,
        RELATIONSHIP_QUESTIONS,
        **RELATIONSHIP_SETTINGS,
    )
    return handling, relationship


def survey_build(
    actor: Actor, key: str, kind: str, title: dict, questions: list, **settings: Any
) -> Survey:
    """An active survey with ``questions`` (code, kind, attribute, weight, texts); the latest
    version of ``key`` if there is one already."""
    existing = Survey.objects.filter(key=key).order_by("-version").first()
    if existing is not None:
        return existing
    survey = services.survey_create(actor=actor, key=key, kind=kind, title=title, **settings)
    scale = 5 if kind == SurveyKind.COMPLAINT_CLOSED else 7
    labels = SAT5 if scale == 5 else SAT7
    for code, qkind, attribute, weight, text in questions:
        data = {"kind": qkind, "code": code, "text": text}
        if qkind == "rating":
            data.update(
                scale_min=1,
                scale_max=scale,
                point_labels=labels,
                attribute=attribute,
                weight=weight,
                is_overall=code == "overall",
                required=code == "overall",
            )
        if qkind == "single":
            data["options"] = OPTIONS[code]
        services.question_add(actor=actor, survey_id=survey.pk, **data)
    return services.survey_activate(actor=actor, survey_id=survey.pk)
