"""What an insights page looks at (``Filters``: a survey, a period of whole months, a segment),
the month arithmetic in UTC, and the access check every insights read starts with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader, can_read_insights
from plaint.core.bounds import day_error
from plaint.core.errors import NotAllowed, ValidationFailed
from plaint.insights.models import Dimension

METHODS = ("stated", "correlation", "regression")
CONFIDENCES = (0.9, 0.95, 0.99)
DEFAULT_MIN_COUNT = 10
MAX_MONTHS = 120
# More people than that is no population a finite population correction helps with.
POPULATION_MAX = 1_000_000_000


def require_reader(actor: Reader) -> None:
    if not can_read_insights(actor):
        raise NotAllowed(_("Your role may not read satisfaction measures."))


# ------------------------------------------------------------------------------------ months


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


def utc_start(month: dt.date) -> dt.datetime:
    """Midnight UTC at the start of ``month`` (any date: its midnight)."""
    return dt.datetime.combine(month, dt.time(), tzinfo=dt.UTC)


# ------------------------------------------------------------------------------------ filters


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
        bound_errors = {
            name: [error]
            for name, value in (("start", start), ("end", end))
            if value is not None and (error := day_error(value))
        }
        if bound_errors:  # before any arithmetic: year 1 minus 11 months is no date
            raise ValidationFailed(_("Check the highlighted filters."), fields=bound_errors)
        today = today or timezone.now().astimezone(dt.UTC).date()
        end = month_start(end or today)
        start = month_start(start or add_months(end, -11))
        dimension = dimension or Dimension.ALL
        segment = "" if dimension == Dimension.ALL else segment
        min_count = DEFAULT_MIN_COUNT if min_count is None else min_count
        method = method or "regression"
        filters = cls(
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
        errors = _errors(filters)
        if errors:
            raise ValidationFailed(_("Check the highlighted filters."), fields=errors)
        return filters

    @property
    def months(self) -> list[dt.date]:
        return months_between(self.start, self.end)


def _errors(f: Filters) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if f.start > f.end:
        errors["start"] = [_("The period starts after it ends.")]
    elif len(months_between(f.start, f.end)) > MAX_MONTHS:
        errors["start"] = [_("A period may span at most 120 months.")]
    if f.dimension not in Dimension.values:
        errors["dimension"] = [_("Unknown segment dimension.")]
    elif f.dimension != Dimension.ALL and not f.segment:
        errors["segment"] = [_("Choose a segment value, or all responses.")]
    if f.confidence not in CONFIDENCES:
        errors["confidence"] = [_("Choose 90%, 95% or 99%.")]
    if f.population is not None and population_error(f.population):
        errors["population"] = [population_error(f.population)]
    if f.min_count < 1:
        errors["min_count"] = [_("The minimum cell size must be at least 1.")]
    if f.method not in METHODS:
        errors["method"] = [_("Choose stated, correlation or regression.")]
    return errors


def population_error(population: int) -> str:
    if 1 <= population <= POPULATION_MAX:
        return ""
    return _("The population must be from 1 to %(max)s.") % {
        "max": number_format(POPULATION_MAX, force_grouping=True)
    }


def with_period(filters: Filters, start: dt.date, end: dt.date) -> Filters:
    return replace(filters, start=month_start(start), end=month_start(end))


def filters_dict(filters: Filters) -> dict[str, Any]:
    """The filters as plain data, as the API and the exports show them."""
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
