"""What every survey service shares: limits, the audit helper, the manager check, locking a
survey and checking its lifecycle, and cleaning per-language texts and e-mail addresses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from plaint.accounts.access import can_configure, require
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.errors import Conflict, InvalidTransition, NotFound
from plaint.surveys.models import QuestionKind, Survey
from plaint.surveys.states import LANGUAGES, SURVEY_TRANSITIONS, SurveyState, SurveyStep

if TYPE_CHECKING:
    from plaint.core.models import AuditEvent

FIXED_SCALES = {QuestionKind.NPS: (0, 10), QuestionKind.CES: (1, 7), QuestionKind.YESNO: (0, 1)}
TEXT_LIMIT = 5000
SURVEY_SETTINGS = (
    "sampling_rate",
    "delay_hours",
    "expiry_days",
    "reminder_count",
    "reminder_interval_days",
    "quiet_period_days",
    "questions_per_page",
    "followup",
    "followup_max_score",
    "period_days",
)
QUESTION_FIELDS = (
    "kind",
    "code",
    "text",
    "scale_min",
    "scale_max",
    "point_labels",
    "options",
    "attribute",
    "weight",
    "is_overall",
    "required",
)

Errors = dict[str, list[str]]


def audit(
    case_type: str,
    case_id: int,
    actor: Actor,
    action: str,
    data: dict[str, Any] | None = None,
    personal: dict[str, Any] | None = None,
) -> AuditEvent:
    return audit_append(
        case_type=case_type,
        case_id=case_id,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        data=data or {},
        personal=personal,
    )


def require_manager(actor: Actor, what: str) -> None:
    if actor.kind == "system":
        return
    require(can_configure, actor.user, what)


def lock_survey(survey_id: int) -> Survey:
    survey = Survey.objects.select_for_update().filter(pk=survey_id).first()
    if survey is None:
        raise NotFound(_("No such survey."))
    return survey


def check_step(survey: Survey, step: SurveyStep) -> None:
    sources, _target = SURVEY_TRANSITIONS[step]
    if survey.state not in sources:
        raise InvalidTransition(
            _("“%(step)s” is not possible while the survey is “%(state)s”.")
            % {"step": step.label, "state": SurveyState(survey.state).label}
        )


def survey_check_editable(*, survey: Survey) -> None:
    """Raise the same refusal as the editing services (Conflict once the survey has responses,
    InvalidTransition once archived); the pages call it before showing an edit form."""
    check_step(survey, SurveyStep.EDIT)
    if survey.responses.exists():
        raise Conflict(
            _("This survey already has responses: create a new version to change it."),
        )


def clean_texts(value: Any, name: str, errors: Errors, *, limit: int) -> dict[str, str]:
    """A {language: text} map: known languages only, English required, bounded length."""
    if not isinstance(value, dict):
        errors.setdefault(name, []).append(_('Give the text per language, e.g. {"en": "…"}.'))
        return {}
    clean = {}
    for lang, text in value.items():
        if lang not in LANGUAGES:
            errors.setdefault(name, []).append(
                _("Unknown language %(lang)s; use %(langs)s.")
                % {"lang": lang, "langs": ", ".join(LANGUAGES)}
            )
            continue
        text = str(text or "").strip()
        if len(text) > limit:
            errors.setdefault(name, []).append(
                _("At most %(limit)s characters (%(lang)s).") % {"limit": limit, "lang": lang}
            )
        if text:
            clean[lang] = text
    if "en" not in clean:
        errors.setdefault(name, []).append(_("An English text is required (the fallback)."))
    return clean


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def is_valid_email(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True
