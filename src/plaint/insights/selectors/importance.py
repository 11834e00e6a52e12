"""What drives satisfaction: the pairwise moments of the scale questions (from the joint counts),
the weighted satisfaction index, and importance against performance per attribute."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.db.models import Sum
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader
from plaint.core import reliability, stats
from plaint.insights.models import Dimension, PairCount
from plaint.insights.selectors.filters import Filters, require_reader
from plaint.insights.selectors.series import (
    Series,
    as_float,
    question_index,
    survey_series,
    total_counts,
)


def attributes(series: list[Series]) -> tuple[list[int], int | None]:
    """The indexes of the attribute questions (rating or effort, not the overall one), and the
    index of the overall question (None without one)."""
    attrs = [
        i
        for i, s in enumerate(series)
        if s.attribute and not s.is_overall and s.kind in ("rating", "ces")
    ]
    overall = next((i for i, s in enumerate(series) if s.is_overall), None)
    return attrs, overall


def _joint_counts(series: list[Series], filters: Filters) -> np.ndarray:
    """Rows (question a, question b, value a, value b, count) of the period, one query."""
    qindex = question_index(series)
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
    return np.array(list(rows), dtype=float).reshape(-1, 5)


def pair_moments(series: list[Series], filters: Filters, totals: np.ndarray) -> stats.PairMoments:
    """Pairwise moments of the scale questions in the period (one query). Joint counts exist for
    all responses only; for a segment the correlations of all responses are combined with the
    segment's own means, SDs and counts (taking the overlap as the smaller count)."""
    qindex = question_index(series)
    arr = _joint_counts(series, filters)
    a = np.array([qindex[int(x)] for x in arr[:, 0]], dtype=int)
    b = np.array([qindex[int(x)] for x in arr[:, 1]], dtype=int)
    # Keep each unordered pair once, a < b, as pair_moments expects.
    swap = a > b
    a2, b2 = np.where(swap, b, a), np.where(swap, a, b)
    va, vb = np.where(swap, arr[:, 3], arr[:, 2]), np.where(swap, arr[:, 2], arr[:, 3])
    keep = a2 != b2
    si: list[int] = []
    sv: list[int] = []
    sc: list[float] = []
    for i, s in enumerate(series):
        si += [i] * s.width
        sv += list(s.values)
        sc += list(totals[i, : s.width])
    pm = stats.pair_moments(
        len(series), a2[keep], b2[keep], va[keep], vb[keep], arr[keep, 4], si, sv, sc
    )
    if filters.dimension == Dimension.ALL:
        return pm
    n1 = np.diag(pm.n)
    sd = np.sqrt(np.diag(pm.cov))
    cov = pm.corr * np.outer(sd, sd)
    return stats.PairMoments(n=np.minimum.outer(n1, n1), mean=pm.mean, cov=cov, corr=pm.corr)


def _scaled(pm: stats.PairMoments, series: list[Series]) -> stats.PairMoments:
    span = np.array([100.0 / (s.scale_max - s.scale_min) for s in series])
    return stats.PairMoments(
        n=pm.n, mean=pm.mean * span, cov=pm.cov * np.outer(span, span), corr=pm.corr
    )


def performance(series: list[Series], totals: np.ndarray, attrs: list[int]) -> np.ndarray:
    """The mean of each question in ``attrs`` over the period, on 0-100."""
    return np.array(
        [
            stats.rescale_0_100(
                stats.moments(series[i].values, totals[i, : series[i].width])[1],
                series[i].scale_min,
                series[i].scale_max,
            )
            for i in attrs
        ]
    )


