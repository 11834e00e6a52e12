"""Every write to surveys, invitations, responses, contacts and callback tasks.

Each function is one transaction: lock, check permission and state, validate, change, audit, enqueue.
A survey that has responses is never edited in place; ``survey_new_version`` copies it into a new
draft, and activating that draft archives the previous version (its responses stay with it).
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import hmac
import io
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.accounts.access import can_configure, require
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.digest import sha256_hex
from plaint.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from plaint.core.events import publish
from plaint.core.services import email_enqueue
from plaint.surveys.events import ResponseRecorded
from plaint.surveys.models import (
    CHOICE_KINDS,
    SCALE_KINDS,
    Answer,
    CallbackTask,
    Contact,
    FollowUp,
    Invitation,
    Question,
    QuestionKind,
    Response,
    ResponseSource,
    Suppression,
    Survey,
    SurveyKind,
)
from plaint.surveys.states import (
    INVITATION_TRANSITIONS,
    LANGUAGES,
    OPEN_INVITATION_STATES,
    SURVEY_TRANSITIONS,
    CallbackState,
    InvitationState,
    InvitationStep,
    SurveyState,
    SurveyStep,
)

if TYPE_CHECKING:
    from plaint.complaints.models import Complaint
    from plaint.core.models import AuditEvent

FIXED_SCALES = {QuestionKind.NPS: (0, 10), QuestionKind.CES: (1, 7)}
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


# --- tokens -----------------------------------------------------------------------------------


def invitation_token(salt: str) -> str:
    """The link's secret: an HMAC of the invitation's salt under the site's secret key.

    Only the token's digest is stored, so the database alone reveals no links; reminders carry the
    same link because the worker can recompute it. Rotating SECRET_KEY invalidates open links."""
    mac = hmac.new(
        settings.SECRET_KEY.encode(), f"plaint.surveys.invitation:{salt}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def survey_url(token: str) -> str:
    return f"{settings.BASE_URL}/survey/{token}/"


def opt_out_url(token: str) -> str:
    return f"{settings.BASE_URL}/survey/{token}/opt-out/"


# --- helpers ----------------------------------------------------------------------------------


def _audit(
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


def _require_manager(actor: Actor, what: str) -> None:
    if actor.kind == "system":
        return
    require(can_configure, actor.user, what)


def _lock_survey(survey_id: int) -> Survey:
    survey = Survey.objects.select_for_update().filter(pk=survey_id).first()
    if survey is None:
        raise NotFound(_("No such survey."))
    return survey


def _check_step(survey: Survey, step: SurveyStep) -> None:
    sources, _target = SURVEY_TRANSITIONS[step]
    if survey.state not in sources:
        raise InvalidTransition(
            _("“%(step)s” is not possible while the survey is “%(state)s”.")
            % {"step": step.label, "state": SurveyState(survey.state).label}
        )


def _check_editable(survey: Survey) -> None:
    _check_step(survey, SurveyStep.EDIT)
    if survey.responses.exists():
        raise Conflict(
            _("This survey already has responses: create a new version to change it."),
        )


def survey_check_editable(*, survey: Survey) -> None:
    """Raise the same refusal as the editing services (Conflict once the survey has responses,
    InvalidTransition once archived); the pages call it before showing an edit form."""
    _check_editable(survey)


def _clean_texts(value: Any, name: str, errors: dict[str, list[str]], *, limit: int) -> dict:
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


def _norm_email(email: str) -> str:
    return (email or "").strip().lower()


def _valid_email(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


# --- surveys ----------------------------------------------------------------------------------


def _clean_settings(changes: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "sampling_rate":
            try:
                rate = Decimal(str(value))
            except InvalidOperation:
                rate = Decimal(-1)
            if not Decimal(0) <= rate <= Decimal(1):
                errors.setdefault(name, []).append(_("A share from 0 to 1, e.g. 0.25."))
            clean[name] = rate.quantize(Decimal("0.001")) if rate >= 0 else rate
        elif name == "followup":
            if value not in FollowUp.values:
                errors.setdefault(name, []).append(
                    _("Choose one of: %(values)s.") % {"values": ", ".join(FollowUp.values)}
                )
            clean[name] = value
        elif name in {"followup_max_score", "period_days"}:
            if value in ("", None):
                clean[name] = None
                continue
            try:
                clean[name] = int(value)
            except (TypeError, ValueError):
                errors.setdefault(name, []).append(_("A whole number."))
                continue
            if name == "period_days" and not 1 <= clean[name] <= 3650:
                errors.setdefault(name, []).append(_("From 1 to 3650 days."))
        else:
            bounds = {
                "delay_hours": (0, 24 * 90),
                "expiry_days": (1, 365),
                "reminder_count": (0, 5),
                "reminder_interval_days": (1, 60),
                "quiet_period_days": (0, 3650),
                "questions_per_page": (1, 50),
            }[name]
            try:
                number = int(value)
            except (TypeError, ValueError):
                errors.setdefault(name, []).append(_("A whole number."))
                continue
            if not bounds[0] <= number <= bounds[1]:
                errors.setdefault(name, []).append(
                    _("From %(low)s to %(high)s.") % {"low": bounds[0], "high": bounds[1]}
                )
            clean[name] = number
    return clean


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
    _require_manager(actor, _("build surveys"))
    errors: dict[str, list[str]] = {}
    key = (key or "").strip().lower()
    if not key or len(key) > 60 or not all(c.isalnum() or c in "-_" for c in key):
        errors["key"] = [_("Letters, digits, - and _ only, at most 60 characters.")]
    elif Survey.objects.filter(key=key).exists():
        errors["key"] = [_("A survey with this key exists; create a new version of it instead.")]
    if kind not in SurveyKind.values:
        errors["kind"] = [
            _("Choose one of: %(values)s.") % {"values": ", ".join(SurveyKind.values)}
        ]
    clean_title = _clean_texts(title, "title", errors, limit=200)
    clean_intro = _clean_texts(intro, "intro", {}, limit=2000) if intro else {}
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
    _audit("survey", survey.pk, actor, "created", {"key": key, "kind": kind, "version": 1})
    return survey


@transaction.atomic
def survey_update(*, actor: Actor, survey_id: int, **changes: Any) -> Survey:
    """Change a survey's title, intro or settings; only while it has no responses."""
    _require_manager(actor, _("edit surveys"))
    survey = _lock_survey(survey_id)
    _check_editable(survey)
    errors: dict[str, list[str]] = {}
    unknown = set(changes) - set(SURVEY_SETTINGS) - {"title", "intro"}
    if unknown:
        raise ValidationFailed(_("Unknown settings: %(n)s") % {"n": ", ".join(sorted(unknown))})
    clean: dict[str, Any] = {}
    if "title" in changes:
        clean["title"] = _clean_texts(changes.pop("title"), "title", errors, limit=200)
    if "intro" in changes:
        intro = changes.pop("intro") or {}
        clean["intro"] = _clean_texts(intro, "intro", {}, limit=2000) if intro else {}
    clean.update(_clean_settings(changes, errors))
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    for name, value in clean.items():
        setattr(survey, name, value)
    survey.save(update_fields=[*clean.keys(), "updated_at"])
    _audit("survey", survey.pk, actor, "updated", {"fields": sorted(clean)})
    return survey


