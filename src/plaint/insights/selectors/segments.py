"""Survey figures per segment value (channel, category, product, language, segment), with cells
below the minimum count suppressed, and the segment values a survey's answers carry."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader
from plaint.complaints.models import Category, Channel
from plaint.core import stats
from plaint.core.errors import ValidationFailed
from plaint.insights.models import AnswerCount, Dimension
from plaint.insights.selectors.choices import choice_segment_rows
from plaint.insights.selectors.filters import Filters, require_reader
from plaint.insights.selectors.series import (
    Series,
    figures,
    pick,
    question_index,
    segment_counts,
    survey_series,
)
from plaint.surveys.models import Question

MAX_SEGMENT_VALUES = 2000


def _segment_labels(dimension: str, values: list[str], language: str) -> dict[str, str]:
    if dimension == Dimension.CATEGORY:
        ids = [int(v) for v in values if v.isdigit()]
        return {str(c.pk): c.name for c in Category.objects.filter(pk__in=ids)}
    if dimension == Dimension.LANGUAGE:
        names = dict(settings.LANGUAGES)
        return {v: names.get(v, v) for v in values}
    if dimension == Dimension.CHANNEL:
        channel_names = dict(Channel.choices)
        return {v: str(channel_names.get(v, v)) for v in values}
    return {v: v for v in values}


def _segment_cube(
    series: list[Series], filters: Filters, dimension: str
) -> tuple[np.ndarray, list[str]]:
    """Counts as an array (question, segment value, value offset) over the period, and the
    segment values in the order of the array. One query."""
    qindex = question_index(series)
    rows, sindex = segment_counts(list(qindex), filters, dimension)
    names = list(sindex)
    width = max(s.width for s in series)
    cube = np.zeros((len(series), len(names), width))
    for qid, seg, value, total in rows:
        q = qindex[qid]
        offset = value - series[q].scale_min
        if 0 <= offset < width:
            cube[q, sindex[seg], offset] += total
    return cube, names


def segments(
    *, actor: Reader, filters: Filters, dimension: str, language: str = "en"
) -> dict[str, Any]:
    """Each question's figures per segment value of ``dimension`` over the period, and each
    single-choice question's option shares (``choice_rows``). Cells with fewer than
    ``filters.min_count`` answers are suppressed: their figures are not returned."""
    require_reader(actor)
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
        "choice_rows": choice_segment_rows(
            filters, dimension, lambda names: _segment_labels(dimension, names, language), language
        ),
    }
    if not series:
        return out
    cube, names = _segment_cube(series, filters, dimension)
    labels = _segment_labels(dimension, names, language)
    for i, s in enumerate(series):
        figs = figures(s, cube[i], filters, None)
        n = cube[i].sum(axis=-1)
        hidden = stats.suppressed(n, filters.min_count)
        for j, name in enumerate(names):
            if n[j] == 0:
                continue
            out["rows"].append(
                {
                    "code": s.code,
                    "label": s.label(language),
                    "kind": s.kind,
                    "segment": name,
                    "segment_label": labels.get(name, name),
                    "suppressed": bool(hidden[j]),
                    "n": None if hidden[j] else int(n[j]),
                    "measure": s.head,
                    s.head: None if hidden[j] else pick(figs[s.head], (j,)),
                    "mean": None if hidden[j] else pick(figs["mean"], (j,)),
                }
            )
    return out


def segment_values(*, actor: Reader, survey_key: str) -> dict[str, list[tuple[str, str]]]:
    """The segment values seen in a survey's aggregates, per dimension, for the selector."""
    require_reader(actor)
    ids = list(Question.objects.filter(survey__key=survey_key).values_list("pk", flat=True))
    rows = (
        AnswerCount.objects.filter(question_id__in=ids)
        .exclude(dimension=Dimension.ALL)
        .values_list("dimension", "segment")
        .distinct()
        .order_by("dimension", "segment")
    )
    grouped: dict[str, list[str]] = defaultdict(list)
    for dim, seg in rows[:MAX_SEGMENT_VALUES]:
        grouped[dim].append(seg)
    return {
        dim: sorted(_segment_labels(dim, values, "en").items(), key=lambda kv: kv[1])
        for dim, values in grouped.items()
    }
