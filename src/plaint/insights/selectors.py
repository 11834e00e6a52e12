"""Reads for the insights dashboard, API and exports: survey measures from the aggregate tables
and indirect indicators from the complaints. Every function checks access and returns plain data
(dicts and lists) that the page, the API and the exports render alike.

Queries are bounded by the number of questions, months and segment values, never by the number
of responses: the aggregates hold one row per (question, month, segment, answer value).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, cast

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader, can_read_insights
from plaint.core import stats
from plaint.core.errors import NotAllowed, NotFound, ValidationFailed
from plaint.insights.models import AnswerCount, Dimension, PairCount, PeriodVolume

METHODS = ("stated", "correlation", "regression")
DEFAULT_MIN_COUNT = 10
MAX_MONTHS = 120


def _require(actor: Reader) -> None:
    if not can_read_insights(actor):
        raise NotAllowed(_("Your role may not read satisfaction measures."))


# ------------------------------------------------------------------------------ months, filters


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_of(moment: dt.datetime) -> dt.date:
    """The first day of the UTC month of ``moment``."""
    return month_start(moment.astimezone(dt.UTC).date())


def add_months(day: dt.date, n: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every month from ``start`` to ``end`` inclusive."""
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    return [add_months(start, i) for i in range(max(count, 0))]


@dataclass(frozen=True)
class Filters:
    """What the dashboard looks at: a survey (all versions sharing its key), a period of whole
    months, and optionally one segment value of one dimension."""

    survey_key: str
    start: dt.date  # first month
    end: dt.date  # last month, inclusive
    dimension: str = Dimension.ALL
    segment: str = ""
    confidence: float = 0.95
    population: int | None = None
    min_count: int = DEFAULT_MIN_COUNT
    method: str = "regression"
    # "given" (typed by the user) or "invitations" (the default of ``with_default_population``)
    population_source: str = ""

    @classmethod
    def build(
        cls,
        *,
        survey_key: str,
        start: dt.date | None = None,
        end: dt.date | None = None,
        dimension: str = "",
        segment: str = "",
        confidence: float = 0.95,
        population: int | None = None,
        min_count: int | None = None,
        method: str = "",
        today: dt.date | None = None,
    ) -> Filters:
        """Validated filters; the default period is the last 12 months including this one."""
        errors: dict[str, list[str]] = {}
        today = today or timezone.now().astimezone(dt.UTC).date()
        end = month_start(end or today)
        start = month_start(start or add_months(end, -11))
        if start > end:
            errors["start"] = [_("The period starts after it ends.")]
        elif len(months_between(start, end)) > MAX_MONTHS:
            errors["start"] = [_("A period may span at most 120 months.")]
        dimension = dimension or Dimension.ALL
        if dimension not in Dimension.values:
            errors["dimension"] = [_("Unknown segment dimension.")]
        if dimension == Dimension.ALL:
            segment = ""
        elif dimension in Dimension.values and not segment:
            errors["segment"] = [_("Choose a segment value, or all responses.")]
        if confidence not in (0.9, 0.95, 0.99):
            errors["confidence"] = [_("Choose 90%, 95% or 99%.")]
        if population is not None and population < 1:
            errors["population"] = [_("The population must be at least 1.")]
        min_count = DEFAULT_MIN_COUNT if min_count is None else min_count
        if min_count < 1:
            errors["min_count"] = [_("The minimum cell size must be at least 1.")]
        method = method or "regression"
        if method not in METHODS:
            errors["method"] = [_("Choose stated, correlation or regression.")]
        if errors:
            raise ValidationFailed(_("Check the highlighted filters."), fields=errors)
        return cls(
            survey_key,
            start,
            end,
            dimension,
            segment,
            confidence,
            population,
            min_count,
            method,
            "given" if population is not None else "",
        )

    @property
    def months(self) -> list[dt.date]:
        return months_between(self.start, self.end)


# ------------------------------------------------------------------------------------ questions


@dataclass
class Series:
    """One scale question followed across survey versions (same code, kind and scale)."""

    code: str
    kind: str
    scale_min: int
    scale_max: int
    text: dict
    attribute: str
    weight: float
    is_overall: bool
    position: int
    ids: list[int] = field(default_factory=list)

    @property
    def values(self) -> np.ndarray:
        return np.arange(self.scale_min, self.scale_max + 1)

    def label(self, language: str) -> str:
        return self.text.get(language) or self.text.get("en") or self.code


def survey_choices(*, actor: Reader) -> list[dict]:
    """Surveys to choose from: one entry per key, titled by its newest version."""
    from plaint.surveys.models import Survey

    _require(actor)
    seen: dict[str, dict] = {}
    for survey in Survey.objects.order_by("key", "-version").only(
        "key", "title", "kind", "version"
    ):
        seen.setdefault(survey.key, {"key": survey.key, "title": survey.title, "kind": survey.kind})
    return list(seen.values())


