"""Surveys built through the services, so they carry real audit events and validation."""

from __future__ import annotations

from plaint.core.actors import Actor
from plaint.surveys import services

LABELS_5 = {
    "en": {"1": "Very dissatisfied", "5": "Very satisfied"},
    "fa": {"1": "بسیار ناراضی", "5": "بسیار راضی"},
}


def make_survey(
    user,
    *,
    key: str = "handling",
    kind: str = "complaint_closed",
    activate: bool = True,
    **settings,
):
    """A complaint-handling survey: overall (1-5), speed (1-5), NPS, CES, a choice, free text."""
    actor = Actor.staff(user)
    survey = services.survey_create(
        actor=actor,
        key=key,
        kind=kind,
        title={"en": "Your complaint", "fa": "شکایت شما", "et": "Teie kaebus"},
        **settings,
    )
    add = lambda **q: services.question_add(actor=actor, survey_id=survey.pk, **q)  # noqa: E731
    add(
        kind="rating",
        code="overall",
        text={"en": "Overall, how satisfied are you?", "fa": "در مجموع چقدر راضی هستید؟"},
        scale_min=1,
        scale_max=5,
        point_labels=LABELS_5,
        is_overall=True,
        required=True,
    )
    add(
        kind="rating",
        code="speed",
        text={"en": "How satisfied are you with the speed?"},
        scale_min=1,
        scale_max=5,
        attribute="speed",
        weight="2",
    )
    add(kind="nps", code="nps", text={"en": "How likely are you to recommend us?"})
    add(kind="ces", code="effort", text={"en": "How easy was it to get your complaint handled?"})
    add(
        kind="single",
        code="contact",
        text={"en": "How did you contact us?"},
        options=[
            {"code": "web", "label": {"en": "Web form"}},
            {"code": "phone", "label": {"en": "Phone"}},
        ],
    )
    add(
        kind="multi",
        code="liked",
        text={"en": "What went well?"},
        options=[
            {"code": "tone", "label": {"en": "Tone"}},
            {"code": "speed", "label": {"en": "Speed"}},
            {"code": "outcome", "label": {"en": "Outcome"}},
        ],
    )
    add(kind="text", code="comment", text={"en": "Anything else?"})
    if activate:
        survey = services.survey_activate(actor=actor, survey_id=survey.pk)
    survey.refresh_from_db()
    return survey


def invite(user, survey, *, email: str = "kaja@example.org", language: str = "en", name="Kaja"):
    """A sent invitation and its token (recomputed as the mail's link would carry it)."""
    invitation = services.invitation_create(
        actor=Actor.staff(user), survey_id=survey.pk, email=email, language=language, name=name
    )
    return invitation, services.invitation_token(invitation.token_salt)
