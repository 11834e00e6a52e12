"""The sample-size planner: responses (and invitations) needed for a margin of error."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from plaint.accounts.access import Reader
from plaint.core import stats
from plaint.core.errors import ValidationFailed
from plaint.insights.selectors.filters import (
    CONFIDENCES,
    Filters,
    population_error,
    require_reader,
)
from plaint.insights.selectors.measures import response_rate as observed_rate

# The planner's bounds, shared by the page's form and the API's schema: a margin under ±0.1
# point or a response rate under 0.1% asks for more answers than anyone can collect (and
# 5e-324 divides by zero).
MARGIN_MIN, MARGIN_MAX = 0.001, 0.5
PROPORTION_MIN, PROPORTION_MAX = 0.01, 0.99
RESPONSE_RATE_MIN = 0.001


def _errors(
    margin: float,
    confidence: float,
    population: int | None,
    proportion: float,
    response_rate: float | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not MARGIN_MIN <= margin <= MARGIN_MAX:
        errors["margin"] = [_("Give a margin of error from 0.001 to 0.5 (0.05 is ±5 points).")]
    if confidence not in CONFIDENCES:
        errors["confidence"] = [_("Choose 90%, 95% or 99%.")]
    if population is not None and population_error(population):
        errors["population"] = [population_error(population)]
    if not PROPORTION_MIN <= proportion <= PROPORTION_MAX:
        errors["proportion"] = [_("The expected proportion lies between 0 and 1.")]
    if response_rate is not None and not RESPONSE_RATE_MIN <= response_rate <= 1:
        errors["response_rate"] = [_("The response rate lies between 0 and 1.")]
    return errors


def sample_plan(
    *,
    actor: Reader,
    margin: float,
    confidence: float = 0.95,
    population: int | None = None,
    proportion: float = 0.5,
    response_rate: float | None = None,
    survey_key: str = "",
) -> dict[str, Any]:
    """Responses (and invitations) needed for a margin of error; without a given response rate
    the survey's observed rate over the last 12 months is used."""
    require_reader(actor)
    observed = None
    if response_rate is None and survey_key:
        observed = observed_rate(survey_key, Filters.build(survey_key=survey_key))
        if observed["n"] and observed["value"]:
            response_rate = observed["value"]
    errors = _errors(margin, confidence, population, proportion, response_rate)
    if errors:
        raise ValidationFailed(_("Check the planner's figures."), fields=errors)
    plan = stats.sample_size(margin, confidence, population, proportion, response_rate)
    return plan.as_dict() | {"observed_response_rate": observed}
