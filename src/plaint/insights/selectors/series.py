"""The scale questions of a survey followed across its versions (``Series``), their answer counts
from the aggregates as arrays, and the figures (mean, CSAT or NPS) computed from counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Sum
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader
from plaint.core import stats
from plaint.core.errors import NotFound
from plaint.insights.models import AnswerCount
from plaint.insights.selectors.filters import Filters, require_reader
from plaint.surveys.models import SCALE_KINDS, Question, Survey

DEFAULT_MAX = {"nps": 10, "ces": 7, "yesno": 1}


@dataclass
class Series:
    """One scale question followed across survey versions (same code, kind and scale)."""

    code: str
    kind: str
    scale_min: int
    scale_max: int
    text: dict[str, str]
    attribute: str
    weight: float
    is_overall: bool
    position: int
    ids: list[int] = field(default_factory=list)

    @property
    def values(self) -> np.ndarray:
        return np.arange(self.scale_min, self.scale_max + 1)

    @property
    def width(self) -> int:
        return self.scale_max - self.scale_min + 1

    @property
    def boxes(self) -> int:
        """How many top points the headline share counts: "yes" alone, or the top two."""
        return 1 if self.kind == "yesno" else 2

    @property
    def head(self) -> str:
        """The headline measure of the question: "nps" or "csat"."""
        return "nps" if self.kind == "nps" else "csat"

    def label(self, language: str) -> str:
        return self.text.get(language) or self.text.get("en") or self.code


def survey_choices(*, actor: Reader) -> list[dict[str, Any]]:
    """Surveys to choose from: one entry per key, titled by its newest version."""
    require_reader(actor)
    seen: dict[str, dict[str, Any]] = {}
    for survey in Survey.objects.order_by("key", "-version").only(
        "key", "title", "kind", "version"
    ):
        seen.setdefault(survey.key, {"key": survey.key, "title": survey.title, "kind": survey.kind})
    return list(seen.values())


def survey_series(*, survey_key: str) -> tuple[list[Series], dict[str, Any]]:
    """The scale questions of a survey key, merged across versions, newest definition first;
    and the newest survey (key, title, kind)."""
    questions = list(
        Question.objects.filter(survey__key=survey_key, kind__in=SCALE_KINDS)
        .select_related("survey")
        .order_by("-survey__version", "position")
    )
    if not questions:
        survey = Survey.objects.filter(key=survey_key).order_by("-version").first()
        if survey is None:
            raise NotFound(_("No such survey."))
        return [], {"key": survey.key, "title": survey.title, "kind": survey.kind}
    newest = questions[0].survey
    merged: dict[tuple[str, str, int, int], Series] = {}
    for q in questions:
        scale_min = q.scale_min if q.scale_min is not None else (0 if q.kind == "nps" else 1)
        scale_max = q.scale_max if q.scale_max is not None else DEFAULT_MAX.get(q.kind, 5)
        key = (q.code, q.kind, scale_min, scale_max)
        if key not in merged:
            position = q.position if q.survey_id == newest.pk else 1000 + q.position
            merged[key] = Series(
                q.code,
                q.kind,
                scale_min,
                scale_max,
                q.text,
                q.attribute,
                float(q.weight),
                q.is_overall,
                position,
                [],
            )
        merged[key].ids.append(q.pk)
    series = sorted(merged.values(), key=lambda s: (s.position, s.code))
    return series, {"key": newest.key, "title": newest.title, "kind": newest.kind}


def question_index(series: list[Series]) -> dict[int, int]:
    """Question id → index of its series."""
    return {qid: i for i, s in enumerate(series) for qid in s.ids}


def count_cube(
    series: list[Series], filters: Filters, months: list[dt.date]
) -> tuple[np.ndarray, int]:
    """Counts as an array (question, month, value offset) for the filtered segment; the value
    axis spans 0..10 offsets from each scale's minimum. One query."""
    qindex = question_index(series)
    mindex = {m: i for i, m in enumerate(months)}
    width = max((s.width for s in series), default=1)
    cube = np.zeros((len(series), len(months), width))
    rows = AnswerCount.objects.filter(
        question_id__in=list(qindex),
        dimension=filters.dimension,
        segment=filters.segment,
        month__gte=months[0],
        month__lte=months[-1],
    ).values_list("question_id", "month", "value", "count")
    q_i, m_i, v_i, c = [], [], [], []
    for qid, month, value, count in rows:
        q = qindex[qid]
        offset = value - series[q].scale_min
        if 0 <= offset < width:
            q_i.append(q)
            m_i.append(mindex[month])
            v_i.append(offset)
            c.append(count)
    np.add.at(cube, (np.array(q_i, int), np.array(m_i, int), np.array(v_i, int)), np.array(c))
    return cube, width


def segment_counts(
    question_ids: list[int], filters: Filters, dimension: str
) -> tuple[list[tuple[int, str, int, int]], dict[str, int]]:
    """Rows (question id, segment value, answer value, count) of ``dimension`` over the period,
    and each segment value's index in sorted order. One query."""
    rows = list(
        AnswerCount.objects.filter(
            question_id__in=question_ids,
            dimension=dimension,
            month__gte=filters.start,
            month__lte=filters.end,
        )
        .values("question_id", "segment", "value")
        .annotate(total=Sum("count"))
        .values_list("question_id", "segment", "value", "total")
    )
    return rows, {name: j for j, name in enumerate(sorted({r[1] for r in rows}))}


def total_counts(series: list[Series], filters: Filters) -> np.ndarray:
    """Counts per (question, value offset) over the whole period."""
    cube, _w = count_cube(series, filters, filters.months)
    return cube.sum(axis=1)


def figures(
    s: Series, counts: np.ndarray, filters: Filters, population: int | None
) -> dict[str, Any]:
    """The figures of one question from counts over its values (any leading axes)."""
    c = counts[..., : s.width]
    values = s.values
    out: dict[str, Any] = {"mean": stats.mean_estimate(values, c, filters.confidence, population)}
    if s.kind == "nps":
        out["nps"] = stats.nps_estimate(values, c, filters.confidence, population)
    else:
        out["csat"] = stats.csat_estimate(
            values, c, s.scale_max, filters.confidence, population, boxes=s.boxes
        )
    out["score_0_100"] = stats.rescale_0_100(out["mean"]["value"], s.scale_min, s.scale_max)
    return out


def pick(arrays: dict[str, Any], index: tuple[int, ...] = ()) -> dict[str, float | int | None]:
    """One estimate as floats (None for NaN) from the vectorised dict of arrays."""
    out: dict[str, float | int | None] = {}
    for key in ("value", "low", "high", "moe", "n"):
        x = float(np.asarray(arrays[key])[index]) if key in arrays else float("nan")
        out[key] = None if np.isnan(x) else (int(x) if key == "n" else x)
    return out


def as_float(x: Any) -> float | None:
    """``x`` as a float, None for None and NaN."""
    if x is None:
        return None
    x = float(x)
    return None if np.isnan(x) else x