@transaction.atomic
def survey_new_version(*, actor: Actor, survey_id: int) -> Survey:
    """Copy a survey and its questions into a new draft version; the old one keeps its responses."""
    _require_manager(actor, _("edit surveys"))
    old = _lock_survey(survey_id)
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
    _audit("survey", new.pk, actor, "version_created", {"from": old.pk, "version": new.version})
    return new


@transaction.atomic
def survey_activate(*, actor: Actor, survey_id: int) -> Survey:
    """Start collecting: the survey's triggers fire from now on. Archives the version it replaces."""
    _require_manager(actor, _("activate surveys"))
    survey = _lock_survey(survey_id)
    _check_step(survey, SurveyStep.ACTIVATE)
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
    _audit("survey", survey.pk, actor, "activated", {"state": SurveyState.ACTIVE})
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
    _audit(
        "survey",
        survey.pk,
        actor,
        "archived",
        {"state": SurveyState.ARCHIVED, "replaced_by": replaced_by, "cancelled": cancelled},
    )


@transaction.atomic
def survey_archive(*, actor: Actor, survey_id: int) -> Survey:
    _require_manager(actor, _("archive surveys"))
    survey = _lock_survey(survey_id)
    _check_step(survey, SurveyStep.ARCHIVE)
    _archive(survey, actor, timezone.now())
    return survey


# --- questions --------------------------------------------------------------------------------


