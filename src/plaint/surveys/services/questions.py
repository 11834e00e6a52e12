"""Questions of a survey: add, change, remove, reorder; only while the survey is editable.

A question's fields are checked here as a whole (``question_clean``): the kind decides which of the
scale, labels, weight and options apply."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from plaint.core.actors import Actor
from plaint.core.errors import NotFound, ValidationFailed
from plaint.surveys.models import (
    CHOICE_KINDS,
    OVERALL_KINDS,
    SCALE_KINDS,
    Question,
    QuestionKind,
    Survey,
)
from plaint.surveys.services.base import (
    FIXED_SCALES,
    QUESTION_FIELDS,
    Errors,
    audit,
    clean_texts,
    lock_survey,
    require_manager,
    survey_check_editable,
)
from plaint.surveys.states import LANGUAGES


def _clean_code(data: dict[str, Any], others: QuerySet[Question], errors: Errors) -> str:
    code = str(data.get("code") or "").strip().lower()
    if not code or len(code) > 40 or not all(c.isalnum() or c in "-_" for c in code):
        errors["code"] = [_("Letters, digits, - and _ only, at most 40 characters.")]
    elif others.filter(code=code).exists():
        errors["code"] = [_("Another question of this survey has this code.")]
    return code


def _fixed_scale_message(kind: str) -> str:
    if kind == QuestionKind.NPS:
        return _(
            "Likelihood to recommend (NPS) runs from 0 to 10 by definition; for another scale "
            "choose a rating question."
        )
    if kind == QuestionKind.CES:
        return _("Customer effort runs from 1 to 7; for another scale choose a rating question.")
    return _("A yes/no question has two answers, yes (1) and no (0); leave the scale empty.")


def _scale_range(kind: str, data: dict[str, Any], errors: Errors) -> tuple[int, int]:
    if kind in FIXED_SCALES:
        fixed = FIXED_SCALES[QuestionKind(kind)]
        for name, expected in zip(("scale_min", "scale_max"), fixed, strict=True):
            given = data.get(name)
            if given is None or given == "":
                continue
            try:
                same = int(str(given).strip()) == expected
            except ValueError:
                same = False
            if not same:  # refused, never silently replaced by the fixed scale
                errors[name] = [_fixed_scale_message(kind)]
        return fixed
    try:
        low = int(1 if data.get("scale_min") is None else data["scale_min"])
        high = int(5 if data.get("scale_max") is None else data["scale_max"])
    except (TypeError, ValueError):
        low, high = 0, -1
    if low not in (0, 1) or not 2 <= high - low <= 10:
        errors["scale_max"] = [
            _("A rating scale runs from 0 or 1 up to 3 to 11 points, e.g. 1 to 5 or 1 to 7.")
        ]
    return low, high


def _clean_point_labels(
    labels: Any, low: int, high: int, errors: Errors
) -> dict[str, dict[str, str]]:
    """{language: {point: label}}: known languages, points on the scale, labels trimmed."""
    clean: dict[str, dict[str, str]] = {}
    if not isinstance(labels, dict):
        errors["point_labels"] = [_("Give labels per language and point.")]
        return clean
    for lang, points in labels.items():
        if lang not in LANGUAGES or not isinstance(points, dict):
            errors["point_labels"] = [_("Give labels per language and point.")]
            continue
        for point, label in points.items():
            try:
                number = int(point)
            except (TypeError, ValueError):
                number = low - 1
            if not low <= number <= high:
                errors["point_labels"] = [
                    _("Labelled points must lie from %(low)s to %(high)s.")
                    % {"low": low, "high": high}
                ]
            elif str(label).strip():
                clean.setdefault(lang, {})[str(number)] = str(label).strip()[:100]
    return clean


def _clean_weight(value: Any, errors: Errors) -> Decimal:
    try:
        weight = Decimal(str(value))
    except InvalidOperation:
        weight = Decimal(-1)
    if not weight.is_finite():  # NaN or infinity would not compare
        weight = Decimal(-1)
    if not Decimal(0) <= weight <= Decimal(100):
        errors["weight"] = [_("An importance weight from 0 to 100.")]
        return weight
    # as stored (three decimals), so what the service returns equals what is read back
    return weight.quantize(Decimal("0.001"))


def _clean_scale(
    kind: str, data: dict[str, Any], others: QuerySet[Question], errors: Errors
) -> dict[str, Any]:
    """The fields of a rating, NPS or CES question."""
    low, high = _scale_range(kind, data, errors)
    clean = {
        "scale_min": low,
        "scale_max": high,
        "point_labels": _clean_point_labels(data.get("point_labels") or {}, low, high, errors),
        "attribute": str(data.get("attribute") or "").strip().lower()[:40],
        "weight": _clean_weight(data.get("weight", "1"), errors),
        "is_overall": bool(data.get("is_overall", False)),
    }
    if clean["is_overall"] and kind not in OVERALL_KINDS:
        errors["is_overall"] = [_only_overall()]
    elif clean["is_overall"] and others.filter(is_overall=True).exists():
        errors["is_overall"] = [_("Another question is already the overall question.")]
    return clean


def _only_overall() -> str:
    return _("Only a rating or a yes/no question can be the overall question.")


def _clean_options(options: Any, errors: Errors) -> list[dict[str, Any]]:
    """The options of a choice question: at least two, unique codes, an English label each."""
    clean: list[dict[str, Any]] = []
    seen: set[str] = set()
    for option in options if isinstance(options, list) else []:
        if not isinstance(option, dict):
            continue
        code = str(option.get("code") or "").strip().lower()[:40]
        label_errors: Errors = {}
        label = clean_texts(option.get("label"), "options", label_errors, limit=200)
        if not code or code in seen or label_errors:
            errors["options"] = [_("Each option needs a unique code and an English label.")]
            continue
        seen.add(code)
        clean.append({"code": code, "label": label})
    if len(clean) < 2 and "options" not in errors:
        errors["options"] = [_("Give at least two options.")]
    return clean


def question_clean(
    *, survey: Survey, data: dict[str, Any], exclude_pk: int | None = None
) -> dict[str, Any]:
    """The question's fields as stored, or ValidationFailed with every field error at once.
    ``exclude_pk`` is the question being changed (its own code and overall flag do not clash)."""
    others = survey.questions.all()
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    kind = data.get("kind")
    if kind not in QuestionKind.values:
        raise ValidationFailed(
            _("Choose a question type."),
            fields={"kind": [_("One of: %(v)s.") % {"v": ", ".join(QuestionKind.values)}]},
        )
    errors: Errors = {}
    clean: dict[str, Any] = {
        "kind": kind,
        "code": _clean_code(data, others, errors),
        "text": clean_texts(data.get("text"), "text", errors, limit=1000),
        "required": bool(data.get("required", False)),
        "scale_min": None,
        "scale_max": None,
        "point_labels": {},
        "options": [],
        "attribute": "",
        "weight": Decimal("1.000"),
        "is_overall": False,
    }
    if kind in SCALE_KINDS:
        clean.update(_clean_scale(kind, data, others, errors))
    elif kind in CHOICE_KINDS:
        clean["options"] = _clean_options(data.get("options") or [], errors)
    if kind not in SCALE_KINDS and data.get("is_overall"):  # refused, not silently dropped
        errors["is_overall"] = [_only_overall()]
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    return clean


def _editable_question(question_id: int) -> tuple[Question, Survey]:
    """A question and its survey, locked and checked editable (NotFound for an unknown id)."""
    question = Question.objects.filter(pk=question_id).first()
    if question is None:
        raise NotFound(_("No such question."))
    survey = lock_survey(question.survey_id)
    survey_check_editable(survey=survey)
    return question, survey


@transaction.atomic
def question_add(*, actor: Actor, survey_id: int, **data: Any) -> Question:
    require_manager(actor, _("edit surveys"))
    survey = lock_survey(survey_id)
    survey_check_editable(survey=survey)
    clean = question_clean(survey=survey, data=data)
    last = survey.questions.order_by("-position").values_list("position", flat=True).first()
    question = Question.objects.create(survey=survey, position=(last or 0) + 1, **clean)
    audit(
        "survey", survey.pk, actor, "question_added", {"code": question.code, "kind": question.kind}
    )
    return question


@transaction.atomic
def question_update(*, actor: Actor, question_id: int, **data: Any) -> Question:
    require_manager(actor, _("edit surveys"))
    question, survey = _editable_question(question_id)
    merged = {f: getattr(question, f) for f in QUESTION_FIELDS}
    merged.update(data)
    clean = question_clean(survey=survey, data=merged, exclude_pk=question.pk)
    for name, value in clean.items():
        setattr(question, name, value)
    question.save(update_fields=list(clean))
    audit("survey", survey.pk, actor, "question_updated", {"code": question.code})
    return question


@transaction.atomic
def question_remove(*, actor: Actor, question_id: int) -> None:
    require_manager(actor, _("edit surveys"))
    question, survey = _editable_question(question_id)
    code = question.code
    question.delete()
    audit("survey", survey.pk, actor, "question_removed", {"code": code})


@transaction.atomic
def question_move(*, actor: Actor, question_id: int, up: bool) -> Question:
    """Swap a question with its neighbour above (``up``) or below."""
    require_manager(actor, _("edit surveys"))
    question, survey = _editable_question(question_id)
    siblings = survey.questions.order_by("position")
    neighbour = (
        siblings.filter(position__lt=question.position).last()
        if up
        else siblings.filter(position__gt=question.position).first()
    )
    if neighbour is None:
        return question
    a, b = question.position, neighbour.position
    question.position = 10000  # out of the way of the unique (survey, position) constraint
    question.save(update_fields=["position"])
    neighbour.position = a
    neighbour.save(update_fields=["position"])
    question.position = b
    question.save(update_fields=["position"])
    audit("survey", survey.pk, actor, "question_moved", {"code": question.code, "to": b})
    return question
