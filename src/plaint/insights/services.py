"""Insights writes: the survey-answer aggregates (kept in step with every recorded response and
rebuildable from the raw answers) and imports of monthly business volumes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader, can_import_volumes
from plaint.accounts.models import User
from plaint.complaints.models import Complaint
from plaint.core.bounds import month_error
from plaint.core.errors import NotAllowed, ValidationFailed
from plaint.insights import sql
from plaint.insights.models import (
    AnswerCount,
    Dimension,
    IndicatorContact,
    IndicatorMonth,
    IndicatorRollup,
    PairCount,
    PeriodVolume,
    VolumeImport,
)
from plaint.insights.selectors.filters import month_of, months_between
from plaint.insights.selectors.indicators import month_counts
from plaint.surveys.models import (
    SCALE_KINDS,
    Answer,
    Question,
    QuestionKind,
    Response,
    Survey,
)

# Each segment dimension and the Response column it reads.
DIMENSION_FIELDS = {
    Dimension.CHANNEL: "channel",
    Dimension.CATEGORY: "category_id",
    Dimension.PRODUCT: "product",
    Dimension.LANGUAGE: "language",
    Dimension.SEGMENT: "segment",
}
MAX_VOLUME_ROWS = 10_000
MAX_VOLUME_BYTES = 1_000_000


def _segments(response: Response) -> list[tuple[str, str]]:
    cells = [(Dimension.ALL.value, "")]
    for dimension, field in DIMENSION_FIELDS.items():
        raw = getattr(response, field)
        if raw not in (None, ""):
            cells.append((dimension.value, str(raw)[:200]))
    return cells


def _upsert(table: str, columns: list[str], key: list[str], rows: list[tuple[Any, ...]]) -> None:
    """INSERT … ON CONFLICT DO UPDATE that adds to ``count``."""
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            sql.upsert_counts_sql(table, columns, key, len(rows)),
            [value for row in rows for value in row],
        )


def choice_positions(question_ids: set[int]) -> dict[int, dict[str, int]]:
    """Per single-choice question, each option's code → its position in ``Question.options``:
    the ``value`` its answers are counted under in ``AnswerCount``."""
    return {
        pk: {str(o.get("code")): i for i, o in enumerate(options or []) if isinstance(o, dict)}
        for pk, options in Question.objects.filter(
            pk__in=question_ids, kind=QuestionKind.SINGLE
        ).values_list("pk", "options")
    }


def _choice_values(answers: QuerySet[Answer]) -> list[tuple[int, int, int]]:
    """(response id, question id, option position) of the single-choice answers among
    ``answers``: one chosen code that is one of the question's options (the rule of
    ``sql.choice_counts_sql``, so every path counts the same)."""
    rows = list(
        answers.filter(question__kind=QuestionKind.SINGLE).values_list(
            "response_id", "question_id", "choices"
        )
    )
    positions = choice_positions({qid for _r, qid, _c in rows})
    out = []
    for response_id, question_id, chosen in rows:
        if isinstance(chosen, list) and len(chosen) == 1:
            position = positions.get(question_id, {}).get(str(chosen[0]))
            if position is not None:
                out.append((response_id, question_id, position))
    return sorted(out)


@transaction.atomic
def response_recorded(*, response: Response) -> None:
    """Run for each ``ResponseRecorded`` (``handlers``), inside the surveys service's
    transaction, once when a response is submitted or imported: adds its scale answers and its
    single-choice answers (under the chosen option's position) to the monthly counts (overall and
    per segment), and its scale answers to the pairwise joint counts. A partial response (no
    ``submitted_at``) is not counted."""
    if response.submitted_at is None:
        return
    answers = sorted(
        Answer.objects.filter(
            response_id=response.pk, value__isnull=False, question__kind__in=SCALE_KINDS
        ).values_list("question_id", "value")
    )
    chosen = [(q, v) for _r, q, v in _choice_values(Answer.objects.filter(response_id=response.pk))]
    if not answers and not chosen:
        return
    month = month_of(response.submitted_at)
    survey_id = response.survey_id
    cells = _segments(response)
    _upsert(
        AnswerCount._meta.db_table,
        ["survey_id", "question_id", "month", "dimension", "segment", "value", "count"],
        ["question_id", "dimension", "segment", "month", "value"],
        [(survey_id, q, month, dim, seg, v, 1) for q, v in answers + chosen for dim, seg in cells],
    )
    pairs = [
        (survey_id, qa, qb, month, va, vb, 1)
        for i, (qa, va) in enumerate(answers)
        for qb, vb in answers[i + 1 :]
    ]
    _upsert(
        PairCount._meta.db_table,
        ["survey_id", "question_a_id", "question_b_id", "month", "value_a", "value_b", "count"],
        ["question_a_id", "question_b_id", "month", "value_a", "value_b"],
        pairs,
    )


# responses read per query, and count rows written per statement, when counting an import
IMPORT_CHUNK = 5000
UPSERT_ROWS = 500


@transaction.atomic
def responses_recorded(*, response_ids: Sequence[int]) -> None:
    """``response_recorded`` for many responses at once (an import, ``ResponsesImported``): their
    answers read a chunk at a time, counted in memory, and added to the aggregates with a few
    multi-row upserts — the same counts as one ``response_recorded`` per response."""
    answer_cells: Counter[tuple[Any, ...]] = Counter()
    pair_cells: Counter[tuple[Any, ...]] = Counter()
    ids = list(response_ids)
    for start in range(0, len(ids), IMPORT_CHUNK):
        chunk = ids[start : start + IMPORT_CHUNK]
        responses = {
            r.pk: r
            for r in Response.objects.filter(pk__in=chunk, submitted_at__isnull=False).only(
                "survey_id", "submitted_at", *DIMENSION_FIELDS.values()
            )
        }
        by_response: dict[int, list[tuple[int, int | None]]] = {}
        for response_id, question_id, value in (
            Answer.objects.filter(
                response_id__in=list(responses), value__isnull=False, question__kind__in=SCALE_KINDS
            )
            .order_by("response_id", "question_id")
            .values_list("response_id", "question_id", "value")
        ):
            by_response.setdefault(response_id, []).append((question_id, value))
        chosen: dict[int, list[tuple[int, int]]] = {}
        for response_id, question_id, position in _choice_values(
            Answer.objects.filter(response_id__in=list(responses))
        ):
            chosen.setdefault(response_id, []).append((question_id, position))
        for response_id in sorted(by_response.keys() | chosen.keys()):
            cells = (answer_cells, pair_cells)
            scale, picked = by_response.get(response_id, []), chosen.get(response_id, [])
            _count(responses[response_id], scale, picked, cells)
    answers_and_pairs_add(answer_cells, pair_cells)


def responses_counted(
    *,
    written: Sequence[tuple[Response, Mapping[int, Mapping[str, Any]]]],
    cells: tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]]],
) -> None:
    """Count a batch an import has just written into ``cells`` (answer cells, pair cells), from
    the rows it holds (each response, with its id, and its answers by question id: ``value``,
    ``choices``) instead of reading them back: the same cells as ``responses_recorded``, by the
    same rules (``_count``). ``answers_and_pairs_add`` adds them once the import has ended."""
    question_ids = {qid for _response, answers in written for qid in answers}
    kinds = dict(Question.objects.filter(pk__in=question_ids).values_list("pk", "kind"))
    positions = choice_positions({q for q, kind in kinds.items() if kind == QuestionKind.SINGLE})
    for response, answers in written:
        if response.submitted_at is None:
            continue
        scale: list[tuple[int, int | None]] = []
        picked: list[tuple[int, int]] = []
        for qid in sorted(answers):
            values, kind = answers[qid], kinds.get(qid)
            if kind in SCALE_KINDS and values.get("value") is not None:
                scale.append((qid, values["value"]))
            chosen = values.get("choices")
            if kind == QuestionKind.SINGLE and isinstance(chosen, list) and len(chosen) == 1:
                position = positions.get(qid, {}).get(str(chosen[0]))
                if position is not None:
                    picked.append((qid, position))
        _count(response, scale, picked, cells)


def responses_tallied(
    *,
    written: Sequence[tuple[Response, Mapping[int, Mapping[str, Any]]]],
    tally: dict[str, Any],
    last: bool,
) -> None:
    """An import's batch counted into its ``tally`` (``ResponsesImported``); with ``last`` the
    counts so far are added to the aggregates."""
    cells = tally.setdefault("insights", (Counter(), Counter()))
    responses_counted(written=written, cells=cells)
    if last:
        answers_and_pairs_add(*cells)


def _count(
    response: Response,
    scale: list[tuple[int, int | None]],
    picked: list[tuple[int, int]],
    cells: tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]]],
) -> None:
    """One submitted response's cells: its scale answers and single-choice positions (each in
    question order) per segment, and the pairs of its scale answers."""
    answer_cells, pair_cells = cells
    assert response.submitted_at is not None  # callers count submitted responses only
    month, sid = month_of(response.submitted_at), response.survey_id
    counted = scale + picked
    for dim, seg in _segments(response):
        answer_cells.update((sid, q, month, dim, seg, v) for q, v in counted)
    pair_cells.update(
        (sid, qa, qb, month, va, vb)
        for i, (qa, va) in enumerate(scale)
        for qb, vb in scale[i + 1 :]
    )


def answers_and_pairs_add(
    answer_cells: Counter[tuple[Any, ...]], pair_cells: Counter[tuple[Any, ...]]
) -> None:
    answer_rows = [(*cell, n) for cell, n in answer_cells.items()]
    pair_rows = [(*cell, n) for cell, n in pair_cells.items()]
    for start in range(0, len(answer_rows), UPSERT_ROWS):
        _upsert(
            AnswerCount._meta.db_table,
            ["survey_id", "question_id", "month", "dimension", "segment", "value", "count"],
            ["question_id", "dimension", "segment", "month", "value"],
            answer_rows[start : start + UPSERT_ROWS],
        )
    for start in range(0, len(pair_rows), UPSERT_ROWS):
        _upsert(
            PairCount._meta.db_table,
            ["survey_id", "question_a_id", "question_b_id", "month", "value_a", "value_b", "count"],
            ["question_a_id", "question_b_id", "month", "value_a", "value_b"],
            pair_rows[start : start + UPSERT_ROWS],
        )


def aggregates_rebuild(
    *, survey_id: int | None = None, progress: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Recompute the aggregates of one survey (or all) from the raw answers with set-based SQL
    (INSERT … SELECT … GROUP BY), one transaction per survey so readers never see half of it.
    Returns the number of rows written per table."""
    say = progress or (lambda _message: None)
    ids = (
        [survey_id]
        if survey_id is not None
        else list(Survey.objects.order_by("pk").values_list("pk", flat=True))
    )
    totals = {"answer_counts": 0, "pair_counts": 0}
    for sid in ids:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Room for the GROUP BY of millions of rows in memory (this transaction only).
                cursor.execute("SET LOCAL work_mem = '256MB'")
            AnswerCount.objects.filter(survey_id=sid).delete()
            PairCount.objects.filter(survey_id=sid).delete()
            for dimension in Dimension:
                field = None if dimension == Dimension.ALL else DIMENSION_FIELDS[dimension]
                cursor.execute(sql.answer_counts_sql(field), [dimension.value, sid])
                totals["answer_counts"] += max(cursor.rowcount, 0)
                say(f"survey {sid}: answer counts by {dimension.value}: {cursor.rowcount} rows")
            totals["answer_counts"] += _rebuild_choices(cursor, sid, say)
            totals["pair_counts"] += _rebuild_pairs(cursor, sid, say)
    return totals