def survey_series(*, survey_key: str) -> tuple[list[Series], dict]:
    """The scale questions of a survey key, merged across versions, newest definition first;
    and the newest survey (key, title, kind)."""
    from plaint.surveys.models import Question, Survey

    questions = list(
        Question.objects.filter(survey__key=survey_key, kind__in=("rating", "nps", "ces"))
        .select_related("survey")
        .order_by("-survey__version", "position")
    )
    if not questions:
        survey = Survey.objects.filter(key=survey_key).order_by("-version").first()
        if survey is None:
            raise NotFound(_("No such survey."))
        return [], {"key": survey.key, "title": survey.title, "kind": survey.kind}
    newest = questions[0].survey
    merged: dict[tuple, Series] = {}
    for q in questions:
        scale_min = q.scale_min if q.scale_min is not None else (0 if q.kind == "nps" else 1)
        default_max = {"nps": 10, "ces": 7}.get(q.kind, 5)
        scale_max = q.scale_max if q.scale_max is not None else default_max
        key = (q.code, q.kind, scale_min, scale_max)
        if key not in merged:
            merged[key] = Series(
                q.code,
                q.kind,
                scale_min,
                scale_max,
                q.text,
                q.attribute,
                float(q.weight),
                q.is_overall,
                q.position if q.survey_id == newest.pk else 1000 + q.position,
                [],
            )
        merged[key].ids.append(q.pk)
    series = sorted(merged.values(), key=lambda s: (s.position, s.code))
    return series, {"key": newest.key, "title": newest.title, "kind": newest.kind}


# ---------------------------------------------------------------------------- counts → arrays


def _count_cube(
    series: list[Series], filters: Filters, months: list[dt.date], segment_map=None
) -> tuple[np.ndarray, int]:
    """Counts as an array (question, month, value offset) for the filtered segment; the value
    axis spans 0..10 offsets from each scale's minimum. One query."""
    qindex = {qid: i for i, s in enumerate(series) for qid in s.ids}
    mindex = {m: i for i, m in enumerate(months)}
    width = max((s.scale_max - s.scale_min + 1 for s in series), default=1)
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


def _figures(s: Series, counts: np.ndarray, filters: Filters, population: int | None) -> dict:
    """The figures of one question from counts over its values (any leading axes)."""
    width = s.scale_max - s.scale_min + 1
    c = counts[..., :width]
    values = s.values
    out: dict = {"mean": stats.mean_estimate(values, c, filters.confidence, population)}
    if s.kind == "nps":
        out["nps"] = stats.nps_estimate(values, c, filters.confidence, population)
    else:
        out["csat"] = stats.csat_estimate(values, c, s.scale_max, filters.confidence, population)
    out["score_0_100"] = stats.rescale_0_100(out["mean"]["value"], s.scale_min, s.scale_max)
    return out


def _pick(arrays: dict, index=()) -> dict:
    """One estimate as floats (None for NaN) from the vectorised dict of arrays."""
    out = {}
    for key in ("value", "low", "high", "moe", "n"):
        x = float(np.asarray(arrays[key])[index]) if key in arrays else float("nan")
        out[key] = None if np.isnan(x) else (int(x) if key == "n" else x)
    return out


# ------------------------------------------------------------------------------ measures


def _invitations(survey_key: str, start: dt.date, end: dt.date):
    """The invitations of a survey key sent in the months ``start``..``end``."""
    from plaint.surveys.models import Invitation

    return Invitation.objects.filter(
        survey__key=survey_key, sent_at__gte=_utc(start), sent_at__lt=_utc(add_months(end, 1))
    )


def _response_rate(survey_key: str, filters: Filters) -> dict:
    row = _invitations(survey_key, filters.start, filters.end).aggregate(
        sent=Count("id"), answered=Count("id", filter=Q(response__submitted_at__isnull=False))
    )
    est = stats.share_estimate(row["answered"], row["sent"], filters.confidence)
    return _pick(est) | {"sent": row["sent"], "answered": row["answered"]}


def survey_population(*, survey_key: str, start: dt.date, end: dt.date) -> int:
    """The people who could have answered a survey in the months ``start``..``end``: the
    distinct recipients (e-mail addresses) of its invitations sent in the period. Complaints
    closed as out of scope, referred, or without an e-mail address are never invited, so they are
    not part of it. One query."""
    return _invitations(survey_key, start, end).aggregate(n=Count("email", distinct=True))["n"]


def with_default_population(filters: Filters) -> Filters:
    """``filters`` with the survey's population when none was given and no segment is chosen
    (invitations carry no segment): the distinct recipients of the invitations sent in the
    period, for complaint-triggered and relationship surveys alike. Unchanged when nobody was
    invited (imported answers only): the population is then taken as large."""
    if filters.population is not None or filters.dimension != Dimension.ALL:
        return filters
    n = survey_population(survey_key=filters.survey_key, start=filters.start, end=filters.end)
    if not n:
        return filters
    return replace(filters, population=n, population_source="invitations")


