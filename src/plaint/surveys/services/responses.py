"""Answering a survey through its link: open it, save a page of answers, submit once.

A submitted response is published as ``ResponseRecorded`` (insights keeps its measures in step)
and a low overall score opens the survey's follow-up (``callbacks``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.core.actors import Actor
from plaint.core.errors import Conflict, ValidationFailed
from plaint.core.events import publish
from plaint.surveys.events import ResponseRecorded
from plaint.surveys.models import (
    SCALE_KINDS,
    Answer,
    Invitation,
    Question,
    QuestionKind,
    Response,
    ResponseSource,
)
from plaint.surveys.services.base import TEXT_LIMIT
from plaint.surveys.services.callbacks import follow_up
from plaint.surveys.services.links import check_usable, invitation_for_token
from plaint.surveys.services.steps import move_invitation
from plaint.surveys.states import LANGUAGES, InvitationStep

AnswerValues = dict[str, Any]


def _refuse(field_name: str, message: str, detail: str | None = None) -> ValidationFailed:
    return ValidationFailed(message, fields={field_name: [detail or message]})


# a yes/no answer as a word, in the five languages (imported files write them so)
YES_NO_WORDS = {
    **dict.fromkeys(("yes", "y", "true", "jah", "ja", "так", "بله", "آری"), 1),
    **dict.fromkeys(("no", "n", "false", "ei", "nej", "ні", "خیر", "نه"), 0),
}


def _clean_scale_answer(question: Question, raw: Any, field_name: str) -> AnswerValues | None:
    if raw in (None, ""):
        return None
    if question.kind == QuestionKind.YESNO and str(raw).strip().lower() in YES_NO_WORDS:
        return {"value": YES_NO_WORDS[str(raw).strip().lower()], "text": "", "choices": []}
    low, high = question.scale_min, question.scale_max
    if low is None or high is None:  # question_clean gives every scale question its range
        raise Conflict(_("This question has no scale; a manager needs to edit the survey."))
    try:
        value: int | None = int(str(raw).strip())
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        message = _("Choose a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
        raise _refuse(field_name, message)
    return {"value": value, "text": "", "choices": []}


def _clean_single_answer(codes: list[str], raw: Any, field_name: str) -> AnswerValues | None:
    if raw in (None, "", []):
        return None
    raw = raw[0] if isinstance(raw, list) and len(raw) == 1 else raw
    if not isinstance(raw, str) or raw not in codes:
        detail = _("Choose one of: %(o)s.") % {"o": ", ".join(codes)}
        raise _refuse(field_name, _("Choose one of the options."), detail)
    return {"value": None, "text": "", "choices": [raw]}


def _clean_multi_answer(codes: list[str], raw: Any, field_name: str) -> AnswerValues | None:
    if isinstance(raw, str):
        raw = [c.strip() for c in raw.split("|") if c.strip()] if raw else []
    if not raw:
        return None
    if not isinstance(raw, list) or any(c not in codes for c in raw):
        detail = _("Choose among: %(o)s.") % {"o": ", ".join(codes)}
        raise _refuse(field_name, _("Choose among the options."), detail)
    return {"value": None, "text": "", "choices": sorted(set(raw), key=codes.index)}


def _clean_text_answer(raw: Any, field_name: str) -> AnswerValues | None:
    text = str(raw or "").strip()
    if not text:
        return None
    if len(text) > TEXT_LIMIT or "\x00" in text:
        raise _refuse(field_name, _("At most %(n)s characters.") % {"n": TEXT_LIMIT})
    return {"value": None, "text": text, "choices": []}


def answer_clean(*, question: Question, raw: Any) -> AnswerValues | None:
    """Parse one answer to ``question`` (as posted or imported) into the Answer fields ``value``,
    ``text`` and ``choices``; None means "not answered". Raises ValidationFailed naming the range
    or the options, under the field ``q_<code>``."""
    field_name = f"q_{question.code}"
    if question.kind in SCALE_KINDS:
        return _clean_scale_answer(question, raw, field_name)
    codes = [o["code"] for o in question.options]
    if question.kind == QuestionKind.SINGLE:
        return _clean_single_answer(codes, raw, field_name)
    if question.kind == QuestionKind.MULTI:
        return _clean_multi_answer(codes, raw, field_name)
    return _clean_text_answer(raw, field_name)


def _clean_answers(
    questions: list[Question], answers: dict[str, Any]
) -> dict[int, AnswerValues | None]:
    """All answers at once, collecting every field error before raising."""
    clean: dict[int, AnswerValues | None] = {}
    errors: dict[str, list[str]] = {}
    for question in questions:
        if question.code not in answers:
            continue
        try:
            clean[question.pk] = answer_clean(question=question, raw=answers[question.code])
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if errors:
        raise ValidationFailed(_("Some answers are not valid."), fields=errors)
    return clean


def _response_for(invitation: Invitation, now: dt.datetime) -> Response:
    response = Response.objects.filter(invitation=invitation).first()
    if response is not None:
        return response
    complaint = invitation.complaint
    return Response.objects.create(
        survey=invitation.survey,
        invitation=invitation,
        complaint=complaint,
        started_at=now,
        language=invitation.language,
        channel=complaint.channel if complaint else "",
        category_id=complaint.category_id if complaint else None,
        product=complaint.product if complaint else "",
        segment=invitation.contact.segment if invitation.contact else "",
        source=ResponseSource.WEB,
    )


def publish_recorded(response: Response) -> None:
    """Tell the apps above that a response was stored (insights counts it)."""
    publish(ResponseRecorded(response=response))


def response_open(*, token: str) -> tuple[Invitation, Response | None]:
    """What the answer page shows: the invitation (checked usable) and any partial response."""
    invitation = invitation_for_token(token)
    check_usable(invitation, timezone.now())
    response = Response.objects.filter(invitation=invitation).prefetch_related("answers").first()
    return invitation, response


def _store_answers(response: Response, clean: dict[int, AnswerValues | None]) -> None:
    """Write one page's answers: new ones, changed ones, and those cleared (None)."""
    existing = {a.question_id: a for a in response.answers.all()}
    new, changed, gone = [], [], []
    for question_id, values in clean.items():
        answer = existing.get(question_id)
        if values is None:
            if answer is not None:
                gone.append(answer.pk)
        elif answer is None:
            new.append(Answer(response=response, question_id=question_id, **values))
        elif any(getattr(answer, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(answer, k, v)
            changed.append(answer)
    Answer.objects.bulk_create(new)
    Answer.objects.bulk_update(changed, ["value", "text", "choices"])
    if gone:
        Answer.objects.filter(pk__in=gone).delete()


def _submit(
    invitation: Invitation, response: Response, questions: list[Question], now: dt.datetime
) -> None:
    """Check the required questions, mark the response submitted and the invitation responded,
    publish it and open any follow-up."""
    answered = set(response.answers.values_list("question_id", flat=True))
    missing = [q for q in questions if q.required and q.pk not in answered]
    if missing:
        raise ValidationFailed(
            _("Please answer the required questions."),
            fields={f"q_{q.code}": [_("This question needs an answer.")] for q in missing},
        )
    response.submitted_at = now
    response.save(update_fields=["submitted_at"])
    move_invitation(
        invitation,
        InvitationStep.RESPOND,
        Actor.system("recipient"),
        {"responded_at": now, "next_reminder_at": None},
        {"response": response.pk},
    )
    publish_recorded(response)
    follow_up(response, questions)


@transaction.atomic
def response_save(
    *,
    token: str,
    answers: dict[str, Any],
    page: int = 1,
    submit: bool = False,
    language: str | None = None,
) -> Response:
    """Save the answers posted from one page of the survey (a partial response); with ``submit``,
    check the required questions and submit. A link submits once; a second submit is refused."""
    invitation = invitation_for_token(token, lock=True)
    now = timezone.now()
    check_usable(invitation, now)
    questions = list(invitation.survey.questions.order_by("position"))
    clean = _clean_answers(questions, answers)
    response = _response_for(invitation, now)
    _store_answers(response, clean)
    response.page = max(1, min(page, 1000))
    if language in LANGUAGES:  # the language the person answers in, if they switched
        response.language = language
    response.save(update_fields=["page", "language"])
    if submit:
        _submit(invitation, response, questions, now)
    return response