def _rebuild_choices(cursor: CursorWrapper, survey_id: int, say: Callable[[str], None]) -> int:
    """The counts of the single-choice answers, per dimension, under each option's position."""
    qids = set(
        Question.objects.filter(survey_id=survey_id, kind=QuestionKind.SINGLE).values_list(
            "pk", flat=True
        )
    )
    options = [
        (qid, code, position)
        for qid, codes in sorted(choice_positions(qids).items())
        for code, position in codes.items()
    ]
    if not options:
        return 0
    written = 0
    for dimension in Dimension:
        field = None if dimension == Dimension.ALL else DIMENSION_FIELDS[dimension]
        cursor.execute(
            sql.choice_counts_sql(field, len(options)),
            [dimension.value, *(value for option in options for value in option), survey_id],
        )
        written += max(cursor.rowcount, 0)
    say(f"survey {survey_id}: single-choice answer counts: {written} rows")
    return written


def _rebuild_pairs(cursor: CursorWrapper, survey_id: int, say: Callable[[str], None]) -> int:
    """Pairwise counts without a self-join: the answers are first pivoted to one row per
    response (a temporary table with one column per scale question), then each pair of columns is
    one GROUP BY over that narrow table. A self-join of the answers would make and sort a row
    per pair per response (28 million for 1,000,000 responses of 8 questions)."""
    qids = list(
        Question.objects.filter(survey_id=survey_id, kind__in=SCALE_KINDS)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(qids) < 2:
        return 0
    cursor.execute(f"DROP TABLE IF EXISTS {sql.PIVOT}")
    cursor.execute(sql.pivot_sql(qids), [survey_id])
    say(f"survey {survey_id}: answers pivoted to one row per response")
    written = 0
    for i in range(len(qids)):
        for j in range(i + 1, len(qids)):
            cursor.execute(sql.pair_counts_sql(i, j), [survey_id, qids[i], qids[j]])
            written += max(cursor.rowcount, 0)
    cursor.execute(f"DROP TABLE {sql.PIVOT}")
    say(f"survey {survey_id}: pairwise counts: {written} rows")
    return written


# ------------------------------------------------------------------ indicator rollup

INDICATOR_REFRESH = dt.timedelta(hours=1)


def indicator_months_rebuild(
    *, now: dt.datetime | None = None, progress: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Rebuild the monthly rollup of the indirect indicators (``IndicatorMonth``) from the
    complaints received or closed before ``now`` (the watermark; the open month's row holds what
    came before it), with the same functions the dashboard uses for what came after, and the
    contact keys of the 365 days before the watermark (``IndicatorContact``). One transaction:
    readers see the old rollup or the new one. Returns the watermark, the number of months and
    the seconds taken."""
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    now = now or timezone.now()
    with transaction.atomic():
        rollup = IndicatorRollup.objects.select_for_update().first()
        IndicatorMonth.objects.all().delete()
        IndicatorContact.objects.all().delete()
        months = _rollup_months(now, say)
        seconds = time.perf_counter() - started
        rollup = rollup or IndicatorRollup()
        rollup.boundary, rollup.refreshed_at, rollup.seconds = month_of(now), now, seconds
        rollup.save()
    return {"watermark": now, "months": months, "seconds": seconds}


def _rollup_months(now: dt.datetime, say: Callable[[str], None]) -> int:
    """Write the rollup's months and contact keys; returns the number of months."""
    first = Complaint.objects.filter(received_at__lt=now).aggregate(t=Min("received_at"))["t"]
    if first is None:
        return 0
    months = months_between(month_of(first), month_of(now))
    c = month_counts(months, None, until=now)
    say(f"received: {int(c.received.sum())} complaints in {len(months)} months")
    say(f"repeat complainants: {int(c.repeats.sum())} of {int(c.identified.sum())}")
    say(f"times to resolve: {sum(len(d) for d in c.durations)} closed")
    IndicatorMonth.objects.bulk_create(
        [
            IndicatorMonth(
                month=m,
                received=int(c.received[i]),
                about_process=int(c.about[i]),
                identified=int(c.identified[i]),
                repeats=int(c.repeats[i]),
                closed=len(c.durations[i]),
                durations=c.durations[i].astype("<i8").tobytes(),
            )
            for i, m in enumerate(months)
        ],
        batch_size=200,
    )
    _contacts_rebuild(now)
    say(f"contacts: {IndicatorContact.objects.count()} keys")
    return len(months)


def _contacts_rebuild(watermark: dt.datetime) -> None:
    """The last receipt of each contact key in the 365 days before the watermark."""
    since = sql.param(watermark - sql.REPEAT_WINDOW)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql.contacts_rebuild_sql(), [since, sql.param(watermark)] * 2)


def indicator_rollup_discard() -> None:
    """Forget the rollup, in the caller's transaction: complaint history was imported with
    dates before its watermark, which the rollup does not hold. Until the next housekeeping
    rebuilds it (it rebuilds a missing rollup at once), the indicators are computed from the
    complaints themselves — the same figures, slower."""
    IndicatorRollup.objects.all().delete()
    IndicatorMonth.objects.all().delete()
    IndicatorContact.objects.all().delete()


def indicator_months_refresh(*, now: dt.datetime | None = None) -> dict[str, Any] | None:
    """The periodic job: rebuild the rollup when there is none or it is an hour old, so what the
    dashboard computes live is at most an hour of complaints, and late changes to what came
    before (a reopened complaint, a corrected contact) show within the hour. Returns what the
    rebuild returned, or None when nothing was due."""
    now = now or timezone.now()
    rollup = IndicatorRollup.objects.first()
    if rollup is not None and rollup.refreshed_at <= now < rollup.refreshed_at + INDICATOR_REFRESH:
        return None
    return indicator_months_rebuild(now=now)


# ------------------------------------------------------------------------------ volume import

MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-01)?\s*$")
# (orders, customers, line number) of a good row
VolumeRow = tuple[int | None, int | None, int]


