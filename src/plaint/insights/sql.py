"""The hand-written SQL of insights, in one place, for PostgreSQL and SQLite alike (window
functions and ``FILTER``: SQLite ≥ 3.30; ``ON CONFLICT``: ≥ 3.24). Identifiers come from model
metadata and constants, values are parameters. Services and selectors run these statements.

The repeat-complainant rule is defined here once, for the live figures and the monthly rollup
on every database: a complaint is a repeat when its contact key — the trimmed, lower-cased e-mail
(``e:``), or the last eight digits of a phone number of at least seven digits (``p:``, so a
number written with or without its country prefix matches) — was on another complaint received
in the 365 days before it.

The survey aggregates are rebuilt set-based: one ``INSERT … SELECT … GROUP BY`` per segment
dimension (the single-choice answers under their option's position: ``choice_counts_sql``), and
the pairwise counts from the answers pivoted to one row per response."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from plaint.complaints.models import Complainant, Complaint
from plaint.insights.models import AnswerCount, IndicatorContact, PairCount
from plaint.surveys.models import SCALE_KINDS, Answer, Question, Response

REPEAT_WINDOW = dt.timedelta(days=365)
PIVOT = "insights_pivot"

# The contact keys of the complainant ``p`` (NULL when there is none).
_DIGITS = "regexp_replace(p.phone, '[^0-9]', '', 'g')"
EMAIL_KEY = "NULLIF(lower(trim(p.email)), '')"
PHONE_KEY = f"CASE WHEN length({_DIGITS}) >= 7 THEN substr({_DIGITS}, length({_DIGITS}) - 7) END"


def month(column: str) -> str:
    """The first day of the UTC month of the timestamp ``column``, as a date."""
    if connection.vendor == "postgresql":
        return f"(date_trunc('month', {column} AT TIME ZONE 'UTC'))::date"
    return f"date({column}, 'start of month')"


def as_date(value: dt.date | str) -> dt.date:
    """A ``month(...)`` value as a date (SQLite returns its dates as text)."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def param(moment: dt.datetime) -> Any:
    """A timestamp as a query parameter comparable with the stored column (SQLite stores text)."""
    return connection.ops.adapt_datetimefield_value(moment)


def _within_window(later: str, earlier: str) -> str:
    days = REPEAT_WINDOW.days
    if connection.vendor == "postgresql":
        return f"{later} - {earlier} <= interval '{days} days'"
    return f"julianday({later}) - julianday({earlier}) <= {days}"


def _received_with_keys() -> str:
    """The complaints received in [%s, %s) with their time, month and contact keys."""
    return (
        f"SELECT cp.received_at AS t, {month('cp.received_at')} AS month, "  # noqa: S608 - identifiers from metadata
        f"{EMAIL_KEY} AS em, {PHONE_KEY} AS ph "
        f"FROM {Complaint._meta.db_table} cp "
        f"JOIN {Complainant._meta.db_table} p ON p.id = cp.complainant_id "
        "WHERE cp.received_at >= %s AND cp.received_at < %s"
    )


def repeat_counts_sql(*, use_contacts: bool) -> str:
    """Per month (``month``, identified, repeats) of the complaints received in [t0, t1) with
    the parameters (lower, t1, t0): each complaint's previous receipt with the same key is looked
    for from ``lower`` on — and, with ``use_contacts``, before ``lower`` in ``IndicatorContact``
    (the last receipts before the rollup's watermark, which is then ``lower``)."""
    if use_contacts:
        contact_t = IndicatorContact._meta.db_table
        prev = (
            "coalesce(lag(t) OVER (PARTITION BY em ORDER BY t), ke.last_at) AS prev_em, "
            "coalesce(lag(t) OVER (PARTITION BY ph ORDER BY t), kp.last_at) AS prev_ph "
            f"FROM c LEFT JOIN {contact_t} ke ON ke.key = 'e:' || c.em "
            f"LEFT JOIN {contact_t} kp ON kp.key = 'p:' || c.ph"
        )
    else:
        prev = (
            "lag(t) OVER (PARTITION BY em ORDER BY t) AS prev_em, "
            "lag(t) OVER (PARTITION BY ph ORDER BY t) AS prev_ph FROM c"
        )
    return (
        f"WITH c AS ({_received_with_keys()}), "  # noqa: S608 - identifiers from metadata
        f"w AS (SELECT t, month, em, ph, {prev}) "
        "SELECT month, count(*) FILTER (WHERE em IS NOT NULL OR ph IS NOT NULL), "
        f"count(*) FILTER (WHERE (em IS NOT NULL AND {_within_window('t', 'prev_em')}) "
        f"OR (ph IS NOT NULL AND {_within_window('t', 'prev_ph')})) "
        "FROM w WHERE t >= %s GROUP BY month"
    )