def measures(*, actor: Reader, filters: Filters, language: str = "en") -> dict:
    """The headline figures of each scale question over the period, with intervals and margins
    of error, the weighted satisfaction index and the response rate."""
    _require(actor)
    series, survey = survey_series(survey_key=filters.survey_key)
    population = filters.population
    result: dict[str, Any] = {
        "survey": survey,
        "filters": _filters_dict(filters),
        "population": population,
        "population_source": filters.population_source if population is not None else "",
        # more answers than the population: the correction is not applied (see stats.fpc)
        "population_too_small": False,
        "max_answers": 0,
        "questions": [],
        "index": None,
        "response_rate": _response_rate(filters.survey_key, filters),
    }
    if not series:
        return result
    cube, _w = _count_cube(series, filters, filters.months)
    totals = cube.sum(axis=1)  # (question, value)
    answers = int(totals.sum(axis=-1).max(initial=0))
    result["max_answers"] = answers
    result["population_too_small"] = stats.population_too_small(answers, population)
    for i, s in enumerate(series):
        figs = _figures(s, totals[i], filters, population)
        row = {
            "code": s.code,
            "label": s.label(language),
            "kind": s.kind,
            "attribute": s.attribute,
            "weight": s.weight,
            "is_overall": s.is_overall,
            "scale": [s.scale_min, s.scale_max],
            "mean": _pick(figs["mean"]),
            "score_0_100": _f(figs["score_0_100"]),
        }
        head = "nps" if s.kind == "nps" else "csat"
        row[head] = _pick(figs[head])
        if s.kind == "nps":
            row["promoters"] = _f(figs["nps"]["promoters"])
            row["detractors"] = _f(figs["nps"]["detractors"])
        result["questions"].append(row)
    result["index"] = _index(series, totals, filters, population)
    return result


def _f(x) -> float | None:
    if x is None:
        return None
    x = float(x)
    return None if np.isnan(x) else x


def _filters_dict(filters: Filters) -> dict:
    return {
        "survey": filters.survey_key,
        "start": f"{filters.start:%Y-%m}",
        "end": f"{filters.end:%Y-%m}",
        "dimension": filters.dimension,
        "segment": filters.segment,
        "confidence": filters.confidence,
        "min_count": filters.min_count,
        "method": filters.method,
    }


def _attributes(series: list[Series]) -> tuple[list[int], int | None]:
    attrs = [
        i
        for i, s in enumerate(series)
        if s.attribute and not s.is_overall and s.kind in ("rating", "ces")
    ]
    overall = next((i for i, s in enumerate(series) if s.is_overall), None)
    return attrs, overall


def _pair_moments(series: list[Series], filters: Filters, totals: np.ndarray):
    """Pairwise moments of the scale questions in the period (one query). Joint counts exist for
    all responses only; for a segment the correlations of all responses are combined with the
    segment's own means, SDs and counts (taking the overlap as the smaller count)."""
    k = len(series)
    qindex = {qid: i for i, s in enumerate(series) for qid in s.ids}
    rows = (
        PairCount.objects.filter(
            question_a_id__in=list(qindex),
            question_b_id__in=list(qindex),
            month__gte=filters.start,
            month__lte=filters.end,
        )
        .values("question_a_id", "question_b_id", "value_a", "value_b")
        .annotate(total=Sum("count"))
        .values_list("question_a_id", "question_b_id", "value_a", "value_b", "total")
    )
    arr = np.array(list(rows), dtype=float).reshape(-1, 5)
    a = np.array([qindex[int(x)] for x in arr[:, 0]], dtype=int)
    b = np.array([qindex[int(x)] for x in arr[:, 1]], dtype=int)
    # Keep each unordered pair once, a < b, as pair_moments expects.
    swap = a > b
    a2, b2 = np.where(swap, b, a), np.where(swap, a, b)
    va, vb = np.where(swap, arr[:, 3], arr[:, 2]), np.where(swap, arr[:, 2], arr[:, 3])
    keep = a2 != b2
    si, sv, sc = [], [], []
    for i, s in enumerate(series):
        width = s.scale_max - s.scale_min + 1
        si += [i] * width
        sv += list(s.values)
        sc += list(totals[i, :width])
    pm = stats.pair_moments(k, a2[keep], b2[keep], va[keep], vb[keep], arr[keep, 4], si, sv, sc)
    if filters.dimension == Dimension.ALL:
        return pm
    corr = pm.corr
    n1 = np.diag(pm.n)
    sd = np.sqrt(np.diag(pm.cov))
    n = np.minimum.outer(n1, n1)
    cov = corr * np.outer(sd, sd)
    return stats.PairMoments(n=n, mean=pm.mean, cov=cov)


def _scaled(pm: stats.PairMoments, series: list[Series]) -> stats.PairMoments:
    span = np.array([100.0 / (s.scale_max - s.scale_min) for s in series])
    return stats.PairMoments(n=pm.n, mean=pm.mean * span, cov=pm.cov * np.outer(span, span))


def _performance(series: list[Series], totals: np.ndarray, attrs: list[int]) -> np.ndarray:
    """The mean of each question in ``attrs`` over the period, on 0-100."""
    return np.array(
        [
            stats.rescale_0_100(
                stats.moments(series[i].values, totals[i, : len(series[i].values)])[1],
                series[i].scale_min,
                series[i].scale_max,
            )
            for i in attrs
        ]
    )