def _parse_count(raw: str, column: str, errors: list[str]) -> int | None:
    text = (raw or "").strip().replace(" ", "").replace("\u00a0", "")
    if text == "":
        return None
    if not text.isdigit():
        errors.append(
            _("%(column)s: %(value)r is not a whole number ≥ 0")
            % {"column": column, "value": raw.strip()[:40]}
        )
        return None
    value = int(text)
    if value > 2_000_000_000:
        errors.append(_("%(column)s: too large") % {"column": column})
        return None
    return value


def _read_csv(content: bytes) -> csv.DictReader[str]:
    """A reader over the rows of a volumes file, its header lower-cased; refuses a file too
    large, not UTF-8, or without the columns."""
    if len(content) > MAX_VOLUME_BYTES:
        raise ValidationFailed(
            _("The file is larger than 1 MB."), fields={"file": [_("The file is too large.")]}
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            _("The file is not UTF-8 text."), fields={"file": [_("Save the file as UTF-8 CSV.")]}
        ) from exc
    # The header line decides the separator (spreadsheets in et/sv/uk locales write ";").
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    if "month" not in header or not ({"orders", "customers"} & set(header)):
        raise ValidationFailed(
            _("The first line must name the columns month, orders and customers."),
            fields={"file": [_("Missing columns: month and orders or customers.")]},
        )
    reader.fieldnames = header
    return reader


