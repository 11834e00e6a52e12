"""Reads of surveys, invitations, responses, contacts and callback tasks, with access applied.

Staff (every role, auditors included) read surveys and their results; the public reads only what
its invitation link names (see ``services.response_open``). Lists are keyset-paginated or bounded
with a constant number of queries.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader, can_read_surveys
from plaint.core.errors import NotFound, ValidationFailed
from plaint.surveys.models import (
    Answer,
    CallbackTask,
    Contact,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Suppression,
    Survey,
    SurveyKind,
)
from plaint.surveys.states import CallbackState, InvitationState, SurveyState


def survey_list(*, actor: Reader, limit: int = 200) -> list[Survey]:
    """Surveys with their question and response counts (bounded; there are few surveys)."""
    if not can_read_surveys(actor):
        return []
    qs = Survey.objects.annotate(
        n_questions=Count("questions", distinct=True),
        n_responses=Count(
            "responses", filter=Q(responses__submitted_at__isnull=False), distinct=True
        ),
    ).order_by("key", "-version")
    return list(qs[:limit])


def survey_get(*, actor: Reader, survey_id: int) -> Survey:
    if not can_read_surveys(actor):
        raise NotFound(_("No such survey."))
    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        raise NotFound(_("No such survey."))
    return survey


def question_get(*, actor: Reader, question_id: int) -> Question:
    if not can_read_surveys(actor):
        raise NotFound(_("No such question."))
    question = Question.objects.select_related("survey").filter(pk=question_id).first()
    if question is None:
        raise NotFound(_("No such question."))
    return question


def survey_questions(*, survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("position"))


def survey_counts(*, survey: Survey) -> dict[str, int]:
    """Invitations by state and responses (submitted and partial) of one survey version."""
    counts = {s.value: 0 for s in InvitationState}
    for row in survey.invitations.values("state").annotate(n=Count("id")):
        counts[row["state"]] = row["n"]
    responses = survey.responses.aggregate(
        submitted=Count("id", filter=Q(submitted_at__isnull=False)),
        partial=Count("id", filter=Q(submitted_at__isnull=True)),
    )
    return {**counts, **responses}


def survey_has_responses(*, survey: Survey) -> bool:
    return survey.responses.exists()


# --- keyset pages -------------------------------------------------------------------------------


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None


def _encode(when: dt.datetime | None, pk: int) -> str:
    raw = json.dumps([when.isoformat() if when else None, pk])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[dt.datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        when, pk = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        return dt.datetime.fromisoformat(when), int(pk)
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
        raise ValidationFailed(
            _("The page cursor is not valid."), fields={"cursor": [_("Invalid cursor.")]}
        ) from exc


def _page(qs: QuerySet, field: str, cursor: str | None, limit: int) -> Page:
    limit = max(1, min(limit, 200))
    if cursor:
        when, pk = _decode(cursor)
        qs = qs.filter(Q(**{f"{field}__lt": when}) | Q(**{field: when, "pk__lt": pk}))
    items = list(qs.order_by(f"-{field}", "-pk")[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    nxt = _encode(getattr(items[-1], field), items[-1].pk) if more and items else None
    return Page(items, nxt)


def invitation_list(
    *, actor: Reader, survey: Survey, state: str = "", cursor: str | None = None, limit: int = 50
) -> Page:
    if not can_read_surveys(actor):
        return Page([], None)
    qs = Invitation.objects.filter(survey=survey).select_related("complaint", "contact")
    if state:
        qs = qs.filter(state=state)
    return _page(qs, "created_at", cursor, limit)


def response_queryset(*, actor: Reader, survey: Survey | None = None) -> QuerySet[Response]:
    if not can_read_surveys(actor):
        return Response.objects.none()
    qs = (
        Response.objects.filter(submitted_at__isnull=False)
        .select_related("category", "complaint", "survey")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("question")))
    )
    if survey is not None:
        qs = qs.filter(survey=survey)
    return qs


def response_list(
    *, actor: Reader, survey: Survey, cursor: str | None = None, limit: int = 50
) -> Page:
    """Submitted responses, newest first, with their answers (three queries a page)."""
    return _page(response_queryset(actor=actor, survey=survey), "submitted_at", cursor, limit)


def response_get(*, actor: Reader, response_id: int) -> Response:
    response = response_queryset(actor=actor).filter(pk=response_id).first()
    if response is None:
        raise NotFound(_("No such response."))
    return response


def contact_list(
    *,
    actor: Reader,
    segment: str = "",
    opted_out: bool | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """Contacts, newest first (keyset pages, one query a page), each with ``opted_out`` (the
    address is on the suppression list); filtered by segment and by opted out or not."""
    if not can_read_surveys(actor):
        return Page([], None)
    qs = Contact.objects.annotate(
        opted_out=Exists(Suppression.objects.filter(email=OuterRef("email")))
    )
    if segment:
        qs = qs.filter(segment=segment)
    if opted_out is not None:
        qs = qs.filter(opted_out=opted_out)
    return _page(qs, "created_at", cursor, limit)


def contact_count(*, actor: Reader) -> int:
    return Contact.objects.count() if can_read_surveys(actor) else 0


def callback_list(
    *, actor: Reader, state: str = CallbackState.OPEN, cursor: str | None = None, limit: int = 50
) -> Page:
    if not can_read_surveys(actor):
        return Page([], None)
    qs = CallbackTask.objects.select_related("survey", "response", "done_by")
    if state:
        qs = qs.filter(state=state)
    return _page(qs, "created_at", cursor, limit)


def callback_open_count(*, actor: Reader, limit: int = 200) -> int:
    """How many callback tasks are open (counted up to ``limit``), without reading them."""
    if not can_read_surveys(actor):
        return 0
    return CallbackTask.objects.filter(state=CallbackState.OPEN)[:limit].count()


# --- export -------------------------------------------------------------------------------------


def export_header(*, questions: list[Question]) -> list[str]:
    return [
        "response_id",
        "submitted_at",
        "source",
        "language",
        "channel",
        "category",
        "product",
        "segment",
        "complaint",
        "external_id",
        *[q.code for q in questions],
    ]


def answer_cell(question: Question, answer: Answer | None) -> Any:
    if answer is None:
        return ""
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTI):
        return "|".join(answer.choices)
    if question.kind == QuestionKind.TEXT:
        return answer.text
    return answer.value


def export_rows(*, actor: Reader, survey: Survey, chunk: int = 1000) -> Iterator[list[Any]]:
    """Every submitted response of a survey as a row of cells, read in keyset chunks so memory
    stays flat however many responses there are (two queries per chunk)."""
    if not can_read_surveys(actor):
        raise NotFound(_("No such survey."))
    questions = survey_questions(survey=survey)
    by_id = {q.pk: q for q in questions}
    last = 0
    base = (
        Response.objects.filter(survey=survey, submitted_at__isnull=False)
        .select_related("category", "complaint")
        .order_by("pk")
    )
    while True:
        batch = list(base.filter(pk__gt=last)[:chunk])
        if not batch:
            return
        answers: dict[int, dict[int, Answer]] = {}
        for answer in Answer.objects.filter(response__in=[r.pk for r in batch]):
            answers.setdefault(answer.response_id, {})[answer.question_id] = answer
        for r in batch:
            mine = answers.get(r.pk, {})
            yield [
                r.pk,
                r.submitted_at,
                r.source,
                r.language,
                r.channel,
                r.category.code if r.category else "",
                r.product,
                r.segment,
                r.complaint.reference if r.complaint else "",
                r.external_id,
                *[answer_cell(q, mine.get(qid)) for qid, q in by_id.items()],
            ]
        last = batch[-1].pk


# --- what the periodic duty asks -----------------------------------------------------------------


def invitations_due(*, now: dt.datetime, limit: int = 500) -> list[int]:
    return list(
        Invitation.objects.filter(
            state=InvitationState.SCHEDULED, send_after__lte=now, expires_at__gt=now
        )
        .order_by("send_after")
        .values_list("pk", flat=True)[:limit]
    )


def reminders_due(*, now: dt.datetime, limit: int = 500) -> list[int]:
    return list(
        Invitation.objects.filter(
            state=InvitationState.SENT, next_reminder_at__lte=now, expires_at__gt=now
        )
        .order_by("next_reminder_at")
        .values_list("pk", flat=True)[:limit]
    )


def invitations_to_expire(*, now: dt.datetime, limit: int = 500) -> list[int]:
    return list(
        Invitation.objects.filter(
            state__in=[InvitationState.SCHEDULED, InvitationState.SENT], expires_at__lte=now
        )
        .order_by("expires_at")
        .values_list("pk", flat=True)[:limit]
    )


def waves_due(*, now: dt.datetime) -> list[int]:
    surveys = Survey.objects.filter(
        kind=SurveyKind.RELATIONSHIP, state=SurveyState.ACTIVE, period_days__isnull=False
    )
    return [
        s.pk
        for s in surveys
        if s.period_days is not None  # always, by the filter
        and (s.last_wave_at is None or s.last_wave_at + dt.timedelta(days=s.period_days) <= now)
    ]