def _index(series, totals, filters: Filters, population) -> dict | None:
    attrs, _overall = _attributes(series)
    if not attrs:
        return None
    pm = _scaled(_pair_moments(series, filters, totals), series)
    sub = stats.PairMoments(
        n=pm.n[np.ix_(attrs, attrs)], mean=pm.mean[attrs], cov=pm.cov[np.ix_(attrs, attrs)]
    )
    means = _performance(series, totals, attrs)
    weights = np.array([series[i].weight for i in attrs])
    est = stats.weighted_index(means, weights, sub, filters.confidence, population)
    return est.as_dict() | {"attributes": [series[i].attribute for i in attrs]}


# -------------------------------------------------------------------------------- trends


def trends(*, actor: Reader, filters: Filters, language: str = "en") -> dict:
    """Per month and question: the headline figure (CSAT, or NPS) and the mean, with intervals."""
    _require(actor)
    series, survey = survey_series(survey_key=filters.survey_key)
    months = filters.months
    out: dict[str, Any] = {
        "survey": survey,
        "months": [f"{m:%Y-%m}" for m in months],
        "questions": [],
    }
    if not series:
        return out
    cube, _w = _count_cube(series, filters, months)
    for i, s in enumerate(series):
        figs = _figures(s, cube[i], filters, filters.population)
        head = "nps" if s.kind == "nps" else "csat"
        out["questions"].append(
            {
                "code": s.code,
                "label": s.label(language),
                "kind": s.kind,
                "measure": head,
                "points": [
                    {
                        "month": f"{m:%Y-%m}",
                        head: _pick(figs[head], (j,)),
                        "mean": _pick(figs["mean"], (j,)),
                    }
                    for j, m in enumerate(months)
                ],
            }
        )
    return out


# -------------------------------------------------------------------------------- segments


def _segment_labels(dimension: str, values: list[str], language: str) -> dict[str, str]:
    if dimension == Dimension.CATEGORY:
        from plaint.complaints.models import Category

        ids = [int(v) for v in values if v.isdigit()]
        return {str(c.pk): c.name for c in Category.objects.filter(pk__in=ids)}
    if dimension == Dimension.LANGUAGE:
        from django.conf import settings

        names = dict(settings.LANGUAGES)
        return {v: names.get(v, v) for v in values}
    if dimension == Dimension.CHANNEL:
        from plaint.complaints.models import Channel

        channel_names = dict(Channel.choices)
        return {v: str(channel_names.get(v, v)) for v in values}
    return {v: v for v in values}


def segments(*, actor: Reader, filters: Filters, dimension: str, language: str = "en") -> dict:
    """Each question's figures per segment value of ``dimension`` over the period. Cells with
    fewer than ``filters.min_count`` answers are suppressed: their figures are not returned."""
    _require(actor)
    if dimension not in Dimension.values or dimension == Dimension.ALL:
        raise ValidationFailed(
            _("Choose a segment dimension."), fields={"dimension": [_("Unknown dimension.")]}
        )
    series, survey = survey_series(survey_key=filters.survey_key)
    out: dict[str, Any] = {
        "survey": survey,
        "dimension": dimension,
        "min_count": filters.min_count,
        "rows": [],
    }
    if not series:
        return out
    qindex = {qid: i for i, s in enumerate(series) for qid in s.ids}
    rows = list(
        AnswerCount.objects.filter(
            question_id__in=list(qindex),
            dimension=dimension,
            month__gte=filters.start,
            month__lte=filters.end,
        )
        .values("question_id", "segment", "value")
        .annotate(total=Sum("count"))
        .values_list("question_id", "segment", "value", "total")
    )
    names = sorted({r[1] for r in rows})
    sindex = {name: j for j, name in enumerate(names)}
    width = max(s.scale_max - s.scale_min + 1 for s in series)
    cube = np.zeros((len(series), len(names), width))
    for qid, seg, value, total in rows:
        q = qindex[qid]
        offset = value - series[q].scale_min
        if 0 <= offset < width:
            cube[q, sindex[seg], offset] += total
    labels = _segment_labels(dimension, names, language)
    for i, s in enumerate(series):
        figs = _figures(s, cube[i], filters, None)
        head = "nps" if s.kind == "nps" else "csat"
        n = cube[i].sum(axis=-1)
        hidden = stats.suppressed(n, filters.min_count)
        for j, name in enumerate(names):
            if n[j] == 0:
                continue
            row = {
                "code": s.code,
                "label": s.label(language),
                "kind": s.kind,
                "segment": name,
                "segment_label": labels.get(name, name),
                "suppressed": bool(hidden[j]),
                "n": None if hidden[j] else int(n[j]),
                "measure": head,
                head: None if hidden[j] else _pick(figs[head], (j,)),
                "mean": None if hidden[j] else _pick(figs["mean"], (j,)),
            }
            out["rows"].append(row)
    return out


