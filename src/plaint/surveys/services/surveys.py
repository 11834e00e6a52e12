"""Surveys: create, edit, version, activate and archive.

A survey that has responses is never edited in place; ``survey_new_version`` copies it into a new
draft, and activating that draft archives the previous version (its responses stay with it).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.core.actors import Actor
from plaint.core.errors import Conflict, ValidationFailed, choose_one_of
from plaint.surveys.models import FollowUp, Invitation, Question, Survey, SurveyKind
from plaint.surveys.services.base import (
    QUESTION_FIELDS,
    SURVEY_SETTINGS,
    Errors,
    audit,
    check_step,
    clean_texts,
    lock_survey,
    require_manager,
    survey_check_editable,
)
from plaint.surveys.states import InvitationState, SurveyState, SurveyStep

# The whole-number settings and their allowed ranges (inclusive).
SETTING_BOUNDS = {
    "delay_hours": (0, 24 * 90),
    "expiry_days": (1, 365),
    "reminder_count": (0, 5),
    "reminder_interval_days": (1, 60),
    "quiet_period_days": (0, 3650),
    "questions_per_page": (1, 50),
}


def _clean_rate(value: Any, errors: Errors) -> Decimal:
    try:
        rate = Decimal(str(value))
    except InvalidOperation:
        rate = Decimal(-1)
    if not Decimal(0) <= rate <= Decimal(1):
        errors.setdefault("sampling_rate", []).append(_("A share from 0 to 1, e.g. 0.25."))
    return rate.quantize(Decimal("0.001")) if rate >= 0 else rate


def _clean_optional_number(name: str, value: Any, errors: Errors, clean: dict[str, Any]) -> None:
    """``followup_max_score`` and ``period_days``: empty means none."""
    if value in ("", None):
        clean[name] = None
        return
    try:
        clean[name] = int(value)
    except (TypeError, ValueError):
        errors.setdefault(name, []).append(_("A whole number."))
        return
    if name == "period_days" and not 1 <= clean[name] <= 3650:
        errors.setdefault(name, []).append(_("From 1 to 3650 days."))


def _clean_bounded_number(name: str, value: Any, errors: Errors, clean: dict[str, Any]) -> None:
    low, high = SETTING_BOUNDS[name]
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.setdefault(name, []).append(_("A whole number."))
        return
    if not low <= number <= high:
        errors.setdefault(name, []).append(
            _("From %(low)s to %(high)s.") % {"low": low, "high": high}
        )
    clean[name] = number


def _clean_settings(changes: dict[str, Any], errors: Errors) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "sampling_rate":
            clean[name] = _clean_rate(value, errors)
        elif name == "followup":
            if value not in FollowUp.values:
                errors.setdefault(name, []).append(choose_one_of(FollowUp.values))
            clean[name] = value
        elif name in {"followup_max_score", "period_days"}:
            _clean_optional_number(name, value, errors, clean)
        else:
            _clean_bounded_number(name, value, errors, clean)
    return clean


def _key_errors(key: str) -> list[str]:
    if not key or len(key) > 60 or not all(c.isalnum() or c in "-_" for c in key):
        return [_("Letters, digits, - and _ only, at most 60 characters.")]
    if Survey.objects.filter(key=key).exists():
        return [_("A survey with this key exists; create a new version of it instead.")]
    return []


@transaction.atomic
def survey_create(
    *,
    actor: Actor,
    key: str,
    kind: str,
    title: dict[str, str],
    intro: dict[str, str] | None = None,
    **survey_settings: Any,
) -> Survey:
    """A new draft survey (version 1)."""
    require_manager(actor, _("build surveys"))
    errors: Errors = {}
    key = (key or "").strip().lower()
    if key_errors := _key_errors(key):
        errors["key"] = key_errors
    if kind not in SurveyKind.values:
        errors["kind"] = [choose_one_of(SurveyKind.values)]
    clean_title = clean_texts(title, "title", errors, limit=200)
    clean_intro = clean_texts(intro, "intro", {}, limit=2000) if intro else {}
    unknown = set(survey_settings) - set(SURVEY_SETTINGS)
    if unknown:
        errors["settings"] = [_("Unknown settings: %(n)s") % {"n": ", ".join(sorted(unknown))}]
    clean = _clean_settings({k: v for k, v in survey_settings.items() if k not in unknown}, errors)
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    survey = Survey.objects.create(
        key=key,
        kind=kind,
        title=clean_title,
        intro=clean_intro,
        created_at=timezone.now(),
        created_by=actor.user,
        **clean,
    )
    audit("survey", survey.pk, actor, "created", {"key": key, "kind": kind, "version": 1})
    return survey


@transaction.atomic
def survey_update(*, actor: Actor, survey_id: int, **changes: Any) -> Survey:
    """Change a survey's title, intro or settings; only while it has no responses."""
    require_manager(actor, _("edit surveys"))
    survey = lock_survey(survey_id)
    survey_check_editable(survey=survey)
    errors: Errors = {}
    unknown = set(changes) - set(SURVEY_SETTINGS) - {"title", "intro"}
    if unknown:
        raise ValidationFailed(_("Unknown settings: %(n)s") % {"n": ", ".join(sorted(unknown))})
    clean: dict[str, Any] = {}
    if "title" in changes:
        clean["title"] = clean_texts(changes.pop("title"), "title", errors, limit=200)
    if "intro" in changes:
        intro = changes.pop("intro") or {}
        clean["intro"] = clean_texts(intro, "intro", {}, limit=2000) if intro else {}
    clean.update(_clean_settings(changes, errors))
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    for name, value in clean.items():
        setattr(survey, name, value)
    survey.save(update_fields=[*clean.keys(), "updated_at"])
    audit("survey", survey.pk, actor, "updated", {"fields": sorted(clean)})
    return survey