def contacts_rebuild_sql() -> str:
    """Fill ``IndicatorContact`` with the last receipt of each contact key among the complaints
    received in [%s, %s), given twice."""
    return (
        f"INSERT INTO {IndicatorContact._meta.db_table} (key, last_at) "  # noqa: S608 - identifiers from metadata
        "SELECT key, max(t) FROM ("
        f"SELECT 'e:' || em AS key, t FROM ({_received_with_keys()}) ce "
        f"UNION ALL SELECT 'p:' || ph, t FROM ({_received_with_keys()}) cp2"
        ") x WHERE key IS NOT NULL GROUP BY key"
    )


def durations_sql() -> str:
    """(month closed, microseconds from receipt to closing) of the complaints closed in
    [%s, %s) (PostgreSQL: exact in SQL)."""
    return (
        f"SELECT {month('closed_at')}, "  # noqa: S608 - identifiers from metadata
        "(EXTRACT(EPOCH FROM closed_at - received_at) * 1000000)::bigint "
        f"FROM {Complaint._meta.db_table} WHERE closed_at >= %s AND closed_at < %s"
    )


# ------------------------------------------------------------------------ survey aggregates


def upsert_counts_sql(table: str, columns: list[str], key: list[str], rows: int) -> str:
    """INSERT of ``rows`` rows of ``columns`` that adds to ``count`` where the ``key`` exists."""
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES "  # noqa: S608 - see the docstring
        + ", ".join([placeholders] * rows)
        + f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET count = {table}.count + excluded.count"
    )


def _segment_parts(field: str | None) -> tuple[str, str, str]:
    """The segment expression, its WHERE condition and its GROUP BY term for the Response column
    ``field`` (None: all responses, segment '')."""
    if field is None:
        return "''", "", ""
    segment = f"CAST(r.{field} AS VARCHAR(200))"
    having = f" AND r.{field} IS NOT NULL AND CAST(r.{field} AS VARCHAR(200)) <> ''"
    return segment, having, f", {segment}"


def answer_counts_sql(field: str | None) -> str:
    """Insert the answer counts of one survey (parameters: dimension, survey id) per month, value
    and the segment value in the Response column ``field`` (None: all responses, segment '')."""
    month_r = month("r.submitted_at")
    kinds = ", ".join(f"'{k}'" for k in sorted(kind.value for kind in SCALE_KINDS))
    segment, having, group_segment = _segment_parts(field)
    return (
        f"INSERT INTO {AnswerCount._meta.db_table} "  # noqa: S608 - see the docstring
        "(survey_id, question_id, month, dimension, segment, value, count) "
        f"SELECT r.survey_id, a.question_id, {month_r}, %s, {segment}, a.value, COUNT(*) "
        f"FROM {Answer._meta.db_table} a JOIN {Response._meta.db_table} r "
        "ON r.id = a.response_id "
        f"JOIN {Question._meta.db_table} q ON q.id = a.question_id "
        "WHERE r.survey_id = %s AND r.submitted_at IS NOT NULL "
        f"AND a.value IS NOT NULL AND q.kind IN ({kinds}){having} "
        f"GROUP BY r.survey_id, a.question_id, {month_r}{group_segment}, a.value"
    )