def segment_values(*, actor: Reader, survey_key: str) -> dict[str, list[tuple[str, str]]]:
    """The segment values seen in a survey's aggregates, per dimension, for the selector."""
    _require(actor)
    from plaint.surveys.models import Question

    ids = list(Question.objects.filter(survey__key=survey_key).values_list("pk", flat=True))
    rows = (
        AnswerCount.objects.filter(question_id__in=ids)
        .exclude(dimension=Dimension.ALL)
        .values_list("dimension", "segment")
        .distinct()
        .order_by("dimension", "segment")
    )
    grouped: dict[str, list[str]] = defaultdict(list)
    for dim, seg in rows[:2000]:
        grouped[dim].append(seg)
    return {
        dim: sorted(_segment_labels(dim, values, "en").items(), key=lambda kv: kv[1])
        for dim, values in grouped.items()
    }


# ------------------------------------------------------------------- importance-performance


def importance_performance(*, actor: Reader, filters: Filters, language: str = "en") -> dict:
    """Importance (stated weight, or derived from the overall question by correlation or by the
    standardized coefficients of a multiple regression) against performance (mean on 0-100)."""
    _require(actor)
    series, survey = survey_series(survey_key=filters.survey_key)
    out: dict[str, Any] = {
        "survey": survey,
        "method": filters.method,
        "attributes": [],
        "importance_centre": None,
        "performance_centre": None,
        "note": "",
    }
    attrs, overall = _attributes(series)
    if not attrs:
        out["note"] = _("No question of this survey is tagged with an attribute.")
        return out
    cube, _w = _count_cube(series, filters, filters.months)
    totals = cube.sum(axis=1)
    perf = _performance(series, totals, attrs)
    method = filters.method
    if method != "stated" and overall is None:
        out["note"] = _("The survey has no overall question: importance is the stated weight.")
        method = "stated"
    if method == "stated" or overall is None:  # overall is None only with "stated" (above)
        w = np.array([series[i].weight for i in attrs])
        importance = w / w.sum() if w.sum() > 0 else w
    else:
        pm = _pair_moments(series, filters, totals)
        importance = stats.derived_importance(pm, overall, attrs, method)
        if filters.dimension != Dimension.ALL:
            out["note"] = _("Derived importance uses the correlations of all responses.")
    labels, ci, cp = stats.ipa_quadrants(importance, perf)
    out["method"] = method
    out["importance_centre"] = _f(ci)
    out["performance_centre"] = _f(cp)
    for j, i in enumerate(attrs):
        out["attributes"].append(
            {
                "code": series[i].code,
                "attribute": series[i].attribute,
                "label": series[i].label(language),
                "importance": _f(importance[j]),
                "performance": _f(perf[j]),
                "n": int(totals[i].sum()),
                "quadrant": labels[j],
            }
        )
    return out


# ----------------------------------------------------------------------------- comparison


def compare(
    *, actor: Reader, a: Filters, b: Filters, question_code: str, language: str = "en"
) -> dict:
    """Group b against group a (two periods, or two segments) for one question: CSAT by the
    two-proportion z-test and Cohen's h, the mean by Welch's t-test and Hedges' g, NPS by z."""
    _require(actor)
    if a.survey_key != b.survey_key:
        raise ValidationFailed(_("Compare groups of the same survey."), fields={})
    # The tests assume independent samples: the groups must not share respondents. They are
    # disjoint when the periods do not overlap, or when they are different values of one dimension.
    periods_apart = a.end < b.start or b.end < a.start
    segments_apart = (
        a.dimension == b.dimension and a.dimension != Dimension.ALL and a.segment != b.segment
    )
    if not (periods_apart or segments_apart):
        raise ValidationFailed(
            _("The two groups overlap: choose periods that do not overlap or different segments."),
            fields={"b_start": [_("Overlaps the first period.")]},
        )
    series, survey = survey_series(survey_key=a.survey_key)
    chosen = [s for s in series if s.code == question_code]
    if not chosen:
        raise ValidationFailed(
            _("Choose a scale question of this survey."), fields={"question": [_("Unknown.")]}
        )
    s = chosen[0]
    ca = _count_cube([s], a, a.months)[0][0].sum(axis=0)[: len(s.values)]
    cb = _count_cube([s], b, b.months)[0][0].sum(axis=0)[: len(s.values)]
    out = {"survey": survey, "question": s.code, "label": s.label(language), "kind": s.kind}
    out["a"] = _filters_dict(a)
    out["b"] = _filters_dict(b)
    na, ma, sa = stats.moments(s.values, ca)
    nb, mb, sb = stats.moments(s.values, cb)
    out["mean"] = stats.compare_means(
        float(ma), float(sa), int(na), float(mb), float(sb), int(nb), a.confidence
    ).as_dict()
    if s.kind == "nps":
        out["nps"] = stats.compare_nps(ca, cb, s.values, a.confidence).as_dict()
    else:
        ka, _na = stats.top_boxes(s.values, ca, s.scale_max)
        kb, _nb = stats.top_boxes(s.values, cb, s.scale_max)
        out["csat"] = stats.compare_proportions(
            int(ka), int(na), int(kb), int(nb), a.confidence
        ).as_dict()
    return out


# ------------------------------------------------------------------------------- planner