@transaction.atomic
def survey_new_version(*, actor: Actor, survey_id: int) -> Survey:
    """Copy a survey and its questions into a new draft version; the old one keeps its responses."""
    require_manager(actor, _("edit surveys"))
    old = lock_survey(survey_id)
    latest = Survey.objects.filter(key=old.key).order_by("-version").first()
    if latest is not None and latest.pk != old.pk and latest.state == SurveyState.DRAFT:
        raise Conflict(
            _("Version %(v)s of this survey is already a draft: edit that one.")
            % {"v": latest.version}
        )
    new = Survey.objects.create(
        key=old.key,
        version=(latest.version if latest else old.version) + 1,
        previous=old,
        title=dict(old.title),
        intro=dict(old.intro),
        kind=old.kind,
        created_at=timezone.now(),
        created_by=actor.user,
        **{name: getattr(old, name) for name in SURVEY_SETTINGS},
    )
    Question.objects.bulk_create(
        Question(survey=new, position=q.position, **{f: getattr(q, f) for f in QUESTION_FIELDS})
        for q in old.questions.order_by("position")
    )
    audit("survey", new.pk, actor, "version_created", {"from": old.pk, "version": new.version})
    return new


@transaction.atomic
def survey_activate(*, actor: Actor, survey_id: int) -> Survey:
    """Start collecting: the survey's triggers fire from now on. Archives the version it replaces."""
    require_manager(actor, _("activate surveys"))
    survey = lock_survey(survey_id)
    check_step(survey, SurveyStep.ACTIVATE)
    questions = list(survey.questions.all())
    if not questions:
        raise ValidationFailed(_("Add at least one question before activating the survey."))
    now = timezone.now()
    for other in Survey.objects.select_for_update().filter(
        key=survey.key, state=SurveyState.ACTIVE
    ):
        _archive(other, actor, now, replaced_by=survey.pk)
    survey.state = SurveyState.ACTIVE
    survey.activated_at = now
    survey.save(update_fields=["state", "activated_at", "updated_at"])
    audit("survey", survey.pk, actor, "activated", {"state": SurveyState.ACTIVE})
    return survey


def _archive(
    survey: Survey, actor: Actor, now: dt.datetime, *, replaced_by: int | None = None
) -> None:
    survey.state = SurveyState.ARCHIVED
    survey.archived_at = now
    survey.save(update_fields=["state", "archived_at", "updated_at"])
    # Invitations not yet sent go nowhere; links already sent stay answerable until they expire.
    cancelled = Invitation.objects.filter(survey=survey, state=InvitationState.SCHEDULED).update(
        state=InvitationState.CANCELLED, closed_at=now
    )
    audit(
        "survey",
        survey.pk,
        actor,
        "archived",
        {"state": SurveyState.ARCHIVED, "replaced_by": replaced_by, "cancelled": cancelled},
    )


@transaction.atomic
def survey_archive(*, actor: Actor, survey_id: int) -> Survey:
    require_manager(actor, _("archive surveys"))
    survey = lock_survey(survey_id)
    check_step(survey, SurveyStep.ARCHIVE)
    _archive(survey, actor, timezone.now())
    return survey
