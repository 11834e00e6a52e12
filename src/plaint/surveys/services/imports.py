"""CSV imports: the contact list, and responses collected elsewhere (paper, another tool).

Every good row goes in, in one transaction; each bad row is reported with its line number and
reason and left out. A response row whose only fault is a bad answer to a question that is not
required goes in with its good answers, and the answer left out is reported with its line."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.complaints.models import Category
from plaint.core import csvfiles
from plaint.core.actors import Actor
from plaint.core.bounds import moment_error
from plaint.core.errors import InvalidTransition, NotFound, ValidationFailed
from plaint.core.events import publish
from plaint.surveys.events import ResponsesImported
from plaint.surveys.models import Answer, Contact, Question, Response, ResponseSource, Survey
from plaint.surveys.services import bulkwrite
from plaint.surveys.services.base import (
    Errors,
    audit,
    is_valid_email,
    normalise_email,
    require_manager,
)
from plaint.surveys.services.callbacks import follow_up as open_follow_up
from plaint.surveys.services.responses import AnswerValues, answer_clean
from plaint.surveys.states import LANGUAGES, SurveyState

Rows = list[tuple[int, dict[str, str]]]


@dataclass
class ImportReport:
    """What an import did: rows taken in, and each refused row with its line number and reason."""

    imported: int = 0
    updated: int = 0
    followed_up: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    # answers left out of rows that went in (a bad answer to a question that is not required)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    missing_values: int = 0  # answers read as "not answered" by a missing-value token
    # how many answers each recoding rule changed: (column, from, to) -> count; to "" = not answered
    recoded: dict[tuple[str, str, str], int] = field(default_factory=dict)

    @property
    def rejected(self) -> int:
        return len(self.errors)


def decode_upload(data: bytes, encoding: str = "auto") -> csvfiles.Decoded:
    """An uploaded file's text, in the encoding chosen or detected (``core.csvfiles``)."""
    try:
        return csvfiles.decode(data, encoding)
    except csvfiles.NotText as exc:
        if encoding == "auto":
            message = _(
                "The file is not text in any encoding Plaint recognises. Save it as “CSV UTF-8” "
                "and try again."
            )
        else:
            message = _("The file is not %(encoding)s text: choose its encoding, or “Detect”.") % {
                "encoding": encoding
            }
        raise ValidationFailed(message, fields={"file": [message]}) from exc


def read_csv(text: str | bytes) -> tuple[list[str], Rows]:
    """Header and rows with the line each row starts on (header = line 1; quoted newlines count).
    Bytes are decoded as ``decode_upload`` detects; the dialect is ``csvfiles.dialect_of``'s."""
    header, rows = iter_csv(text)
    return header, list(rows)


def iter_csv(text: str | bytes) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """``read_csv`` with the rows read one at a time, so a large file is never held as rows."""
    if isinstance(text, bytes):
        text = decode_upload(text).text
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), csvfiles.dialect_of(text))
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
    return header, _rows_of(reader, header)


def _rows_of(reader: Any, header: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    line = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield line, {"__error__": str(exc)}
            line = reader.line_num + 1
            continue
        if any(v.strip() for v in values):
            row = {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)}
            if len(values) > len(header):
                row["__error__"] = _("More values than columns in the header.")
            yield line, row
        line = reader.line_num + 1


# --- contacts -----------------------------------------------------------------------------------


def _contact_problem(row: dict[str, str], email: str, language: str, seen: dict[str, int]) -> str:
    """Why a contact row is refused, or "" for a good row."""
    if not email or not is_valid_email(email):
        return _("“%(v)s” is not an e-mail address.") % {"v": email}
    if email in seen:
        return _("%(e)s appears already on line %(l)s.") % {"e": email, "l": seen[email]}
    if language not in LANGUAGES:
        return _("Unknown language “%(v)s”; use one of %(langs)s.") % {
            "v": language,
            "langs": ", ".join(LANGUAGES),
        }
    if len(row.get("name", "")) > 200 or len(row.get("segment", "")) > 60:
        return _("Name at most 200, segment at most 60 characters.")
    return ""


