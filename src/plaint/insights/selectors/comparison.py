"""Two groups of one survey question compared (two periods, or two segment values): CSAT, mean
and NPS differences with their tests and effect sizes."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader
from plaint.core import stats
from plaint.core.errors import ValidationFailed
from plaint.insights.models import Dimension
from plaint.insights.selectors.filters import Filters, filters_dict, require_reader
from plaint.insights.selectors.series import Series, count_cube, survey_series


def _check_independent(a: Filters, b: Filters) -> None:
    """The tests assume independent samples: the groups must not share respondents. They are
    disjoint when the periods do not overlap, or when they are different values of one
    dimension."""
    if a.survey_key != b.survey_key:
        raise ValidationFailed(_("Compare groups of the same survey."), fields={})
    periods_apart = a.end < b.start or b.end < a.start
    segments_apart = (
        a.dimension == b.dimension and a.dimension != Dimension.ALL and a.segment != b.segment
    )
    if not (periods_apart or segments_apart):
        raise ValidationFailed(
            _("The two groups overlap: choose periods that do not overlap or different segments."),
            fields={"b_start": [_("Overlaps the first period.")]},
        )


def _counts(s: Series, filters: Filters) -> np.ndarray:
    return count_cube([s], filters, filters.months)[0][0].sum(axis=0)[: s.width]


def compare(
    *, actor: Reader, a: Filters, b: Filters, question_code: str, language: str = "en"
) -> dict[str, Any]:
    """Group b against group a (two periods, or two segments) for one question: CSAT by the
    two-proportion z-test and Cohen's h, the mean by Welch's t-test and Hedges' g, NPS by z."""
    require_reader(actor)
    _check_independent(a, b)
    series, survey = survey_series(survey_key=a.survey_key)
    chosen = [s for s in series if s.code == question_code]
    if not chosen:
        raise ValidationFailed(
            _("Choose a scale question of this survey."), fields={"question": [_("Unknown.")]}
        )
    s = chosen[0]
    ca, cb = _counts(s, a), _counts(s, b)
    out: dict[str, Any] = {
        "survey": survey,
        "question": s.code,
        "label": s.label(language),
        "kind": s.kind,
        "a": filters_dict(a),
        "b": filters_dict(b),
    }
    na, ma, sa = stats.moments(s.values, ca)
    nb, mb, sb = stats.moments(s.values, cb)
    out["mean"] = stats.compare_means(
        float(ma), float(sa), int(na), float(mb), float(sb), int(nb), a.confidence
    ).as_dict()
    if s.kind == "nps":
        out["nps"] = stats.compare_nps(ca, cb, s.values, a.confidence).as_dict()
    else:
        ka, _na = stats.top_boxes(s.values, ca, s.scale_max, s.boxes)
        kb, _nb = stats.top_boxes(s.values, cb, s.scale_max, s.boxes)
        out["csat"] = stats.compare_proportions(
            int(ka), int(na), int(kb), int(nb), a.confidence
        ).as_dict()
    return out