def _parse_month(raw: str, errors: list[str]) -> dt.date | None:
    match = MONTH_RE.match(raw)
    if match:
        year, mon = int(match.group(1)), int(match.group(2))
        if month_error(year, mon) is None:
            return dt.date(year, mon, 1)
        raw = raw.strip()
    errors.append(_("month: %(value)r is not a month like 2026-03") % {"value": raw[:40]})
    return None


def _parse_row(
    row: dict[str | Any, str | Any], good: dict[dt.date, VolumeRow]
) -> tuple[dt.date | None, int | None, int | None, list[str]]:
    """A row's month, orders and customers, and its errors (a month given on an earlier good
    line is one)."""
    errors: list[str] = []
    if None in row:  # more cells than columns
        errors.append(_("more cells than the header names"))
    month = _parse_month(row.get("month") or "", errors)
    orders = _parse_count(row.get("orders") or "", "orders", errors)
    customers = _parse_count(row.get("customers") or "", "customers", errors)
    if not errors and orders is None and customers is None:
        errors.append(_("give orders or customers"))
    if month is not None and month in good and not errors:
        errors.append(
            _("month %(month)s already given on line %(line)d")
            % {"month": f"{month:%Y-%m}", "line": good[month][2]}
        )
    return month, orders, customers, errors