def _good_contacts(rows: Rows, report: ImportReport) -> dict[str, dict[str, str]]:
    """The good rows by address (name, language, segment); the bad ones go into ``report``."""
    seen: dict[str, int] = {}
    good: dict[str, dict[str, str]] = {}
    for line, raw in rows:
        row = {k.lower(): v for k, v in raw.items()}
        if "__error__" in row:
            report.errors.append((line, row["__error__"]))
            continue
        email = normalise_email(row.get("email", ""))
        language = (row.get("language") or "en").strip().lower()
        if problem := _contact_problem(row, email, language, seen):
            report.errors.append((line, problem))
            continue
        seen[email] = line
        good[email] = {
            "name": row.get("name", ""),
            "language": language,
            "segment": row.get("segment", ""),
        }
    return good


@transaction.atomic
def contacts_import_csv(*, actor: Actor, data: str | bytes) -> ImportReport:
    """Add or update contacts from CSV (columns email, name, language, segment).

    Every good row goes in, in one transaction; each bad row is reported with its line number and
    left out. Rows for an address already on the list update its name, language and segment."""
    require_manager(actor, _("import contacts"))
    header, rows = read_csv(data)
    if "email" not in [h.lower() for h in header]:
        raise ValidationFailed(
            _("The file needs an “email” column (optional: name, language, segment)."),
            fields={"file": [_("No “email” column.")]},
        )
    report = ImportReport()
    good = _good_contacts(rows, report)
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
    audit(
        "survey_contacts",
        0,
        actor,
        "imported",
        {"imported": report.imported, "updated": report.updated, "rejected": report.rejected},
    )
    return report


# --- responses collected elsewhere --------------------------------------------------------------

META_TARGETS = (
    "submitted_at",
    "language",
    "channel",
    "segment",
    "product",
    "category",
    "external_id",
)
TEXT_META_LIMITS = {"channel": 16, "segment": 60, "product": 200}
# answers that mean "not answered" besides an empty cell (compared without case)
DEFAULT_MISSING_TOKENS = ("NA", "N/A", "-")


def _parse_when(value: str) -> dt.datetime:
    value = value.strip()
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        when = dt.datetime.strptime(value, "%d.%m.%Y")  # raises ValueError with a clear text
    if timezone.is_naive(when):
        when = timezone.make_aware(when, dt.UTC)
    return when


def _import_survey(survey_id: int) -> Survey:
    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        raise NotFound(_("No such survey."))
    if survey.state == SurveyState.DRAFT:
        raise InvalidTransition(_("Activate the survey before importing responses into it."))
    return survey


def _targets(
    mapping: dict[str, str], header: list[str], questions: dict[str, Question]
) -> dict[str, str]:
    """The mapping checked against the file and the survey: column -> target ("ignore" dropped)."""
    errors: Errors = {}
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
    return targets


@dataclass
class _ImportContext:
    """What every row of one responses import is checked against."""

    questions: dict[str, Question]
    targets: dict[str, str]
    categories: dict[str, int]
    seen_ids: set[str]
    now: dt.datetime
    missing_tokens: frozenset[str] = frozenset()  # upper case
    recode: dict[str, dict[str, str]] = field(default_factory=dict)  # column -> {from: to}