def choice_counts_sql(field: str | None, options: int) -> str:
    """Insert the counts of one survey's single-choice answers under the chosen option's position
    (parameters: ``options`` triples (question id, option code, position), dimension, survey id)
    per month and segment value, as ``answer_counts_sql``. An answer is counted when it holds one
    code that is one of its question's options (the rule of ``services._choice_values``)."""
    month_r = month("r.submitted_at")
    segment, having, group_segment = _segment_parts(field)
    if connection.vendor == "postgresql":
        chosen = "a.choices ->> 0"
        one = "CASE WHEN jsonb_typeof(a.choices) = 'array' THEN jsonb_array_length(a.choices) END"
    else:
        chosen = "json_extract(a.choices, '$[0]')"
        one = "json_array_length(a.choices)"
    first = "SELECT %s AS question_id, CAST(%s AS VARCHAR(40)) AS code, %s AS position"
    table = " UNION ALL ".join([first] + ["SELECT %s, %s, %s"] * (options - 1))
    return (
        f"INSERT INTO {AnswerCount._meta.db_table} "  # noqa: S608 - see the docstring
        "(survey_id, question_id, month, dimension, segment, value, count) "
        f"SELECT r.survey_id, a.question_id, {month_r}, %s, {segment}, o.position, COUNT(*) "
        f"FROM {Answer._meta.db_table} a JOIN {Response._meta.db_table} r "
        "ON r.id = a.response_id "
        f"JOIN ({table}) o ON o.question_id = a.question_id AND o.code = {chosen} "
        f"WHERE r.survey_id = %s AND r.submitted_at IS NOT NULL AND {one} = 1{having} "
        f"GROUP BY r.survey_id, a.question_id, {month_r}{group_segment}, o.position"
    )


def pivot_sql(question_ids: list[int]) -> str:
    """Create the temporary table ``PIVOT``: one row per submitted response of a survey
    (parameter: survey id) with its month and one column ``v<k>`` per question of
    ``question_ids``."""
    month_r = month("r.submitted_at")
    columns = ", ".join(
        f"MAX(CASE WHEN a.question_id = {int(q)} THEN a.value END) AS v{k}"
        for k, q in enumerate(question_ids)
    )
    id_list = ", ".join(str(int(q)) for q in question_ids)
    return (
        f"CREATE TEMPORARY TABLE {PIVOT} AS SELECT {month_r} AS month, {columns} "  # noqa: S608
        f"FROM {Answer._meta.db_table} a JOIN {Response._meta.db_table} r "
        "ON r.id = a.response_id "
        "WHERE r.survey_id = %s AND r.submitted_at IS NOT NULL AND a.value IS NOT NULL "
        f"AND a.question_id IN ({id_list}) GROUP BY a.response_id, {month_r}"
    )


def pair_counts_sql(i: int, j: int) -> str:
    """Insert the joint counts of the pivot's columns ``v<i>`` and ``v<j>`` per month
    (parameters: survey id, question a, question b)."""
    return (
        f"INSERT INTO {PairCount._meta.db_table} "  # noqa: S608 - see the docstring
        "(survey_id, question_a_id, question_b_id, month, value_a, value_b, count) "
        f"SELECT %s, %s, %s, month, v{i}, v{j}, COUNT(*) FROM {PIVOT} "
        f"WHERE v{i} IS NOT NULL AND v{j} IS NOT NULL GROUP BY month, v{i}, v{j}"
    )


# ------------------------------------------------------------------------------------ SQLite


def _regexp_replace(text: str | None, pattern: str, replacement: str, flags: str) -> str | None:
    if text is None:
        return None
    return re.sub(pattern, replacement, text, count=0 if "g" in flags else 1)


def add_sqlite_functions(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``regexp_replace(text, pattern, replacement, flags)`` as PostgreSQL has it, on each new
    SQLite connection (receiver of ``connection_created``), so the rules above read the same."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "regexp_replace", 4, _regexp_replace, deterministic=True
        )