def sample_plan(
    *,
    actor: Reader,
    margin: float,
    confidence: float = 0.95,
    population: int | None = None,
    proportion: float = 0.5,
    response_rate: float | None = None,
    survey_key: str = "",
) -> dict:
    """Responses (and invitations) needed for a margin of error; without a given response rate
    the survey's observed rate over the last 12 months is used."""
    _require(actor)
    observed = None
    if response_rate is None and survey_key:
        filters = Filters.build(survey_key=survey_key)
        observed = _response_rate(survey_key, filters)
        if observed["n"] and observed["value"]:
            response_rate = observed["value"]
    errors: dict[str, list[str]] = {}
    if not 0 < margin < 1:
        errors["margin"] = [_("Give a margin of error between 0 and 1 (0.05 is ±5 points).")]
    if confidence not in (0.9, 0.95, 0.99):
        errors["confidence"] = [_("Choose 90%, 95% or 99%.")]
    if population is not None and population < 1:
        errors["population"] = [_("The population must be at least 1.")]
    if not 0 < proportion < 1:
        errors["proportion"] = [_("The expected proportion lies between 0 and 1.")]
    if response_rate is not None and not 0 < response_rate <= 1:
        errors["response_rate"] = [_("The response rate lies between 0 and 1.")]
    if errors:
        raise ValidationFailed(_("Check the planner's figures."), fields=errors)
    plan = stats.sample_size(margin, confidence, population, proportion, response_rate)
    return plan.as_dict() | {"observed_response_rate": observed}


# ----------------------------------------------------------------------------- indicators


def _keys_repeat(keys: np.ndarray, times: np.ndarray, window: float) -> np.ndarray:
    """True where the same non-empty key occurred earlier within ``window`` seconds."""
    if keys.size == 0:
        return np.zeros(0, dtype=bool)
    codes = np.unique(keys, return_inverse=True)[1]
    order = np.lexsort((times, codes))
    sc, st_ = codes[order], times[order]
    same = np.r_[False, sc[1:] == sc[:-1]]
    gap = np.r_[np.inf, np.diff(st_)]
    flag_sorted = same & (gap <= window) & (keys[order] != "")
    flags = np.zeros(keys.size, dtype=bool)
    flags[order] = flag_sorted
    return flags


def _digits(phone: str) -> str:
    d = "".join(ch for ch in phone if ch.isdigit())
    # The last eight digits: the same number written with or without a country prefix matches.
    return d[-8:] if len(d) >= 7 else ""


def indicators(*, actor: Reader, start: dt.date, end: dt.date) -> dict:
    """The indirect indicators (see ``_indicators``): the monthly rollup (``IndicatorMonth``) up
    to its watermark plus what was received or closed since, computed from the complaints."""
    _require(actor)
    return _indicators(start=start, end=end)


def _indicators(*, start: dt.date, end: dt.date, use_rollup: bool = True) -> dict:
    """Indirect indicators per month (ISO 10004 7.3 and annex C): complaints received, rates per
    1,000 orders and customers, the repeat-complainant rate (same e-mail or phone within 12
    months before), the share about the handling process itself, and the p50/p90 time to
    resolve (received to closed, in days, for complaints closed in the month).

    The rollup (``IndicatorMonth``, rebuilt hourly by ``services.indicator_months_rebuild``
    with these same functions) holds everything received or closed before its watermark (the
    time of the rebuild); what was received or closed since is computed from the complaints and
    added, so the figures are current. Without a rollup, or with ``use_rollup=False``, every month
    is computed from the complaints."""
    from plaint.insights.models import IndicatorMonth, IndicatorRollup

    start, end = month_start(start), month_start(end)
    months = months_between(start, end)
    if not months or len(months) > MAX_MONTHS:
        raise ValidationFailed(_("Check the period."), fields={"start": [_("Invalid period.")]})
    t1 = _utc(add_months(end, 1))
    mindex = {m: i for i, m in enumerate(months)}
    k = len(months)
    received, about = np.zeros(k), np.zeros(k)
    identified, repeats = np.zeros(k), np.zeros(k)
    durations: list[np.ndarray] = [np.zeros(0, dtype=np.int64)] * k
    rollup = IndicatorRollup.objects.first() if use_rollup else None
    t_live = rollup.refreshed_at if rollup else _utc(start)
    if rollup is not None:
        for row in IndicatorMonth.objects.filter(month__gte=start, month__lte=end):
            i = mindex[row.month]
            received[i], about[i] = row.received, row.about_process
            identified[i], repeats[i] = row.identified, row.repeats
            durations[i] = np.frombuffer(bytes(row.durations), dtype="<i8")
    if t_live < t1:
        received_counts(t_live, t1, mindex, received, about)
        ident, reps = repeat_counts(t_live, t1, mindex, k, rollup=rollup)
        identified += ident
        repeats += reps
        for i, arr in resolve_durations(t_live, t1, mindex).items():
            durations[i] = np.concatenate([durations[i], arr])
    closed_n = np.array([len(d) for d in durations], dtype=float)
    p50s, p90s = np.full(k, np.nan), np.full(k, np.nan)
    for i, d in enumerate(durations):
        if len(d):
            p50s[i], p90s[i] = np.percentile(d / US_PER_DAY, [50, 90])
    everything = np.concatenate(durations) if k else np.zeros(0)
    p50, p90 = stats.percentiles(everything / US_PER_DAY)
    volumes = {v.month: v for v in PeriodVolume.objects.filter(month__gte=start, month__lte=end)}
    orders_arr = np.array([(volumes[m].orders or 0) if m in volumes else 0 for m in months])
    _rate_o, low_o, high_o = stats.poisson_rate_interval(received, orders_arr)
    low_r, high_r = stats.wilson_intervals(repeats, identified)
    rows = []
    for i, m in enumerate(months):
        vol = volumes.get(m)
        orders = vol.orders if vol else None
        customers = vol.customers if vol else None
        rows.append(
            {
                "month": f"{m:%Y-%m}",
                "complaints": int(received[i]),
                "orders": orders,
                "customers": customers,
                "per_1000_orders": _rate(received[i], orders),
                "per_1000_orders_interval": None if not orders else [_f(low_o[i]), _f(high_o[i])],
                "per_1000_customers": _rate(received[i], customers),
                "repeat_rate": _share(repeats[i], identified[i]),
                "repeat_interval": None
                if not identified[i]
                else [float(low_r[i]), float(high_r[i])],
                "about_process_share": _share(about[i], received[i]),
                "closed": int(closed_n[i]),
                "resolve_p50_days": _f(p50s[i]),
                "resolve_p90_days": _f(p90s[i]),
            }
        )
    total_orders = sum(v.orders or 0 for v in volumes.values()) or None
    total_customers = sum(v.customers or 0 for v in volumes.values()) or None
    n_received = float(received.sum())
    # Rates over the months that have a volume only, so a missing month does not inflate them.
    with_orders = [i for i, m in enumerate(months) if volumes.get(m) and volumes[m].orders]
    with_customers = [i for i, m in enumerate(months) if volumes.get(m) and volumes[m].customers]
    summary = {
        "complaints": int(n_received),
        "per_1000_orders": _rate(received[with_orders].sum(), total_orders),
        "per_1000_customers": _rate(received[with_customers].sum(), total_customers),
        "repeat_rate": _share(repeats.sum(), identified.sum()),
        "repeat_interval": _interval(repeats.sum(), identified.sum()),
        "about_process_share": _share(about.sum(), n_received),
        "about_process_interval": _interval(about.sum(), n_received),
        "closed": int(closed_n.sum()),
        "resolve_p50_days": p50,
        "resolve_p90_days": p90,
    }
    return {
        "start": f"{start:%Y-%m}",
        "end": f"{end:%Y-%m}",
        "months": rows,
        "summary": summary,
        "rollup": None
        if rollup is None
        else {"refreshed_at": rollup.refreshed_at, "seconds": rollup.seconds},
    }