@transaction.atomic
def volumes_import(*, actor: Reader, content: bytes, filename: str = "") -> VolumeImport:
    """Import monthly volumes from CSV with the columns ``month`` (YYYY-MM), ``orders`` and
    ``customers`` (either may be empty). Each good row creates or replaces its month; each bad row
    is reported with its line number and its errors and changes nothing."""
    if not isinstance(actor, User) or not can_import_volumes(actor):
        raise NotAllowed(_("Your role may not import volumes."))
    reader = _read_csv(content)
    now = timezone.now()
    record = VolumeImport.objects.create(created_at=now, created_by=actor, filename=filename[:200])
    report: list[dict[str, Any]] = []
    good: dict[dt.date, VolumeRow] = {}
    total = 0
    for row in reader:
        total += 1
        if total > MAX_VOLUME_ROWS:
            raise ValidationFailed(
                _("The file has more than %(n)d rows.") % {"n": MAX_VOLUME_ROWS},
                fields={"file": [_("Too many rows.")]},
            )
        month, orders, customers, errors = _parse_row(row, good)
        if errors or month is None:  # month is None only with an error recorded
            report.append({"line": reader.line_num, "errors": errors})
            continue
        good[month] = (orders, customers, reader.line_num)
    PeriodVolume.objects.bulk_create(
        [
            PeriodVolume(month=m, orders=o, customers=c, source=record, updated_at=now)
            for m, (o, c, _line) in sorted(good.items())
        ],
        batch_size=500,
        update_conflicts=True,
        unique_fields=["month"],
        update_fields=["orders", "customers", "source", "updated_at"],
    )
    record.rows_total, record.rows_imported, record.errors = total, len(good), report
    record.save(update_fields=["rows_total", "rows_imported", "errors"])
    return record
