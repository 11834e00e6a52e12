"""Survey measures from the aggregates: the headline figures of each question over a period (with
the weighted satisfaction index and the response rate), their monthly trends, and the population
the answers are drawn from."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.db.models import Count, Q, QuerySet

from plaint.accounts.access import Reader
from plaint.core import stats
from plaint.insights.models import Dimension
from plaint.insights.selectors.choices import choice_measures, choice_trends
from plaint.insights.selectors.filters import (
    Filters,
    add_months,
    filters_dict,
    require_reader,
    utc_start,
)
from plaint.insights.selectors.importance import satisfaction_index
from plaint.insights.selectors.series import (
    Series,
    as_float,
    count_cube,
    figures,
    pick,
    survey_series,
)
from plaint.surveys.models import Invitation


def _invitations(survey_key: str, start: dt.date, end: dt.date) -> QuerySet[Invitation]:
    """The invitations of a survey key sent in the months ``start``..``end``."""
    return Invitation.objects.filter(
        survey__key=survey_key,
        sent_at__gte=utc_start(start),
        sent_at__lt=utc_start(add_months(end, 1)),
    )


def response_rate(survey_key: str, filters: Filters) -> dict[str, Any]:
    """Invitations sent in the period, those answered, and the share answered with its interval."""
    row = _invitations(survey_key, filters.start, filters.end).aggregate(
        sent=Count("id"), answered=Count("id", filter=Q(response__submitted_at__isnull=False))
    )
    est = stats.share_estimate(row["answered"], row["sent"], filters.confidence)
    return pick(est) | {"sent": row["sent"], "answered": row["answered"]}


def survey_population(*, survey_key: str, start: dt.date, end: dt.date) -> int:
    """The people who could have answered a survey in the months ``start``..``end``: the
    distinct recipients (e-mail addresses) of its invitations sent in the period. Complaints
    closed as out of scope, referred, or without an e-mail address are never invited, so they are
    not part of it. One query."""
    row = _invitations(survey_key, start, end).aggregate(n=Count("email", distinct=True))
    return int(row["n"])


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


def measures(*, actor: Reader, filters: Filters, language: str = "en") -> dict[str, Any]:
    """The headline figures of each scale question over the period, with intervals and margins
    of error, the weighted satisfaction index and the response rate; and the share of each option
    of each single-choice question (``choices``)."""
    require_reader(actor)
    series, survey = survey_series(survey_key=filters.survey_key)
    population = filters.population
    result: dict[str, Any] = {
        "survey": survey,
        "filters": filters_dict(filters),
        "population": population,
        "population_source": filters.population_source if population is not None else "",
        # more answers than the population: the correction is not applied (see stats.fpc)
        "population_too_small": False,
        "max_answers": 0,
        "questions": [],
        "index": None,
        "response_rate": response_rate(filters.survey_key, filters),
        "choices": choice_measures(filters, language),
    }
    if not series:
        return result
    cube, _w = count_cube(series, filters, filters.months)
    totals = cube.sum(axis=1)  # (question, value)
    answers = int(totals.sum(axis=-1).max(initial=0))
    result["max_answers"] = answers
    result["population_too_small"] = stats.population_too_small(answers, population)
    for i, s in enumerate(series):
        result["questions"].append(
            _question_row(s, figures(s, totals[i], filters, population), language)
        )
    result["index"] = satisfaction_index(series, totals, filters, population)
    return result


def _question_row(s: Series, figs: dict[str, Any], language: str) -> dict[str, Any]:
    row = {
        "code": s.code,
        "label": s.label(language),
        "kind": s.kind,
        "attribute": s.attribute,
        "weight": s.weight,
        "is_overall": s.is_overall,
        "scale": [s.scale_min, s.scale_max],
        "mean": pick(figs["mean"]),
        "score_0_100": as_float(figs["score_0_100"]),
    }
    row[s.head] = pick(figs[s.head])
    if s.kind == "nps":
        row["promoters"] = as_float(figs["nps"]["promoters"])
        row["detractors"] = as_float(figs["nps"]["detractors"])
    return row


def trends(*, actor: Reader, filters: Filters, language: str = "en") -> dict[str, Any]:
    """Per month and question: the headline figure (CSAT, or NPS) and the mean, with intervals;
    per month and single-choice question, each option's share (``choices``)."""
    require_reader(actor)
    series, survey = survey_series(survey_key=filters.survey_key)
    months = filters.months
    out: dict[str, Any] = {
        "survey": survey,
        "months": [f"{m:%Y-%m}" for m in months],
        "questions": [],
        "choices": choice_trends(filters, language),
    }
    if not series:
        return out
    cube, _w = count_cube(series, filters, months)
    for i, s in enumerate(series):
        figs = figures(s, cube[i], filters, filters.population)
        head = s.head
        out["questions"].append(
            {
                "code": s.code,
                "label": s.label(language),
                "kind": s.kind,
                "measure": head,
                "points": [
                    {
                        "month": f"{m:%Y-%m}",
                        head: pick(figs[head], (j,)),
                        "mean": pick(figs["mean"], (j,)),
                    }
                    for j, m in enumerate(months)
                ],
            }
        )
    return out
