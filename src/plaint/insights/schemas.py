"""Typed input and output shapes of the insights API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StringConstraints

from plaint.complaints.schemas import NoNul
from plaint.core.bounds import Month
from plaint.insights.selectors.filters import POPULATION_MAX
from plaint.insights.selectors.planner import (
    MARGIN_MAX,
    MARGIN_MIN,
    PROPORTION_MAX,
    PROPORTION_MIN,
    RESPONSE_RATE_MIN,
)

# NoNul: PostgreSQL refuses a NUL in a text parameter (a 500); a 422 names the field instead
Key = Annotated[str, StringConstraints(min_length=1, max_length=60), NoNul]
SegmentValue = Annotated[str, StringConstraints(max_length=200), NoNul]
Dim = Literal["all", "channel", "category", "product", "language", "segment"]


def month(value: str | None) -> dt.date | None:
    """A ``Month`` the schema let through as the first day of that month."""
    return None if not value else dt.date(int(value[:4]), int(value[5:7]), 1)


class MeasureQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    survey: Key = Field(..., description="The survey key (all its versions)")
    start: Month | None = Field(None, description="First month, YYYY-MM (default: 11 months ago)")
    end: Month | None = Field(None, description="Last month, YYYY-MM (default: this month)")
    dimension: Dim = "all"
    segment: SegmentValue = ""
    confidence: float = Field(0.95, description="0.9, 0.95 or 0.99")
    population: int | None = Field(
        None, ge=1, le=POPULATION_MAX, description="Population size for the FPC"
    )
    min_count: int = Field(10, ge=1, le=100000, description="Smallest cell shown in breakdowns")
    method: Literal["stated", "correlation", "regression"] = "regression"
    language: Literal["en", "et", "uk", "sv", "fa"] = "en"


class SegmentQuery(MeasureQuery):
    by: Literal["channel", "category", "product", "language", "segment"] = "channel"


class CompareQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    survey: Key
    question: Annotated[str, StringConstraints(min_length=1, max_length=40), NoNul]
    a_start: Month
    a_end: Month
    a_dimension: Dim = "all"
    a_segment: SegmentValue = ""
    b_start: Month
    b_end: Month
    b_dimension: Dim = "all"
    b_segment: SegmentValue = ""
    confidence: float = Field(0.95, description="0.9, 0.95 or 0.99")
    language: Literal["en", "et", "uk", "sv", "fa"] = "en"


class IndicatorQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    start: Month | None = None
    end: Month | None = None


class PlanQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    margin: float = Field(
        ...,
        ge=MARGIN_MIN,
        le=MARGIN_MAX,
        description="Target margin of error, 0.05 = ±5 points (0.001 to 0.5)",
    )
    confidence: float = Field(0.95, description="0.9, 0.95 or 0.99")
    population: int | None = Field(None, ge=1, le=POPULATION_MAX)
    proportion: float = Field(0.5, ge=PROPORTION_MIN, le=PROPORTION_MAX)
    response_rate: float | None = Field(None, ge=RESPONSE_RATE_MIN, le=1)
    survey: Key | None = Field(None, description="Use this survey's observed response rate")


class EstimateOut(Schema):
    value: float | None
    low: float | None
    high: float | None
    moe: float | None = Field(
        None,
        description="Margin of error after the finite population correction: for shares the "
        "larger half-width of the Wilson interval, otherwise the half-width",
    )
    n: int | None


class SurveyOut(Schema):
    key: str
    title: dict[str, str]
    kind: str


class FiltersOut(Schema):
    survey: str
    start: str
    end: str
    dimension: str
    segment: str
    confidence: float
    min_count: int
    method: str


class QuestionMeasureOut(Schema):
    code: str
    label: str
    kind: str
    attribute: str
    weight: float
    is_overall: bool
    scale: list[int]
    mean: EstimateOut
    csat: EstimateOut | None = Field(None, description="Share of the top two boxes (0-1)")
    nps: EstimateOut | None = Field(None, description="Net promoter score in points")
    promoters: float | None = None
    detractors: float | None = None
    score_0_100: float | None


class IndexOut(EstimateOut):
    attributes: list[str]


class ResponseRateOut(EstimateOut):
    sent: int
    answered: int


class OptionShareOut(Schema):
    code: str
    label: str = Field(description="The option's label in the requested language")
    share: EstimateOut = Field(
        description="The option's share of the answers to the question (0-1), Wilson interval"
    )


class ChoiceMeasureOut(Schema):
    code: str
    label: str
    kind: str
    n: int = Field(description="Answers to the question in the period")
    options: list[OptionShareOut]


class ChoiceTrendPointOut(Schema):
    month: str
    n: int
    options: list[OptionShareOut]


class ChoiceTrendOut(Schema):
    code: str
    label: str
    kind: str
    points: list[ChoiceTrendPointOut]


class ChoiceSegmentRowOut(Schema):
    code: str
    label: str
    kind: str
    segment: str
    segment_label: str
    suppressed: bool
    n: int | None
    options: list[OptionShareOut] | None


class MeasuresOut(Schema):
    survey: SurveyOut
    filters: FiltersOut
    population: int | None = Field(
        None,
        description="Population for the finite population correction: the one given, or by "
        "default the distinct recipients of the survey's invitations sent in the period",
    )
    population_source: str = Field("", description='"given", "invitations" or empty (none)')
    population_too_small: bool = Field(
        False, description="More answers than the population: no correction was applied"
    )
    max_answers: int = Field(0, description="The largest number of answers to one question")
    questions: list[QuestionMeasureOut]
    index: IndexOut | None
    response_rate: ResponseRateOut
    choices: list[ChoiceMeasureOut] = Field(
        description="Single-choice questions: each option's share of the answers"
    )


class TrendPointOut(Schema):
    month: str
    csat: EstimateOut | None = None
    nps: EstimateOut | None = None
    mean: EstimateOut


class TrendQuestionOut(Schema):
    code: str
    label: str
    kind: str
    measure: str
    points: list[TrendPointOut]


class TrendsOut(Schema):
    survey: SurveyOut
    months: list[str]
    questions: list[TrendQuestionOut]
    choices: list[ChoiceTrendOut] = Field(
        description="Single-choice questions: each option's share per month"
    )


class SegmentRowOut(Schema):
    code: str
    label: str
    kind: str
    segment: str
    segment_label: str
    suppressed: bool
    n: int | None
    measure: str
    csat: EstimateOut | None = None
    nps: EstimateOut | None = None
    mean: EstimateOut | None


class SegmentsOut(Schema):
    survey: SurveyOut
    dimension: str
    min_count: int
    rows: list[SegmentRowOut]
    choice_rows: list[ChoiceSegmentRowOut] = Field(
        description="Single-choice questions: each option's share per segment value"
    )


class AttributeOut(Schema):
    code: str
    attribute: str
    label: str
    importance: float | None
    performance: float | None
    n: int
    quadrant: str


class ReliabilityItemOut(Schema):
    code: str
    attribute: str
    label: str
    item_total_r: float | None = Field(
        description="Pearson's r of the question with the sum of the other attribute questions"
    )
    alpha_if_deleted: float | None = Field(
        description="Cronbach's alpha of the other attribute questions (null with two questions)"
    )


class ReliabilityOut(Schema):
    alpha: float | None = Field(
        description="Cronbach's alpha of the attribute questions, from the pairwise covariances"
    )
    low: float | None = Field(description="Feldt interval, lower bound")
    high: float | None = Field(description="Feldt interval, upper bound")
    confidence: float
    n: int = Field(description="Responses the interval counts: the smallest pairwise count")
    k: int = Field(description="Attribute questions")
    note: str
    items: list[ReliabilityItemOut]


class ImportanceOut(Schema):
    survey: SurveyOut
    method: str
    attributes: list[AttributeOut]
    importance_centre: float | None
    performance_centre: float | None
    note: str
    reliability: ReliabilityOut | None = Field(
        description="Internal consistency of the attribute questions (null with fewer than two)"
    )


class ComparisonOut(Schema):
    a: float | None
    b: float | None
    difference: float | None
    low: float | None
    high: float | None
    statistic: float | None
    p_value: float | None
    effect_size: float | None
    effect_name: str
    test: str
    n_a: int
    n_b: int
    significant: bool


class CompareOut(Schema):
    survey: SurveyOut
    question: str
    label: str
    kind: str
    a: FiltersOut
    b: FiltersOut
    mean: ComparisonOut
    csat: ComparisonOut | None = None
    nps: ComparisonOut | None = None


class IndicatorMonthOut(Schema):
    month: str
    complaints: int
    orders: int | None
    customers: int | None
    per_1000_orders: float | None
    per_1000_orders_interval: list[float] | None = Field(
        None, description="Exact Poisson 95% interval of the rate"
    )
    per_1000_customers: float | None
    repeat_rate: float | None
    repeat_interval: list[float] | None = Field(None, description="Wilson 95% interval")
    about_process_share: float | None
    closed: int
    resolve_p50_days: float | None
    resolve_p90_days: float | None


class IndicatorSummaryOut(Schema):
    complaints: int
    per_1000_orders: float | None
    per_1000_customers: float | None
    repeat_rate: float | None
    repeat_interval: list[float] | None
    about_process_share: float | None
    about_process_interval: list[float] | None
    closed: int
    resolve_p50_days: float | None
    resolve_p90_days: float | None


class IndicatorsOut(Schema):
    start: str
    end: str
    months: list[IndicatorMonthOut]
    summary: IndicatorSummaryOut


class PlanOut(Schema):
    responses_infinite: int
    responses: int
    invitations: int | None
    margin: float
    confidence: float
    population: int | None
    proportion: float
    response_rate: float | None
    observed_response_rate: ResponseRateOut | None