US_PER_DAY = 86_400_000_000.0
_PG_MONTH = "(date_trunc('month', {col} AT TIME ZONE 'UTC'))::date"
_PG_DIGITS = "regexp_replace(p.phone, '[^0-9]', '', 'g')"
_PG_EMAIL = "NULLIF(lower(btrim(p.email)), '')"
_PG_PHONE = f"CASE WHEN length({_PG_DIGITS}) >= 7 THEN right({_PG_DIGITS}, 8) END"


def _utc(month: dt.date) -> dt.datetime:
    return dt.datetime.combine(month, dt.time(), tzinfo=dt.UTC)


def received_counts(
    t0: dt.datetime, t1: dt.datetime, mindex: dict, received: np.ndarray, about: np.ndarray
) -> None:
    """Complaints received per month in [t0, t1), and those about the handling process, added to
    ``received`` and ``about`` at the months' indexes. One query (index on received_at)."""
    from plaint.complaints.models import Complaint

    for row in (
        Complaint.objects.filter(received_at__gte=t0, received_at__lt=t1)
        .annotate(month=TruncMonth("received_at", tzinfo=dt.UTC))
        .values("month")
        .annotate(n=Count("id"), about=Count("id", filter=Q(about_process=True)))
        .order_by()
    ):
        i = mindex.get(row["month"].date())  # TruncMonth of a DateTimeField: a datetime
        if i is not None:
            received[i] += row["n"]
            about[i] += row["about"]


