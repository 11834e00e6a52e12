"""Closing the loop on a low score (ISO 10004 8.4): the survey's follow-up opens a callback task
for a manager or logs a complaint, as the survey says; and a callback task is marked done."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from plaint.complaints.models import Channel
from plaint.complaints.services import ComplaintInput, complaint_submit
from plaint.core.actors import Actor
from plaint.core.errors import InvalidTransition, NotFound, ValidationFailed
from plaint.surveys.models import (
    Answer,
    CallbackTask,
    FollowUp,
    Question,
    QuestionKind,
    Response,
    ResponseSource,
    SurveyKind,
)
from plaint.surveys.services.base import TEXT_LIMIT, audit, require_manager
from plaint.surveys.states import LANGUAGES, CallbackState


def _who(response: Response) -> tuple[str, str]:
    """The address and name a follow-up names; an imported row has no address, so its name says
    which row it is, for a manager to find it."""
    invitation = response.invitation
    email = invitation.email if invitation else ""
    name = (invitation.name if invitation else "") or email
    if invitation is None and response.source == ResponseSource.IMPORT:
        name = (
            _("Imported response, external id %(id)s") % {"id": response.external_id}
            if response.external_id
            else _("Imported response %(id)s") % {"id": response.pk}
        )
    return email, name


def _open_callback(
    response: Response, email: str, name: str, score: int, comments: str
) -> CallbackTask:
    task = CallbackTask.objects.create(
        survey=response.survey,
        response=response,
        email=email,
        name=name[:200],
        score=score,
        comment=comments[:TEXT_LIMIT],
        created_at=timezone.now(),
    )
    audit(
        "survey_callback",
        task.pk,
        Actor.system("surveys"),
        "opened",
        {"response": response.pk, "score": score},
    )
    return task


def _open_complaint(
    response: Response, email: str, name: str, scored: Question, score: int, comments: str
) -> None:
    """Logged as an e-mail complaint from the invited address: it waits for a handler to
    acknowledge it, which mails the tracking link."""
    survey = response.survey
    about_handling = survey.kind == SurveyKind.COMPLAINT_CLOSED
    reference = response.invitation.case_ref if response.invitation else ""
    # written in the respondent's language, the complaint's, whoever's request or job saves it
    language = response.language if response.language in LANGUAGES else "en"
    with translation.override(language):
        subject = (
            _("Low satisfaction with the handling of %(ref)s") % {"ref": reference}
            if about_handling and reference
            else _("Low score in the survey “%(title)s”") % {"title": survey.title_in(language)}
        )
        description = _(
            "Opened automatically from a survey response: the overall score was %(score)s "
            "(%(low)s to %(high)s)."
        ) % {"score": score, "low": scored.scale_min, "high": scored.scale_max}
    if comments:
        description += "\n\n" + comments
    complaint_submit(
        data=ComplaintInput(
            name=name[:200],
            email=email,
            subject=subject[:200],
            description=description[:20000],
            language=language,
            category=response.category.code if response.category else "",
            product=response.product,
            about_process=about_handling,
        ),
        channel=Channel.EMAIL,
        actor=Actor.system("surveys"),
    )


def follow_up(
    response: Response, questions: list[Question], answers: dict[int, Answer] | None = None
) -> bool:
    """Close the loop on a low overall score: a complaint or a callback task, as the survey says.
    ``answers`` (question id -> answer) saves a query when the caller holds them. Returns whether
    a follow-up was opened."""
    survey = response.survey
    if survey.followup == FollowUp.NONE or survey.followup_max_score is None:
        return False
    # the overall question, else the first scale question
    scored = [q for q in questions if q.is_overall] or [q for q in questions if q.is_scale]
    if not scored:
        return False
    if answers is None:
        answers = {a.question_id: a for a in response.answers.all()}
    overall = answers.get(scored[0].pk)
    if overall is None or overall.value is None or overall.value > survey.followup_max_score:
        return False
    comments = "\n\n".join(
        answers[q.pk].text for q in questions if q.kind == QuestionKind.TEXT and q.pk in answers
    )
    email, name = _who(response)
    if survey.followup == FollowUp.CALLBACK:
        _open_callback(response, email, name, overall.value, comments)
        return True
    if not email:
        return False
    _open_complaint(response, email, name, scored[0], overall.value, comments)
    return True


@transaction.atomic
def callback_done(*, actor: Actor, callback_id: int, note: str = "") -> CallbackTask:
    require_manager(actor, _("complete callback tasks"))
    task = CallbackTask.objects.select_for_update().filter(pk=callback_id).first()
    if task is None:
        raise NotFound(_("No such callback task."))
    if task.state != CallbackState.OPEN:
        raise InvalidTransition(_("This callback task is already done."))
    if len(note) > TEXT_LIMIT:
        raise ValidationFailed(
            _("Note too long."), fields={"note": [_("At most 5000 characters.")]}
        )
    task.state = CallbackState.DONE
    task.done_at = timezone.now()
    task.done_by = actor.user
    task.note = note.strip()
    task.save(update_fields=["state", "done_at", "done_by", "note"])
    audit("survey_callback", task.pk, actor, "done", {"state": CallbackState.DONE})
    return task
