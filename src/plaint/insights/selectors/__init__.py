"""Reads for the insights dashboard, API and exports: survey measures from the aggregate tables
and indirect indicators from the complaints. Every function checks access and returns plain data
(dicts and lists) that the page, the API and the exports render alike.

Queries are bounded by the number of questions, months and segment values, never by the number
of responses: the aggregates hold one row per (question, month, segment, answer value).

By subject: ``filters`` (periods, months, access), ``series`` (a survey's scale questions and
their counts), ``choices`` (the option shares of single-choice questions), ``measures``
(headline figures, trends, population), ``importance`` (index and
importance-performance), ``segments``, ``comparison``, ``planner`` (sample sizes),
``indicators`` with ``counts`` (the indirect indicators from the complaints) and ``volumes``.
"""

from plaint.insights.selectors.comparison import compare
from plaint.insights.selectors.filters import (
    DEFAULT_MIN_COUNT,
    MAX_MONTHS,
    METHODS,
    Filters,
    add_months,
    month_of,
    month_start,
    months_between,
    with_period,
)
from plaint.insights.selectors.importance import importance_performance
from plaint.insights.selectors.indicators import indicators
from plaint.insights.selectors.measures import (
    measures,
    survey_population,
    trends,
    with_default_population,
)
from plaint.insights.selectors.planner import sample_plan
from plaint.insights.selectors.segments import segment_values, segments
from plaint.insights.selectors.series import Series, survey_choices, survey_series
from plaint.insights.selectors.volumes import volume_imports

__all__ = [
    "DEFAULT_MIN_COUNT",
    "MAX_MONTHS",
    "METHODS",
    "Filters",
    "Series",
    "add_months",
    "compare",
    "importance_performance",
    "indicators",
    "measures",
    "month_of",
    "month_start",
    "months_between",
    "sample_plan",
    "segment_values",
    "segments",
    "survey_choices",
    "survey_population",
    "survey_series",
    "trends",
    "volume_imports",
    "with_default_population",
    "with_period",
]