def satisfaction_index(
    series: list[Series], totals: np.ndarray, filters: Filters, population: int | None
) -> dict[str, Any] | None:
    """The weighted index of the attribute questions on 0-100 with its interval (None without
    attribute questions)."""
    attrs, _overall = attributes(series)
    if not attrs:
        return None
    pm = _scaled(pair_moments(series, filters, totals), series)
    block = np.ix_(attrs, attrs)
    sub = stats.PairMoments(
        n=pm.n[block], mean=pm.mean[attrs], cov=pm.cov[block], corr=pm.corr[block]
    )
    means = performance(series, totals, attrs)
    weights = np.array([series[i].weight for i in attrs])
    est = stats.weighted_index(means, weights, sub, filters.confidence, population)
    return est.as_dict() | {"attributes": [series[i].attribute for i in attrs]}


def importance_performance(
    *, actor: Reader, filters: Filters, language: str = "en"
) -> dict[str, Any]:
    """Importance (stated weight, or derived from the overall question by correlation or by the
    standardized coefficients of a multiple regression) against performance (mean on 0-100)."""
    require_reader(actor)
    series, survey = survey_series(survey_key=filters.survey_key)
    out: dict[str, Any] = {
        "survey": survey,
        "method": filters.method,
        "attributes": [],
        "importance_centre": None,
        "performance_centre": None,
        "note": "",
        "reliability": None,
    }
    attrs, overall = attributes(series)
    if not attrs:
        out["note"] = _("No question of this survey is tagged with an attribute.")
        return out
    totals = total_counts(series, filters)
    perf = performance(series, totals, attrs)
    pm = pair_moments(series, filters, totals)
    importance = _importance(series, pm, filters, attrs, overall, out)
    out["reliability"] = _reliability(series, pm, filters, attrs, language)
    labels, ci, cp = stats.ipa_quadrants(importance, perf)
    out["importance_centre"] = as_float(ci)
    out["performance_centre"] = as_float(cp)
    for j, i in enumerate(attrs):
        out["attributes"].append(
            {
                "code": series[i].code,
                "attribute": series[i].attribute,
                "label": series[i].label(language),
                "importance": as_float(importance[j]),
                "performance": as_float(perf[j]),
                "n": int(totals[i].sum()),
                "quadrant": labels[j],
            }
        )
    return out


def _reliability(
    series: list[Series],
    pm: stats.PairMoments,
    filters: Filters,
    attrs: list[int],
    language: str,
) -> dict[str, Any] | None:
    """Cronbach's alpha of the attribute questions on their own scales, with its Feldt interval
    and each question's item-total r and alpha without it (None with fewer than two)."""
    block = np.ix_(attrs, attrs)
    found = reliability.cronbach(pm.cov[block], pm.n[block], filters.confidence)
    if found is None:
        return None
    note = ""
    if filters.dimension != Dimension.ALL:
        note = _(
            "In a segment, alpha combines the segment's spreads with the correlations of all responses."
        )
    return {
        "alpha": as_float(found.alpha),
        "low": as_float(found.low),
        "high": as_float(found.high),
        "confidence": filters.confidence,
        "n": found.n,
        "k": found.k,
        "note": note,
        "items": [
            {
                "code": series[i].code,
                "attribute": series[i].attribute,
                "label": series[i].label(language),
                "item_total_r": as_float(item.item_total_r),
                "alpha_if_deleted": as_float(item.alpha_if_deleted),
            }
            for i, item in zip(attrs, found.items, strict=True)
        ],
    }


def _importance(
    series: list[Series],
    pm: stats.PairMoments,
    filters: Filters,
    attrs: list[int],
    overall: int | None,
    out: dict[str, Any],
) -> np.ndarray:
    """The importance of each attribute by the filters' method; sets ``out["method"]`` to the
    method used and ``out["note"]`` when it differs or uses all responses."""
    method = filters.method
    if method != "stated" and overall is None:
        out["note"] = _("The survey has no overall question: importance is the stated weight.")
        method = "stated"
    out["method"] = method
    if method == "stated" or overall is None:  # overall is None only with "stated" (above)
        w = np.array([series[i].weight for i in attrs])
        return w / w.sum() if w.sum() > 0 else w
    if filters.dimension != Dimension.ALL:
        out["note"] = _("Derived importance uses the correlations of all responses.")
    return stats.derived_importance(pm, overall, attrs, method)