@dataclass
class _Row:
    """One row as it is being checked: what it answers, its metadata, and what is wrong with it."""

    now: dt.datetime
    answers: dict[int, AnswerValues] = field(default_factory=dict)
    meta: dict[str, Any] = field(init=False)
    problems: list[str] = field(default_factory=list)  # the row is refused
    skipped: list[str] = field(default_factory=list)  # answers left out of a row that goes in
    failed: set[str] = field(default_factory=set)
    missing_values: int = 0
    recoded: list[tuple[str, str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.meta = {"submitted_at": self.now, "language": "en"}


def _take_answer(
    row: _Row, column: str, question: Question, value: str, ctx: _ImportContext
) -> None:
    rules = ctx.recode.get(column)
    if rules and value.strip() in rules:  # the organisation's own codes, e.g. 0 = not applicable
        original, value = value.strip(), rules[value.strip()]
        row.recoded.append((column, original, value))
        if not value:
            return
    if value.strip().upper() in ctx.missing_tokens:
        row.missing_values += 1
        return
    try:
        clean = answer_clean(question=question, raw=value)
    except ValidationFailed as exc:
        problem = f"{column}: {next(iter(exc.fields.values()))[0]}"
        # a required question must be answered well; another one is left unanswered
        (row.problems if question.required else row.skipped).append(problem)
        row.failed.add(question.code)
        return
    if clean is not None:
        row.answers[question.pk] = clean


def _take_submitted_at(row: _Row, column: str, value: str) -> None:
    if not value:
        return
    try:
        row.meta["submitted_at"] = _parse_when(value)
    except ValueError:
        row.problems.append(
            _("%(c)s: a date like 2026-03-31 or 2026-03-31T14:05:00+02:00.") % {"c": column}
        )
        return
    # not in the future, nor before 2000 (year 1 would not even survive the conversion to UTC)
    error = moment_error(row.meta["submitted_at"], past=True)
    if error:
        row.problems.append(f"{column}: {error}")


def _take_meta(row: _Row, column: str, target: str, value: str, ctx: _ImportContext) -> None:
    """One metadata column of a row (every META_TARGETS but submitted_at)."""
    if target == "language":
        if value and value.lower() not in LANGUAGES:
            row.problems.append(
                _("%(c)s: one of %(l)s.") % {"c": column, "l": ", ".join(LANGUAGES)}
            )
        row.meta["language"] = (value or "en").lower()
    elif target == "category":
        if value and value not in ctx.categories:
            row.problems.append(_("%(c)s: unknown category “%(v)s”.") % {"c": column, "v": value})
        row.meta["category_id"] = ctx.categories.get(value)
    elif target == "external_id":
        if value in ctx.seen_ids:
            row.problems.append(
                _("%(c)s: “%(v)s” was already imported.") % {"c": column, "v": value}
            )
        row.meta["external_id"] = value[:100]
    else:
        limit = TEXT_META_LIMITS[target]
        if len(value) > limit:
            row.problems.append(_("%(c)s: at most %(n)s characters.") % {"c": column, "n": limit})
        row.meta[target] = value


def _check_row(raw: dict[str, str], ctx: _ImportContext) -> _Row:
    """Every column of one row, then the row as a whole (required questions, anything answered)."""
    row = _Row(now=ctx.now)
    for column, target in ctx.targets.items():
        value = raw.get(column, "")
        if target.startswith("question:"):
            _take_answer(row, column, ctx.questions[target[9:]], value, ctx)
        elif target == "submitted_at":
            _take_submitted_at(row, column, value)
        else:
            _take_meta(row, column, target, value, ctx)
    missing = [
        q.code
        for q in ctx.questions.values()
        if q.required and q.pk not in row.answers and q.code not in row.failed
    ]
    if missing:
        row.problems.append(
            _("No answer to required question(s): %(q)s.") % {"q": ", ".join(missing)}
        )
    if not row.answers and not missing and not row.problems:
        row.problems.append(_("The row answers no question."))
        row.problems.extend(row.skipped)  # the bad answers are why
    return row


def _clean_recode(
    recode: Mapping[str, Mapping[str, str]], targets: dict[str, str]
) -> dict[str, dict[str, str]]:
    """The recoding rules, each on a column mapped to a question (else a mapping error)."""
    clean: dict[str, dict[str, str]] = {}
    for column, rules in recode.items():
        if not targets.get(column, "").startswith("question:"):
            message = _("Recoding applies to a column mapped to a question; “%(c)s” is not.") % {
                "c": column
            }
            raise ValidationFailed(message, fields={"recode": [message]})
        clean[column] = {str(k).strip(): str(v).strip() for k, v in rules.items()}
    return clean


def _import_context(
    survey: Survey,
    mapping: dict[str, str],
    header: list[str],
    missing_tokens: Sequence[str],
    recode: Mapping[str, Mapping[str, str]],
) -> _ImportContext:
    questions = {q.code: q for q in survey.questions.all()}
    targets = _targets(mapping, header, questions)  # refuses a bad mapping before any other query
    return _ImportContext(
        recode=_clean_recode(recode, targets),
        missing_tokens=frozenset(t.strip().upper() for t in missing_tokens if t.strip()),
        questions=questions,
        targets=targets,
        categories={c.code: c.pk for c in Category.objects.all()},
        seen_ids=set(
            Response.objects.filter(survey=survey)
            .exclude(external_id="")
            .values_list("external_id", flat=True)
        ),
        now=timezone.now(),
    )


def _good_responses(
    survey: Survey,
    rows: Iterable[tuple[int, dict[str, str]]],
    ctx: _ImportContext,
    report: ImportReport,
) -> Iterator[tuple[Response, dict[int, AnswerValues]]]:
    """The good rows as unsaved responses with their answers, one at a time; the bad ones go
    into ``report``."""
    for line, raw in rows:
        if "__error__" in raw:
            report.errors.append((line, raw["__error__"]))
            continue
        row = _check_row(raw, ctx)
        if row.problems:
            report.errors.append((line, "; ".join(row.problems)))
            continue
        report.missing_values += row.missing_values
        for rule in row.recoded:
            report.recoded[rule] = report.recoded.get(rule, 0) + 1
        if row.skipped:
            report.skipped.append((line, "; ".join(row.skipped)))
        if row.meta.get("external_id"):
            ctx.seen_ids.add(row.meta["external_id"])
        response = Response(
            survey=survey,
            started_at=row.meta["submitted_at"],
            source=ResponseSource.IMPORT,
            **row.meta,
        )
        yield response, row.answers


# rows checked and written at a time: a large file is never held as objects all at once
RESPONSE_BATCH = 2000


def _write_responses(
    good: Iterator[tuple[Response, dict[int, AnswerValues]]],
    then: Callable[[Response, dict[int, AnswerValues]], None] | None,
    tally: dict[str, Any],
) -> list[int]:
    """The good rows' responses and answers, RESPONSE_BATCH rows at a time (so a large file is
    never held as objects), each batch announced with what it holds (``ResponsesImported``: the
    aggregates count it without reading it back), ``then`` run for each written row; returns the
    responses' ids."""
    ids: list[int] = []
    while chunk := list(itertools.islice(good, RESPONSE_BATCH)):
        bulkwrite.write(chunk)  # COPY on PostgreSQL, bulk_create elsewhere
        ids.extend(r.pk for r, _answers in chunk)
        survey_id = chunk[0][0].survey_id
        publish(
            ResponsesImported(
                survey_id=survey_id,
                response_ids=tuple(r.pk for r, _answers in chunk),
                written=tuple(chunk),
                tally=tally,
            )
        )
        if then is not None:
            for response, answers in chunk:
                then(response, answers)
    return ids


@transaction.atomic
def responses_import_csv(
    *,
    actor: Actor,
    survey_id: int,
    data: str | bytes,
    mapping: dict[str, str],
    follow_up: bool = False,
    missing_tokens: Sequence[str] = DEFAULT_MISSING_TOKENS,
    recode: Mapping[str, Mapping[str, str]] | None = None,
) -> ImportReport:
    """Import responses collected elsewhere (paper, another tool) into a survey.

    ``mapping`` maps a CSV column to ``question:<code>``, one of META_TARGETS, or ``ignore``.
    Each row is checked completely before anything is written; every good row goes in, in one
    transaction (publishing one ``ResponsesImported`` per batch written), and each bad row is reported with its
    line number and reason and left out. A bad answer to a question that is not required leaves
    that question unanswered in a row that goes in, and is reported in ``report.skipped``; an
    answer equal to one of ``missing_tokens`` (any case) is "not answered", counted in
    ``report.missing_values``. ``recode`` maps a question column's values to others before they
    are read ({"Q3": {"0": "", "99": ""}}: 0 and 99 mean not answered), counted per rule in
    ``report.recoded``.

    Low scores open the survey's follow-up (callback task or complaint) only with ``follow_up``:
    a bulk import of old answers must not flood the callback queue unless asked."""
    require_manager(actor, _("import responses"))
    survey = _import_survey(survey_id)
    header, rows = iter_csv(data)
    ctx = _import_context(survey, mapping, header, missing_tokens, recode or {})
    report = ImportReport()
    ordered = sorted(ctx.questions.values(), key=lambda q: q.position)

    def open_follow_ups(response: Response, answers: dict[int, AnswerValues]) -> None:
        held = {qid: Answer(question_id=qid, **values) for qid, values in answers.items()}
        report.followed_up += open_follow_up(response, ordered, held)

    tally: dict[str, Any] = {}  # what the apps above count batch by batch, until the last event
    ids = _write_responses(
        _good_responses(survey, rows, ctx, report), open_follow_ups if follow_up else None, tally
    )
    publish(ResponsesImported(survey_id=survey.pk, response_ids=(), tally=tally, last=True))
    report.imported = len(ids)
    audit(
        "survey",
        survey.pk,
        actor,
        "responses_imported",
        {
            "imported": report.imported,
            "rejected": report.rejected,
            "follow_up": follow_up,
            "followed_up": report.followed_up,
            "answers_skipped": len(report.skipped),
            "missing_values": report.missing_values,
            "recoded": sum(report.recoded.values()),
        },
    )
    return report
