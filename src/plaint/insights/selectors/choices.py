"""Single-choice questions measured: the share of each option with its Wilson interval, over the
period, per month and per segment value, from the aggregates (``AnswerCount`` counts an answer
under its option's position in the question's options).

A question is followed across survey versions by its code; its options are merged by their code
(the newest version's order first), so an option that moved in a later version is still one
option. The share of an option is its answers over the answers to the question: the options of
one question add up to 100%."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from plaint.core import stats
from plaint.insights.models import AnswerCount
from plaint.insights.selectors.filters import Filters
from plaint.insights.selectors.series import pick, segment_counts
from plaint.surveys.models import Question, QuestionKind


@dataclass
class ChoiceSeries:
    """One single-choice question followed across survey versions (same code)."""

    code: str
    text: dict[str, str]
    position: int
    options: list[dict[str, Any]] = field(default_factory=list)  # {"code", "label"}
    # question id → the merged option index of each of its stored positions
    positions: dict[int, list[int]] = field(default_factory=dict)

    def label(self, language: str) -> str:
        return self.text.get(language) or self.text.get("en") or self.code

    def option_labels(self, language: str) -> list[str]:
        return [
            (o["label"] or {}).get(language) or (o["label"] or {}).get("en") or o["code"]
            for o in self.options
        ]


def choice_series(*, survey_key: str) -> list[ChoiceSeries]:
    """The single-choice questions of a survey key, merged across versions, newest first."""
    questions = list(
        Question.objects.filter(survey__key=survey_key, kind=QuestionKind.SINGLE)
        .select_related("survey")
        .order_by("-survey__version", "position")
    )
    if not questions:
        return []
    newest = questions[0].survey_id
    merged: dict[str, ChoiceSeries] = {}
    for q in questions:
        position = q.position if q.survey_id == newest else 1000 + q.position
        s = merged.setdefault(q.code, ChoiceSeries(q.code, q.text, position))
        index = {o["code"]: i for i, o in enumerate(s.options)}
        mapping = []
        for option in q.options or []:
            code = str(option.get("code"))
            if code not in index:
                index[code] = len(s.options)
                s.options.append({"code": code, "label": option.get("label") or {}})
            mapping.append(index[code])
        s.positions[q.pk] = mapping
    return sorted(merged.values(), key=lambda s: (s.position, s.code))


def _add(cube: np.ndarray, s: ChoiceSeries, q: int, j: int, qid: int, value: int, n: int) -> None:
    mapping = s.positions.get(qid, [])
    if 0 <= value < len(mapping):
        cube[q, j, mapping[value]] += n


def _width(series: list[ChoiceSeries]) -> int:
    return max((len(s.options) for s in series), default=1)


def choice_cube(series: list[ChoiceSeries], filters: Filters, months: list[dt.date]) -> np.ndarray:
    """Counts as an array (question, month, option) for the filtered segment. One query."""
    owner = {qid: i for i, s in enumerate(series) for qid in s.positions}
    mindex = {m: i for i, m in enumerate(months)}
    cube = np.zeros((len(series), len(months), _width(series)))
    rows = AnswerCount.objects.filter(
        question_id__in=list(owner),
        dimension=filters.dimension,
        segment=filters.segment,
        month__gte=months[0],
        month__lte=months[-1],
    ).values_list("question_id", "month", "value", "count")
    for qid, month, value, count in rows:
        q = owner[qid]
        _add(cube, series[q], q, mindex[month], qid, value, count)
    return cube


def choice_segment_cube(
    series: list[ChoiceSeries], filters: Filters, dimension: str
) -> tuple[np.ndarray, list[str]]:
    """Counts as an array (question, segment value, option) over the period, and the segment
    values in the order of the array. One query."""
    owner = {qid: i for i, s in enumerate(series) for qid in s.positions}
    rows, sindex = segment_counts(list(owner), filters, dimension)
    names = list(sindex)
    cube = np.zeros((len(series), len(names), _width(series)))
    for qid, seg, value, total in rows:
        q = owner[qid]
        _add(cube, series[q], q, sindex[seg], qid, value, total)
    return cube, names


def option_shares(
    s: ChoiceSeries, counts: np.ndarray, confidence: float, population: int | None
) -> dict[str, np.ndarray]:
    """Each option's share of the answers to the question, with its Wilson interval, from counts
    over the options (any leading axes; the last axis is the option)."""
    c = counts[..., : len(s.options)]
    n = np.broadcast_to(c.sum(axis=-1, keepdims=True), c.shape)
    return stats.share_estimate(c, n, confidence, population)


def _options(
    s: ChoiceSeries, shares: dict[str, np.ndarray], index: tuple[int, ...], language: str
) -> list[dict[str, Any]]:
    labels = s.option_labels(language)
    return [
        {"code": o["code"], "label": labels[k], "share": pick(shares, (*index, k))}
        for k, o in enumerate(s.options)
    ]


def choice_measures(filters: Filters, language: str) -> list[dict[str, Any]]:
    """Per single-choice question: its answers in the period and each option's share."""
    series = choice_series(survey_key=filters.survey_key)
    if not series:
        return []
    totals = choice_cube(series, filters, filters.months).sum(axis=1)
    out = []
    for i, s in enumerate(series):
        shares = option_shares(s, totals[i], filters.confidence, filters.population)
        out.append(
            {
                "code": s.code,
                "label": s.label(language),
                "kind": QuestionKind.SINGLE.value,
                "n": int(totals[i].sum()),
                "options": _options(s, shares, (), language),
            }
        )
    return out


def choice_trends(filters: Filters, language: str) -> list[dict[str, Any]]:
    """Per single-choice question and month: each option's share with its interval."""
    series = choice_series(survey_key=filters.survey_key)
    if not series:
        return []
    months = filters.months
    cube = choice_cube(series, filters, months)
    out = []
    for i, s in enumerate(series):
        shares = option_shares(s, cube[i], filters.confidence, filters.population)
        out.append(
            {
                "code": s.code,
                "label": s.label(language),
                "kind": QuestionKind.SINGLE.value,
                "points": [
                    {
                        "month": f"{m:%Y-%m}",
                        "n": int(cube[i, j].sum()),
                        "options": _options(s, shares, (j,), language),
                    }
                    for j, m in enumerate(months)
                ],
            }
        )
    return out


def choice_segment_rows(
    filters: Filters, dimension: str, labels_of: Any, language: str
) -> list[dict[str, Any]]:
    """Per single-choice question and segment value of ``dimension``: each option's share, the
    cells with fewer than ``filters.min_count`` answers suppressed. ``labels_of(names)`` names
    the segment values."""
    series = choice_series(survey_key=filters.survey_key)
    if not series:
        return []
    cube, names = choice_segment_cube(series, filters, dimension)
    labels = labels_of(names)
    out = []
    for i, s in enumerate(series):
        shares = option_shares(s, cube[i], filters.confidence, None)
        n = cube[i].sum(axis=-1)
        hidden = stats.suppressed(n, filters.min_count)
        for j, name in enumerate(names):
            if n[j] == 0:
                continue
            out.append(
                {
                    "code": s.code,
                    "label": s.label(language),
                    "kind": QuestionKind.SINGLE.value,
                    "segment": name,
                    "segment_label": labels.get(name, name),
                    "suppressed": bool(hidden[j]),
                    "n": None if hidden[j] else int(n[j]),
                    "options": None if hidden[j] else _options(s, shares, (j,), language),
                }
            )
    return out
