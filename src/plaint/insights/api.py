"""The insights API: thin adapters over the selectors. Every figure comes with its interval;
errors are problem+json (see ``core/problem.py``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_noop
from ninja import Query, Router

from plaint.accounts.access import can_read_insights
from plaint.accounts.api_auth import BearerToken, api_user, may
from plaint.core.problem import Problem
from plaint.insights import selectors
from plaint.insights.schemas import (
    CompareOut,
    CompareQuery,
    ImportanceOut,
    IndicatorQuery,
    IndicatorsOut,
    MeasureQuery,
    MeasuresOut,
    PlanOut,
    PlanQuery,
    SegmentQuery,
    SegmentsOut,
    TrendsOut,
    month,
)
from plaint.insights.selectors import Filters

router = Router(tags=["insights"], auth=BearerToken())
_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


def _filters(q: MeasureQuery) -> Filters:
    """The query's filters; without a population, the survey's (as on the page)."""
    filters = Filters.build(
        survey_key=q.survey,
        start=month(q.start),
        end=month(q.end),
        dimension=q.dimension,
        segment=q.segment,
        confidence=q.confidence,
        population=q.population,
        min_count=q.min_count,
        method=q.method,
    )
    return selectors.with_default_population(filters) if q.survey else filters


@router.get(
    "/insights/measures",
    response={200: MeasuresOut, **_ERRORS},
    summary="Survey measures with intervals and margins of error",
    description=(
        "Per scale question: CSAT (top-2 boxes, Wilson interval) or NPS (multinomial variance), "
        "the mean (t interval); the weighted satisfaction index and the response rate."
    ),
    auth=may(can_read_insights, gettext_noop("read satisfaction measures")),
)
def measures(request: HttpRequest, query: Query[MeasureQuery]):
    user = api_user(request)
    return selectors.measures(actor=user, filters=_filters(query), language=query.language)


@router.get(
    "/insights/trends",
    response={200: TrendsOut, **_ERRORS},
    summary="Monthly figures with their intervals",
    auth=may(can_read_insights, gettext_noop("read satisfaction measures")),
)
def trends(request: HttpRequest, query: Query[MeasureQuery]):
    user = api_user(request)
    return selectors.trends(actor=user, filters=_filters(query), language=query.language)


@router.get(
    "/insights/segments",
    response={200: SegmentsOut, **_ERRORS},
    summary="Figures per segment value; cells under min_count are suppressed",
    auth=may(can_read_insights, gettext_noop("read satisfaction measures")),
)
def segments(request: HttpRequest, query: Query[SegmentQuery]):
    user = api_user(request)
    return selectors.segments(
        actor=user, filters=_filters(query), dimension=query.by, language=query.language
    )


@router.get(
    "/insights/importance",
    response={200: ImportanceOut, **_ERRORS},
    summary="Importance-performance matrix (stated, correlation or regression importance)",
    auth=may(can_read_insights, gettext_noop("read satisfaction measures")),
)
def importance(request: HttpRequest, query: Query[MeasureQuery]):
    user = api_user(request)
    return selectors.importance_performance(
        actor=user, filters=_filters(query), language=query.language
    )


@router.get(
    "/insights/comparison",
    response={200: CompareOut, **_ERRORS},
    summary="Group B against group A: tests and effect sizes",
    auth=may(can_read_insights, gettext_noop("read satisfaction measures")),
)
def comparison(request: HttpRequest, query: Query[CompareQuery]):
    user = api_user(request)

    def group(prefix: str) -> Filters:
        return Filters.build(
            survey_key=query.survey,
            start=month(getattr(query, f"{prefix}_start")),
            end=month(getattr(query, f"{prefix}_end")),
            dimension=getattr(query, f"{prefix}_dimension"),
            segment=getattr(query, f"{prefix}_segment"),
            confidence=query.confidence,
        )

    return selectors.compare(
        actor=user,
        a=group("a"),
        b=group("b"),
        question_code=query.question,
        language=query.language,
    )


@router.get(
    "/insights/indicators",
    response={200: IndicatorsOut, **_ERRORS},
    summary="Indirect indicators per month (complaint rates, repeats, process share, resolve time)",
    auth=may(can_read_insights, gettext_noop("read satisfaction measures")),
)
def indicators(request: HttpRequest, query: Query[IndicatorQuery]):
    user = api_user(request)
    f = Filters.build(survey_key="-", start=month(query.start), end=month(query.end))
    return selectors.indicators(actor=user, start=f.start, end=f.end)


@router.get(
    "/insights/sample-size",
    response={200: PlanOut, **_ERRORS},
    summary="Responses and invitations needed for a target margin of error",
    auth=may(can_read_insights, gettext_noop("read satisfaction measures")),
)
def sample_size(request: HttpRequest, query: Query[PlanQuery]):
    user = api_user(request)
    return selectors.sample_plan(
        actor=user,
        margin=query.margin,
        confidence=query.confidence,
        population=query.population,
        proportion=query.proportion,
        response_rate=query.response_rate,
        survey_key=query.survey or "",
    )