def _clean_question(
    survey: Survey, data: dict[str, Any], *, exclude_pk: int | None = None
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    others = survey.questions.all()
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    kind = data.get("kind")
    if kind not in QuestionKind.values:
        raise ValidationFailed(
            _("Choose a question type."),
            fields={"kind": [_("One of: %(v)s.") % {"v": ", ".join(QuestionKind.values)}]},
        )
    code = str(data.get("code") or "").strip().lower()
    if not code or len(code) > 40 or not all(c.isalnum() or c in "-_" for c in code):
        errors["code"] = [_("Letters, digits, - and _ only, at most 40 characters.")]
    elif others.filter(code=code).exists():
        errors["code"] = [_("Another question of this survey has this code.")]
    clean: dict[str, Any] = {
        "kind": kind,
        "code": code,
        "text": _clean_texts(data.get("text"), "text", errors, limit=1000),
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
        if kind in FIXED_SCALES:
            low, high = FIXED_SCALES[kind]
        else:
            try:
                low = int(1 if data.get("scale_min") is None else data["scale_min"])
                high = int(5 if data.get("scale_max") is None else data["scale_max"])
            except (TypeError, ValueError):
                low, high = 0, -1
            if low not in (0, 1) or not 2 <= high - low <= 10:
                errors["scale_max"] = [
                    _(
                        "A rating scale runs from 0 or 1 up to 3 to 11 points, e.g. 1 to 5 or 1 to 7."
                    )
                ]
        clean["scale_min"], clean["scale_max"] = low, high
        labels = data.get("point_labels") or {}
        clean_labels: dict[str, dict[str, str]] = {}
        if not isinstance(labels, dict):
            errors["point_labels"] = [_("Give labels per language and point.")]
        else:
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
                        clean_labels.setdefault(lang, {})[str(number)] = str(label).strip()[:100]
        clean["point_labels"] = clean_labels
        clean["attribute"] = str(data.get("attribute") or "").strip().lower()[:40]
        try:
            weight = Decimal(str(data.get("weight", "1")))
        except InvalidOperation:
            weight = Decimal(-1)
        if not weight.is_finite():  # NaN or infinity would not compare
            weight = Decimal(-1)
        if not Decimal(0) <= weight <= Decimal(100):
            errors["weight"] = [_("An importance weight from 0 to 100.")]
        # as stored (three decimals), so what the service returns equals what is read back
        clean["weight"] = weight.quantize(Decimal("0.001")) if not errors.get("weight") else weight
        clean["is_overall"] = bool(data.get("is_overall", False))
        if clean["is_overall"] and kind != QuestionKind.RATING:
            errors["is_overall"] = [_("Only a rating question can be the overall question.")]
        elif clean["is_overall"] and others.filter(is_overall=True).exists():
            errors["is_overall"] = [_("Another question is already the overall question.")]
    elif kind in CHOICE_KINDS:
        options = data.get("options") or []
        clean_options = []
        seen: set[str] = set()
        if not isinstance(options, list):
            options = []
        for option in options:
            if not isinstance(option, dict):
                continue
            opt_code = str(option.get("code") or "").strip().lower()[:40]
            label_errors: dict[str, list[str]] = {}
            label = _clean_texts(option.get("label"), "options", label_errors, limit=200)
            if not opt_code or opt_code in seen or label_errors:
                errors["options"] = [_("Each option needs a unique code and an English label.")]
                continue
            seen.add(opt_code)
            clean_options.append({"code": opt_code, "label": label})
        if len(clean_options) < 2 and "options" not in errors:
            errors["options"] = [_("Give at least two options.")]
        clean["options"] = clean_options
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    return clean


def _editable_question(question_id: int) -> tuple[Question, Survey]:
    """A question and its survey, locked and checked editable (NotFound for an unknown id)."""
    question = Question.objects.filter(pk=question_id).first()
    if question is None:
        raise NotFound(_("No such question."))
    survey = _lock_survey(question.survey_id)
    _check_editable(survey)
    return question, survey


@transaction.atomic
def question_add(*, actor: Actor, survey_id: int, **data: Any) -> Question:
    _require_manager(actor, _("edit surveys"))
    survey = _lock_survey(survey_id)
    _check_editable(survey)
    clean = _clean_question(survey, data)
    last = survey.questions.order_by("-position").values_list("position", flat=True).first()
    question = Question.objects.create(survey=survey, position=(last or 0) + 1, **clean)
    _audit(
        "survey", survey.pk, actor, "question_added", {"code": question.code, "kind": question.kind}
    )
    return question


@transaction.atomic
def question_update(*, actor: Actor, question_id: int, **data: Any) -> Question:
    _require_manager(actor, _("edit surveys"))
    question, survey = _editable_question(question_id)
    merged = {f: getattr(question, f) for f in QUESTION_FIELDS}
    merged.update(data)
    clean = _clean_question(survey, merged, exclude_pk=question.pk)
    for name, value in clean.items():
        setattr(question, name, value)
    question.save(update_fields=list(clean))
    _audit("survey", survey.pk, actor, "question_updated", {"code": question.code})
    return question


@transaction.atomic
def question_remove(*, actor: Actor, question_id: int) -> None:
    _require_manager(actor, _("edit surveys"))
    question, survey = _editable_question(question_id)
    code = question.code
    question.delete()
    _audit("survey", survey.pk, actor, "question_removed", {"code": code})


@transaction.atomic
def question_move(*, actor: Actor, question_id: int, up: bool) -> Question:
    """Swap a question with its neighbour above (``up``) or below."""
    _require_manager(actor, _("edit surveys"))
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
    _audit("survey", survey.pk, actor, "question_moved", {"code": question.code, "to": b})
    return question


# --- contacts ---------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did: rows taken in, and each refused row with its line number and reason."""

    imported: int = 0
    updated: int = 0
    followed_up: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.errors)


def read_csv(text: str | bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and rows with the line each row starts on (header = line 1; quoted newlines count)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationFailed(
                _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."),
                fields={"file": [_("Not UTF-8 text.")]},
            ) from exc
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ValidationFailed(
            _("The file is empty."), fields={"file": [_("The file is empty.")]}
        ) from None
    except csv.Error as exc:
        raise ValidationFailed(
            _("The file is not readable CSV."), fields={"file": [str(exc)]}
        ) from exc
    rows = []
    line = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            rows.append((line, {"__error__": str(exc)}))
            line = reader.line_num + 1
            continue
        if any(v.strip() for v in values):
            row = {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)}
            if len(values) > len(header):
                row["__error__"] = _("More values than columns in the header.")
            rows.append((line, row))
        line = reader.line_num + 1
    return header, rows


@transaction.atomic
def contacts_import_csv(*, actor: Actor, data: str | bytes) -> ImportReport:
    """Add or update contacts from CSV (columns email, name, language, segment).

    Every good row goes in, in one transaction; each bad row is reported with its line number and
    left out. Rows for an address already on the list update its name, language and segment."""
    _require_manager(actor, _("import contacts"))
    header, rows = read_csv(data)
    if "email" not in [h.lower() for h in header]:
        raise ValidationFailed(
            _("The file needs an “email” column (optional: name, language, segment)."),
            fields={"file": [_("No “email” column.")]},
        )
    report = ImportReport()
    seen: dict[str, int] = {}
    good: dict[str, dict[str, str]] = {}
    for line, raw in rows:
        row = {k.lower(): v for k, v in raw.items()}
        if "__error__" in row:
            report.errors.append((line, row["__error__"]))
            continue
        email = _norm_email(row.get("email", ""))
        language = (row.get("language") or "en").strip().lower()
        if not email or not _valid_email(email):
            report.errors.append((line, _("“%(v)s” is not an e-mail address.") % {"v": email}))
        elif email in seen:
            report.errors.append(
                (line, _("%(e)s appears already on line %(l)s.") % {"e": email, "l": seen[email]})
            )
        elif language not in LANGUAGES:
            report.errors.append(
                (
                    line,
                    _("Unknown language “%(v)s”; use one of %(langs)s.")
                    % {"v": language, "langs": ", ".join(LANGUAGES)},
                )
            )
        elif len(row.get("name", "")) > 200 or len(row.get("segment", "")) > 60:
            report.errors.append((line, _("Name at most 200, segment at most 60 characters.")))
        else:
            seen[email] = line
            good[email] = {
                "name": row.get("name", ""),
                "language": language,
                "segment": row.get("segment", ""),
            }
    existing = {c.email: c for c in Contact.objects.filter(email__in=list(good))}
    now = timezone.now()
    new = []
    changed = []
    for email, values in good.items():
        contact = existing.get(email)
        if contact is None:
            new.append(Contact(email=email, created_at=now, **values))
        elif any(getattr(contact, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(contact, k, v)
            changed.append(contact)
    Contact.objects.bulk_create(new, batch_size=500)
    Contact.objects.bulk_update(changed, ["name", "language", "segment"], batch_size=500)
    report.imported, report.updated = len(new), len(changed)
    _audit(
        "survey_contacts",
        0,
        actor,
        "imported",
        {"imported": report.imported, "updated": report.updated, "rejected": report.rejected},
    )
    return report


# --- invitations ------------------------------------------------------------------------------


def _sampled(key: str, ident: str, rate: Decimal) -> bool:
    """A deterministic draw: the same case is always in or out of the sample (so a retry cannot
    change it), and the cases in are a uniform share ``rate`` of all."""
    draw = int(sha256_hex(f"{key}:{ident}")[:8], 16) / 2**32
    return draw < float(rate)


def _blocked(email: str, survey: Survey, now: dt.datetime) -> str | None:
    """Why this address may not be invited now, or None."""
    if Suppression.objects.filter(email=email).exists():
        return "opted_out"
    if survey.quiet_period_days and (
        Invitation.objects.filter(
            email=email, created_at__gte=now - dt.timedelta(days=survey.quiet_period_days)
        )
        .exclude(state=InvitationState.CANCELLED)
        .exists()
    ):
        return "quiet_period"
    return None


def _new_invitation(
    survey: Survey,
    *,
    actor: Actor,
    trigger: str,
    email: str,
    name: str = "",
    language: str = "en",
    contact: Contact | None = None,
    complaint: Complaint | None = None,
    case_ref: str = "",
    send_after: dt.datetime | None = None,
) -> Invitation:
    now = timezone.now()
    send_after = send_after or now
    salt = secrets.token_hex(16)
    invitation = Invitation.objects.create(
        survey=survey,
        trigger=trigger,
        contact=contact,
        complaint=complaint,
        case_ref=case_ref,
        email=email,
        name=name[:200],
        language=language if language in LANGUAGES else "en",
        token_salt=salt,
        token_digest=sha256_hex(invitation_token(salt)),
        created_at=now,
        send_after=send_after,
        expires_at=send_after + dt.timedelta(days=survey.expiry_days),
    )
    _audit(
        "survey_invitation",
        invitation.pk,
        actor,
        "created",
        {
            "survey": survey.pk,
            "trigger": trigger,
            "complaint": getattr(complaint, "pk", None),
            "send_after": send_after.isoformat(),
        },
        personal={"email": email},
    )
    return invitation


def _active_survey(kind: str) -> Survey | None:
    return (
        Survey.objects.filter(kind=kind, state=SurveyState.ACTIVE)
        .order_by("-activated_at", "-pk")
        .first()
    )


def _invite_after_close(survey: Survey, ident: str, email: str, **fields: Any) -> Invitation | None:
    """The invitation after a closed case, unless the case is out of the sample or the address is
    blocked (opted out, quiet period); sent after the survey's delay. The trigger is the kind."""
    now = timezone.now()
    if not _sampled(survey.key, ident, survey.sampling_rate) or _blocked(email, survey, now):
        return None
    send_after = now + dt.timedelta(hours=survey.delay_hours)
    return _new_invitation(
        survey,
        actor=Actor.system("surveys"),
        trigger=survey.kind,
        email=email,
        send_after=send_after,
        **fields,
    )


def survey_invite_after_complaint(*, complaint: Complaint) -> Invitation | None:
    """ISO 10002 8.3: after a complaint closes, invite the complainant to say how the handling went.

    Called inside the closing transaction (complaints.services, close and withdraw). Invites only
    when an active complaint-closed survey exists, the complainant has an e-mail address, the case
    falls in the sample, the address has not opted out and was not invited within the quiet period.
    The mail goes out after the survey's delay (the worker sends it)."""
    survey = _active_survey(SurveyKind.COMPLAINT_CLOSED)
    complainant = complaint.complainant
    email = _norm_email(complainant.email)
    if survey is None or not email:
        return None
    if Invitation.objects.filter(survey__key=survey.key, complaint=complaint).exists():
        return None
    return _invite_after_close(
        survey,
        f"complaint:{complaint.pk}",
        email,
        name=complainant.name,
        language=complainant.language,
        complaint=complaint,
        case_ref=complaint.reference or "",
    )


@transaction.atomic
def survey_invite_after_dispute(
    *, dispute_ref: str, email: str, name: str = "", language: str = "en"
) -> Invitation | None:
    """After a dispute closes (ISO 10003): the disputes app calls this once it exists.

    Same rules as ``survey_invite_after_complaint``: active dispute-closed survey, sampling, delay,
    opt-out and quiet period."""
    survey = _active_survey(SurveyKind.DISPUTE_CLOSED)
    email = _norm_email(email)
    if survey is None or not email or not _valid_email(email):
        return None
    if Invitation.objects.filter(survey__key=survey.key, case_ref=dispute_ref).exists():
        return None
    return _invite_after_close(
        survey,
        f"dispute:{dispute_ref}",
        email,
        name=name,
        language=language,
        case_ref=dispute_ref[:40],
    )


@transaction.atomic
def invitation_create(
    *,
    actor: Actor,
    survey_id: int,
    contact_id: int | None = None,
    complaint_id: int | None = None,
    email: str = "",
    name: str = "",
    language: str = "en",
) -> Invitation:
    """A manager invites one contact, one complainant, or one address by hand (sent at once)."""
    from plaint.complaints.models import Complaint

    _require_manager(actor, _("invite customers to surveys"))
    survey = _lock_survey(survey_id)
    if survey.state != SurveyState.ACTIVE:
        raise InvalidTransition(_("Only an active survey can send invitations."))
    contact = complaint = None
    if contact_id is not None:
        contact = Contact.objects.filter(pk=contact_id).first()
        if contact is None:
            raise ValidationFailed(_("No such contact."), fields={"contact_id": [_("Not found.")]})
        email, name, language = contact.email, contact.name, contact.language
    elif complaint_id is not None:
        complaint = Complaint.objects.select_related("complainant").filter(pk=complaint_id).first()
        if complaint is None:
            raise ValidationFailed(
                _("No such complaint."), fields={"complaint_id": [_("Not found.")]}
            )
        email = complaint.complainant.email
        name, language = complaint.complainant.name, complaint.complainant.language
    email = _norm_email(email)
    if not email or not _valid_email(email):
        raise ValidationFailed(
            _("An e-mail address is needed to invite someone."),
            fields={"email": [_("Enter a valid e-mail address, e.g. name@example.org.")]},
        )
    if language not in LANGUAGES:
        raise ValidationFailed(_("Unknown language."), fields={"language": [", ".join(LANGUAGES)]})
    reason = _blocked(email, survey, timezone.now())
    if reason == "opted_out":
        raise Conflict(_("This address has opted out of surveys; it is never invited again."))
    if reason == "quiet_period":
        raise Conflict(
            _("This address was invited within the last %(d)s days (the quiet period).")
            % {"d": survey.quiet_period_days}
        )
    invitation = _new_invitation(
        survey,
        actor=actor,
        trigger="manual",
        email=email,
        name=name,
        language=language,
        contact=contact,
        complaint=complaint,
        case_ref=(complaint.reference or "") if complaint else "",
    )
    _send(invitation, actor)
    return invitation


@dataclass
class WaveReport:
    invited: int = 0
    opted_out: int = 0
    quiet_period: int = 0
    not_sampled: int = 0


@transaction.atomic
def survey_invite_contacts(
    *, actor: Actor, survey_id: int, segment: str = "", now: dt.datetime | None = None
) -> WaveReport:
    """A relationship-survey wave: invite the contact list (or one segment of it), sampled, skipping
    opted-out addresses and those invited within the quiet period."""
    _require_manager(actor, _("invite customers to surveys"))
    survey = _lock_survey(survey_id)
    if survey.state != SurveyState.ACTIVE:
        raise InvalidTransition(_("Only an active survey can send invitations."))
    if survey.kind != SurveyKind.RELATIONSHIP:
        raise ValidationFailed(_("Only a relationship survey is sent to the contact list."))
    now = now or timezone.now()
    report = WaveReport()
    contacts = Contact.objects.order_by("pk")
    if segment:
        contacts = contacts.filter(segment=segment)
    suppressed = set(Suppression.objects.values_list("email", flat=True))
    recent = set()
    if survey.quiet_period_days:
        recent = set(
            Invitation.objects.filter(
                created_at__gte=now - dt.timedelta(days=survey.quiet_period_days)
            )
            .exclude(state=InvitationState.CANCELLED)
            .values_list("email", flat=True)
        )
    wave = now.strftime("%Y%m%d%H%M")
    for contact in contacts.iterator(chunk_size=1000):
        if contact.email in suppressed:
            report.opted_out += 1
        elif contact.email in recent:
            report.quiet_period += 1
        elif not _sampled(survey.key, f"contact:{contact.pk}:{wave}", survey.sampling_rate):
            report.not_sampled += 1
        else:
            _new_invitation(
                survey,
                actor=actor,
                trigger=SurveyKind.RELATIONSHIP,
                email=contact.email,
                name=contact.name,
                language=contact.language,
                contact=contact,
                send_after=now,
            )
            recent.add(contact.email)
            report.invited += 1
    survey.last_wave_at = now
    survey.save(update_fields=["last_wave_at", "updated_at"])
    _audit("survey", survey.pk, actor, "wave", {**report.__dict__, "segment": segment})
    return report


def _lock_invitation(invitation_id: int) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("survey")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise NotFound(_("No such invitation."))
    return invitation


def _move(
    invitation: Invitation,
    step: InvitationStep,
    actor: Actor,
    changes: dict[str, Any],
    data: dict[str, Any] | None = None,
) -> None:
    sources, target = INVITATION_TRANSITIONS[step]
    if invitation.state not in sources:
        raise InvalidTransition(
            _("“%(step)s” is not possible while the invitation is “%(state)s”.")
            % {"step": step.label, "state": InvitationState(invitation.state).label}
        )
    if target is not None:
        changes["state"] = target
    for name, value in changes.items():
        setattr(invitation, name, value)
    invitation.save(update_fields=list(changes))
    _audit(
        "survey_invitation",
        invitation.pk,
        actor,
        step.value,
        {"state": invitation.state, **(data or {})},
    )


def _mail(invitation: Invitation, kind: str) -> None:
    """Queue the invitation or reminder mail (the same link in both)."""
    from plaint.core.selectors import organisation_get

    token = invitation_token(invitation.token_salt)
    context = {
        "survey_title": invitation.survey.title_in(invitation.language),
        "name": invitation.name,
        "survey_url": survey_url(token),
        "opt_out_url": opt_out_url(token),
        "expires_at": invitation.expires_at,
        "reference": invitation.case_ref,
        "organisation": organisation_get(),
    }
    email_enqueue(
        to=invitation.email,
        kind=kind,
        language=invitation.language,
        context=context,
        complaint=invitation.complaint,
    )


def _send(invitation: Invitation, actor: Actor) -> None:
    now = timezone.now()
    survey = invitation.survey
    expires = now + dt.timedelta(days=survey.expiry_days)
    next_reminder = (
        now + dt.timedelta(days=survey.reminder_interval_days) if survey.reminder_count else None
    )
    if next_reminder and next_reminder >= expires:
        next_reminder = None
    _move(
        invitation,
        InvitationStep.SEND,
        actor,
        {"sent_at": now, "expires_at": expires, "next_reminder_at": next_reminder},
    )
    _mail(invitation, "survey_invitation")


@transaction.atomic
def invitation_send(*, invitation_id: int, actor: Actor | None = None) -> Invitation:
    """Send a scheduled invitation (the worker does this once its delay has passed)."""
    invitation = _lock_invitation(invitation_id)
    actor = actor or Actor.system("surveys")
    if (
        invitation.state == InvitationState.SCHEDULED
        and Suppression.objects.filter(email=invitation.email).exists()
    ):
        _move(
            invitation,
            InvitationStep.CANCEL,
            actor,
            {"closed_at": timezone.now()},
            {"why": "opted_out"},
        )
        return invitation
    _send(invitation, actor)
    return invitation


@transaction.atomic
def invitation_remind(*, invitation_id: int, actor: Actor | None = None) -> Invitation:
    """Send a reminder with the same link; schedule the next while any remain."""
    invitation = _lock_invitation(invitation_id)
    actor = actor or Actor.system("surveys")
    survey = invitation.survey
    if invitation.reminders_sent >= survey.reminder_count:
        raise InvalidTransition(_("All reminders for this invitation have been sent."))
    now = timezone.now()
    sent = invitation.reminders_sent + 1
    next_reminder = None
    if sent < survey.reminder_count:
        next_reminder = now + dt.timedelta(days=survey.reminder_interval_days)
        if next_reminder >= invitation.expires_at:
            next_reminder = None
    _move(
        invitation,
        InvitationStep.REMIND,
        actor,
        {"reminders_sent": sent, "next_reminder_at": next_reminder},
        {"reminder": sent},
    )
    _mail(invitation, "survey_reminder")
    return invitation


@transaction.atomic
def invitation_expire(*, invitation_id: int) -> Invitation:
    invitation = _lock_invitation(invitation_id)
    _move(
        invitation,
        InvitationStep.EXPIRE,
        Actor.system("surveys"),
        {"closed_at": timezone.now(), "next_reminder_at": None},
    )
    return invitation


@transaction.atomic
def invitation_cancel(*, actor: Actor, invitation_id: int) -> Invitation:
    _require_manager(actor, _("cancel invitations"))
    invitation = _lock_invitation(invitation_id)
    _move(
        invitation,
        InvitationStep.CANCEL,
        actor,
        {"closed_at": timezone.now(), "next_reminder_at": None},
    )
    return invitation


def invitation_for_token(token: str, *, lock: bool = False) -> Invitation:
    """The invitation a link names, checked for use: NotFound for an unknown token, InvalidTransition
    (with ``reason``) for one already answered, opted out or expired. Never says more."""
    if not token or len(token) > 100:
        raise NotFound(_("This survey link is not valid."))
    qs = Invitation.objects.select_related("survey", "complaint", "contact")
    if lock:
        qs = qs.select_for_update(of=("self",))  # not the nullable joined rows
    invitation = qs.filter(token_digest=sha256_hex(token)).first()
    if invitation is None:
        raise NotFound(_("This survey link is not valid."))
    return invitation


class LinkUnusable(InvalidTransition):
    """The link was valid once but cannot be used now; ``reason`` says why (for the page)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def _check_usable(invitation: Invitation, now: dt.datetime) -> None:
    if invitation.state == InvitationState.RESPONDED:
        raise LinkUnusable("used", _("This survey has already been answered with this link."))
    if invitation.state in {InvitationState.EXPIRED, InvitationState.CANCELLED} or (
        invitation.expires_at <= now
    ):
        raise LinkUnusable("expired", _("This survey link has expired."))
    if invitation.state == InvitationState.OPTED_OUT:
        raise LinkUnusable("opted_out", _("You have opted out of our surveys."))
    if invitation.state != InvitationState.SENT:
        raise NotFound(_("This survey link is not valid."))


@transaction.atomic
def invitation_opt_out(*, token: str) -> Invitation:
    """The recipient opts out for good: the address goes on the suppression list and every open
    invitation to it is closed. Idempotent: opting out twice is fine."""
    invitation = invitation_for_token(token, lock=True)
    now = timezone.now()
    suppression = Suppression.objects.filter(email=invitation.email).first()
    if suppression is None:
        try:
            with transaction.atomic():
                Suppression.objects.create(email=invitation.email, created_at=now)
        except IntegrityError:  # another request opted out the same address at the same moment
            pass
    actor = Actor.system("recipient")
    others = Invitation.objects.select_for_update().filter(
        email=invitation.email, state__in=OPEN_INVITATION_STATES
    )
    for other in others:
        step = InvitationStep.OPT_OUT
        _move(other, step, actor, {"closed_at": now, "next_reminder_at": None})
    invitation.refresh_from_db()
    return invitation


# --- responses --------------------------------------------------------------------------------


def _clean_answer(question: Question, raw: Any) -> dict[str, Any] | None:
    """Parse one answer; None means "not answered". Raises ValidationFailed naming the range."""
    field_name = f"q_{question.code}"
    if question.kind in SCALE_KINDS:
        if raw in (None, ""):
            return None
        low, high = question.scale_min, question.scale_max
        if low is None or high is None:  # _clean_question gives every scale question its range
            raise Conflict(_("This question has no scale; a manager needs to edit the survey."))
        try:
            value = int(str(raw).strip())
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise ValidationFailed(
                _("Choose a whole number from %(low)s to %(high)s.") % {"low": low, "high": high},
                fields={
                    field_name: [
                        _("Choose a whole number from %(low)s to %(high)s.")
                        % {"low": low, "high": high}
                    ]
                },
            )
        return {"value": value, "text": "", "choices": []}
    codes = [o["code"] for o in question.options]
    if question.kind == QuestionKind.SINGLE:
        if raw in (None, "", []):
            return None
        raw = raw[0] if isinstance(raw, list) and len(raw) == 1 else raw
        if not isinstance(raw, str) or raw not in codes:
            raise ValidationFailed(
                _("Choose one of the options."),
                fields={field_name: [_("Choose one of: %(o)s.") % {"o": ", ".join(codes)}]},
            )
        return {"value": None, "text": "", "choices": [raw]}
    if question.kind == QuestionKind.MULTI:
        if isinstance(raw, str):
            raw = [c.strip() for c in raw.split("|") if c.strip()] if raw else []
        if not raw:
            return None
        if not isinstance(raw, list) or any(c not in codes for c in raw):
            raise ValidationFailed(
                _("Choose among the options."),
                fields={field_name: [_("Choose among: %(o)s.") % {"o": ", ".join(codes)}]},
            )
        return {"value": None, "text": "", "choices": sorted(set(raw), key=codes.index)}
    text = str(raw or "").strip()
    if not text:
        return None
    if len(text) > TEXT_LIMIT or "\x00" in text:
        raise ValidationFailed(
            _("At most %(n)s characters.") % {"n": TEXT_LIMIT},
            fields={field_name: [_("At most %(n)s characters.") % {"n": TEXT_LIMIT}]},
        )
    return {"value": None, "text": text, "choices": []}


def _clean_answers(questions: list[Question], answers: dict[str, Any]) -> dict[int, dict | None]:
    """All answers at once, collecting every field error before raising."""
    clean: dict[int, dict | None] = {}
    errors: dict[str, list[str]] = {}
    for question in questions:
        if question.code not in answers:
            continue
        try:
            clean[question.pk] = _clean_answer(question, answers[question.code])
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


def response_open(*, token: str) -> tuple[Invitation, Response | None]:
    """What the answer page shows: the invitation (checked usable) and any partial response."""
    invitation = invitation_for_token(token)
    _check_usable(invitation, timezone.now())
    response = Response.objects.filter(invitation=invitation).prefetch_related("answers").first()
    return invitation, response


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
    _check_usable(invitation, now)
    survey = invitation.survey
    questions = list(survey.questions.order_by("position"))
    clean = _clean_answers(questions, answers)
    response = _response_for(invitation, now)
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
    response.page = max(1, min(page, 1000))
    if language in LANGUAGES:  # the language the person answers in, if they switched
        response.language = language
    response.save(update_fields=["page", "language"])
    if not submit:
        return response
    answered = set(response.answers.values_list("question_id", flat=True))
    missing = [q for q in questions if q.required and q.pk not in answered]
    if missing:
        raise ValidationFailed(
            _("Please answer the required questions."),
            fields={f"q_{q.code}": [_("This question needs an answer.")] for q in missing},
        )
    response.submitted_at = now
    response.save(update_fields=["submitted_at"])
    _move(
        invitation,
        InvitationStep.RESPOND,
        Actor.system("recipient"),
        {"responded_at": now, "next_reminder_at": None},
        {"response": response.pk},
    )
    _recorded(response)
    _follow_up(response, questions)
    return response


def _recorded(response: Response) -> None:
    publish(ResponseRecorded(response=response))


def _follow_up(
    response: Response, questions: list[Question], answers: dict[int, Answer] | None = None
) -> bool:
    """Close the loop on a low overall score: a complaint or a callback task, as the survey says.
    ``answers`` (question id -> answer) saves a query when the caller holds them. Returns whether
    a follow-up was opened."""
    survey = response.survey
    if survey.followup == FollowUp.NONE or survey.followup_max_score is None:
        return False
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
    invitation = response.invitation
    email = invitation.email if invitation else ""
    name = (invitation.name if invitation else "") or email
    if invitation is None and response.source == ResponseSource.IMPORT:
        # an imported row names no address: the task names the row so a manager can find it
        name = (
            _("Imported response, external id %(id)s") % {"id": response.external_id}
            if response.external_id
            else _("Imported response %(id)s") % {"id": response.pk}
        )
    if survey.followup == FollowUp.CALLBACK:
        task = CallbackTask.objects.create(
            survey=survey,
            response=response,
            email=email,
            name=name[:200],
            score=overall.value,
            comment=comments[:TEXT_LIMIT],
            created_at=timezone.now(),
        )
        _audit(
            "survey_callback",
            task.pk,
            Actor.system("surveys"),
            "opened",
            {"response": response.pk, "score": overall.value},
        )
        return True
    if not email:
        return False
    from plaint.complaints.models import Channel
    from plaint.complaints.services import ComplaintInput, complaint_submit

    about_handling = survey.kind == SurveyKind.COMPLAINT_CLOSED
    reference = invitation.case_ref if invitation else ""
    subject = (
        _("Low satisfaction with the handling of %(ref)s") % {"ref": reference}
        if about_handling and reference
        else _("Low score in the survey “%(title)s”") % {"title": survey.title_in("en")}
    )
    description = _(
        "Opened automatically from a survey response: the overall score was %(score)s "
        "(%(low)s to %(high)s)."
    ) % {"score": overall.value, "low": scored[0].scale_min, "high": scored[0].scale_max}
    if comments:
        description += "\n\n" + comments
    # Logged as an e-mail complaint from the invited address: it waits for a handler to
    # acknowledge it, which mails the tracking link.
    complaint_submit(
        data=ComplaintInput(
            name=name[:200],
            email=email,
            subject=subject[:200],
            description=description[:20000],
            language=response.language if response.language in LANGUAGES else "en",
            category=response.category.code if response.category else "",
            product=response.product,
            about_process=about_handling,
        ),
        channel=Channel.EMAIL,
        actor=Actor.system("surveys"),
    )
    return True


@transaction.atomic
def callback_done(*, actor: Actor, callback_id: int, note: str = "") -> CallbackTask:
    _require_manager(actor, _("complete callback tasks"))
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
    _audit("survey_callback", task.pk, actor, "done", {"state": CallbackState.DONE})
    return task


# --- import of responses collected elsewhere -----------------------------------------------------

META_TARGETS = (
    "submitted_at",
    "language",
    "channel",
    "segment",
    "product",
    "category",
    "external_id",
)


def _parse_when(value: str) -> dt.datetime:
    value = value.strip()
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        when = dt.datetime.strptime(value, "%d.%m.%Y")  # raises ValueError with a clear text
    if timezone.is_naive(when):
        when = timezone.make_aware(when, dt.UTC)
    return when


@transaction.atomic
def responses_import_csv(
    *,
    actor: Actor,
    survey_id: int,
    data: str | bytes,
    mapping: dict[str, str],
    follow_up: bool = False,
) -> ImportReport:
    """Import responses collected elsewhere (paper, another tool) into a survey.

    ``mapping`` maps a CSV column to ``question:<code>``, one of META_TARGETS, or ``ignore``.
    Each row is checked completely before anything is written; every good row goes in, in one
    transaction (publishing ``ResponseRecorded`` for each), and each bad row is reported with its line
    number and reason and left out. A row never goes in half.

    Low scores open the survey's follow-up (callback task or complaint) only with ``follow_up``:
    a bulk import of old answers must not flood the callback queue unless asked."""
    from plaint.complaints.models import Category

    _require_manager(actor, _("import responses"))
    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        raise NotFound(_("No such survey."))
    if survey.state == SurveyState.DRAFT:
        raise InvalidTransition(_("Activate the survey before importing responses into it."))
    header, rows = read_csv(data)
    questions = {q.code: q for q in survey.questions.all()}
    errors: dict[str, list[str]] = {}
    targets: dict[str, str] = {}
    for column, target in mapping.items():
        if target in ("", "ignore"):
            continue
        if column not in header:
            errors.setdefault("mapping", []).append(
                _("The file has no column “%(c)s”.") % {"c": column}
            )
        elif (target.startswith("question:") and target[9:] in questions) or target in META_TARGETS:
            if target in targets.values():
                errors.setdefault("mapping", []).append(
                    _("Two columns map to %(t)s.") % {"t": target}
                )
            targets[column] = target
        else:
            errors.setdefault("mapping", []).append(
                _("Unknown target “%(t)s” for column “%(c)s”.") % {"t": target, "c": column}
            )
    if not any(t.startswith("question:") for t in targets.values()):
        errors.setdefault("mapping", []).append(_("Map at least one column to a question."))
    if errors:
        raise ValidationFailed(_("Please correct the column mapping."), fields=errors)
    categories = {c.code: c.pk for c in Category.objects.all()}
    seen_ids = set(
        Response.objects.filter(survey=survey)
        .exclude(external_id="")
        .values_list("external_id", flat=True)
    )
    now = timezone.now()
    report = ImportReport()
    good: list[tuple[Response, dict[int, dict]]] = []
    for line, row in rows:
        if "__error__" in row:
            report.errors.append((line, row["__error__"]))
            continue
        problems: list[str] = []
        answers: dict[int, dict] = {}
        meta: dict[str, Any] = {"submitted_at": now, "language": "en"}
        failed: set[str] = set()
        for column, target in targets.items():
            value = row.get(column, "")
            if target.startswith("question:"):
                question = questions[target[9:]]
                try:
                    clean = _clean_answer(question, value)
                except ValidationFailed as exc:
                    problems.append(f"{column}: {next(iter(exc.fields.values()))[0]}")
                    failed.add(question.code)
                    continue
                if clean is not None:
                    answers[question.pk] = clean
            elif target == "submitted_at":
                if value:
                    try:
                        meta["submitted_at"] = _parse_when(value)
                    except ValueError:
                        problems.append(
                            _("%(c)s: a date like 2026-03-31 or 2026-03-31T14:05:00+02:00.")
                            % {"c": column}
                        )
                        continue
                    if meta["submitted_at"] > now:
                        problems.append(_("%(c)s: in the future.") % {"c": column})
            elif target == "language":
                if value and value.lower() not in LANGUAGES:
                    problems.append(
                        _("%(c)s: one of %(l)s.") % {"c": column, "l": ", ".join(LANGUAGES)}
                    )
                meta["language"] = (value or "en").lower()
            elif target == "category":
                if value and value not in categories:
                    problems.append(
                        _("%(c)s: unknown category “%(v)s”.") % {"c": column, "v": value}
                    )
                meta["category_id"] = categories.get(value)
            elif target == "external_id":
                if value in seen_ids:
                    problems.append(
                        _("%(c)s: “%(v)s” was already imported.") % {"c": column, "v": value}
                    )
                meta["external_id"] = value[:100]
            else:
                limit = {"channel": 16, "segment": 60, "product": 200}[target]
                if len(value) > limit:
                    problems.append(
                        _("%(c)s: at most %(n)s characters.") % {"c": column, "n": limit}
                    )
                meta[target] = value
        missing = [
            q.code
            for q in questions.values()
            if q.required and q.pk not in answers and q.code not in failed
        ]
        if missing:
            problems.append(
                _("No answer to required question(s): %(q)s.") % {"q": ", ".join(missing)}
            )
        if not answers and not missing and not problems:
            problems.append(_("The row answers no question."))
        if problems:
            report.errors.append((line, "; ".join(problems)))
            continue
        if meta.get("external_id"):
            seen_ids.add(meta["external_id"])
        response = Response(
            survey=survey,
            started_at=meta["submitted_at"],
            source=ResponseSource.IMPORT,
            **meta,
        )
        good.append((response, answers))
    Response.objects.bulk_create([r for r, _answers in good], batch_size=500)
    Answer.objects.bulk_create(
        [
            Answer(response=response, question_id=qid, **values)
            for response, answers in good
            for qid, values in answers.items()
        ],
        batch_size=1000,
    )
    ordered = sorted(questions.values(), key=lambda q: q.position)
    for response, answers in good:
        _recorded(response)
        if follow_up:
            held = {qid: Answer(question_id=qid, **values) for qid, values in answers.items()}
            report.followed_up += _follow_up(response, ordered, held)
    report.imported = len(good)
    _audit(
        "survey",
        survey.pk,
        actor,
        "responses_imported",
        {
            "imported": report.imported,
            "rejected": report.rejected,
            "follow_up": follow_up,
            "followed_up": report.followed_up,
        },
    )
    return report


# --- the periodic duty --------------------------------------------------------------------------


@dataclass
class DueReport:
    sent: int = 0
    reminded: int = 0
    expired: int = 0
    waves: int = 0


def surveys_process_due(*, now: dt.datetime | None = None, limit: int = 500) -> DueReport:
    """Send invitations whose delay has passed, send due reminders, expire old links, and start
    relationship waves that are due. Each item is its own transaction; safe to run twice."""
    from plaint.surveys import selectors

    now = now or timezone.now()
    report = DueReport()
    for pk in selectors.invitations_to_expire(now=now, limit=limit):
        try:
            invitation_expire(invitation_id=pk)
            report.expired += 1
        except InvalidTransition:
            pass
    for pk in selectors.waves_due(now=now):
        try:
            survey_invite_contacts(actor=Actor.system("surveys"), survey_id=pk, now=now)
            report.waves += 1
        except (InvalidTransition, ValidationFailed):
            pass
    for pk in selectors.invitations_due(now=now, limit=limit):
        try:
            invitation_send(invitation_id=pk)
            report.sent += 1
        except InvalidTransition:
            pass
    for pk in selectors.reminders_due(now=now, limit=limit):
        try:
            invitation_remind(invitation_id=pk)
            report.reminded += 1
        except InvalidTransition:
            pass
    return report