def repeat_counts(t0: dt.datetime, t1: dt.datetime, mindex: dict, k: int, rollup=None):
    """Per month: complaints received in [t0, t1) with an e-mail or phone, and those whose
    e-mail or phone (last eight digits) appeared on another complaint in the 365 days before.

    On PostgreSQL one query with window functions over [t0 - 365 days, t1) — or, with a rollup
    whose watermark is at or before t0, over [watermark, t1) only, taking the last receipt
    before the watermark of each contact from ``IndicatorContact``. Elsewhere one pass in NumPy
    over [t0 - 365 days, t1)."""

    from plaint.complaints.models import Complainant, Complaint
    from plaint.insights.models import IndicatorContact

    identified, repeats = np.zeros(k), np.zeros(k)
    since = t0 - dt.timedelta(days=365)
    if connection.vendor == "postgresql":
        complaint_t, complainant_t = Complaint._meta.db_table, Complainant._meta.db_table
        use_contacts = rollup is not None and rollup.refreshed_at <= t0
        lower = rollup.refreshed_at if use_contacts else since
        if use_contacts:
            contact_t = IndicatorContact._meta.db_table
            prev = (
                "coalesce(lag(t) OVER (PARTITION BY em ORDER BY t), ke.last_at) AS prev_em, "
                "coalesce(lag(t) OVER (PARTITION BY ph ORDER BY t), kp.last_at) AS prev_ph "
                f"FROM c LEFT JOIN {contact_t} ke ON ke.key = 'e:' || c.em "
                f"LEFT JOIN {contact_t} kp ON kp.key = 'p:' || c.ph) "
            )
        else:
            prev = (
                "lag(t) OVER (PARTITION BY em ORDER BY t) AS prev_em, "
                "lag(t) OVER (PARTITION BY ph ORDER BY t) AS prev_ph FROM c) "
            )
        sql = (
            # Table names from model metadata, fixed expressions; values are parameters.
            "WITH c AS (SELECT cp.received_at AS t, "  # noqa: S608
            f"{_PG_MONTH.format(col='cp.received_at')} AS month, "
            f"{_PG_EMAIL} AS em, {_PG_PHONE} AS ph "
            f"FROM {complaint_t} cp JOIN {complainant_t} p ON p.id = cp.complainant_id "
            "WHERE cp.received_at >= %s AND cp.received_at < %s), "
            f"w AS (SELECT t, month, em, ph, {prev}"
            "SELECT month, count(*) FILTER (WHERE em IS NOT NULL OR ph IS NOT NULL), "
            "count(*) FILTER (WHERE (em IS NOT NULL AND t - prev_em <= interval '365 days') "
            "OR (ph IS NOT NULL AND t - prev_ph <= interval '365 days')) "
            "FROM w WHERE t >= %s GROUP BY month"
        )
        with transaction.atomic(), connection.cursor() as cursor:
            # The two window sorts fit in memory instead of spilling to disk (this read only).
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute(sql, [lower, t1, t0])
            for month, n_id, n_rep in cursor.fetchall():
                i = mindex.get(month)
                if i is not None:
                    identified[i], repeats[i] = n_id, n_rep
        return identified, repeats
    history = list(
        Complaint.objects.filter(received_at__gte=since, received_at__lt=t1)
        .values_list("received_at", "complainant__email", "complainant__phone")
        .order_by()
    )
    if history:
        times = np.array([r[0].timestamp() for r in history])
        emails = np.array([(r[1] or "").strip().lower() for r in history])
        phones = np.array([_digits(r[2] or "") for r in history])
        window = 365 * 86400.0
        flag = _keys_repeat(emails, times, window) | _keys_repeat(phones, times, window)
        has_key = (emails != "") | (phones != "")
        in_period = times >= t0.timestamp()
        month_idx = np.array([mindex.get(month_of(r[0]), -1) for r in history])
        sel = in_period & has_key & (month_idx >= 0)
        identified = np.bincount(month_idx[sel], minlength=k).astype(float)
        repeats = np.bincount(month_idx[sel & flag], minlength=k).astype(float)
    return identified, repeats


def resolve_durations(t0: dt.datetime, t1: dt.datetime, mindex: dict) -> dict[int, np.ndarray]:
    """Per month index: the times from receipt to closing of the complaints closed in [t0, t1),
    in whole microseconds (exact), sorted. One query; closed_at NULL (open) is left out."""

    from plaint.complaints.models import Complaint

    per: dict[int, list[int]] = defaultdict(list)
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT {_PG_MONTH.format(col='closed_at')}, "  # noqa: S608 - table from metadata
            "(EXTRACT(EPOCH FROM closed_at - received_at) * 1000000)::bigint "
            f"FROM {Complaint._meta.db_table} WHERE closed_at >= %s AND closed_at < %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [t0, t1])
            rows = cursor.fetchall()
        for month, us in rows:
            i = mindex.get(month)
            if i is not None:
                per[i].append(us)
    else:
        one = dt.timedelta(microseconds=1)
        closed = cast(
            list[tuple[dt.datetime, dt.datetime]],  # closed_at__gte leaves out NULL (open)
            list(
                Complaint.objects.filter(closed_at__gte=t0, closed_at__lt=t1)
                .values_list("received_at", "closed_at")
                .order_by()
            ),
        )
        for r, c in closed:
            i = mindex.get(month_of(c))
            if i is not None:
                per[i].append((c - r) // one)
    return {i: np.sort(np.array(v, dtype=np.int64)) for i, v in per.items()}


def _rate(count: float, volume: int | None) -> float | None:
    return None if not volume else 1000.0 * float(count) / volume


def _share(part: float, whole: float) -> float | None:
    return None if not whole else float(part) / float(whole)


def _interval(part: float, whole: float) -> list[float] | None:
    return None if not whole else list(stats.wilson_interval(int(part), int(whole)))


def volume_imports(*, actor: Reader, limit: int = 10):
    """The latest volume imports, newest first (bounded)."""
    from plaint.insights.models import VolumeImport

    _require(actor)
    return list(VolumeImport.objects.select_related("created_by")[:limit])


def with_period(filters: Filters, start: dt.date, end: dt.date) -> Filters:
    return replace(filters, start=month_start(start), end=month_start(end))
