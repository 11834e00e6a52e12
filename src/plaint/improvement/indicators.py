"""Indicators as data: a spec (a kind and its parameters, stored as JSON and validated here) and
the one function that reads its value over a period of whole months with its interval.

Objectives are measured with it and corrective actions' effectiveness checks read it twice (the
baseline at opening, the same spec again after the actions), so "the same indicator" is the same
JSON. Intervals come from ``plaint.core.stats`` (Wilson for shares, the exact Poisson interval for
counts and rates) and, for survey measures, from the insights selectors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plaint.accounts.models import Team
from plaint.complaints.models import Category, Channel, Complaint
from plaint.core import stats
from plaint.core.calendars import Unit, deadline
from plaint.core.errors import ValidationFailed
from plaint.core.selectors import calendar_default, organisation_get
from plaint.improvement.selectors import AnalysisFilters
from plaint.insights.models import PeriodVolume
from plaint.insights.selectors.filters import Filters, months_between
from plaint.insights.selectors.series import figures, pick, survey_series, total_counts

# kind -> (label, unit). Units: "count", "per_1000" (complaints per 1,000 orders), "percent"
# (a share in per cent, Wilson interval), "score" (a survey mean or NPS on its own scale).
KINDS: dict[str, tuple[Any, str]] = {
    "received": (gettext_lazy("Complaints received"), "count"),
    "per_1000_orders": (gettext_lazy("Complaints per 1,000 orders"), "per_1000"),
    "ack_within_promise": (gettext_lazy("Acknowledged within the promise"), "percent"),
    "ack_within_business_days": (
        gettext_lazy("Acknowledged within N business days"),
        "percent",
    ),
    "closed_within_days": (gettext_lazy("Closed within N days"), "percent"),
    "survey": (gettext_lazy("Survey measure"), "score"),
}
FILTER_KEYS = ("category", "product", "channel", "team", "segment")
SURVEY_MEASURES = ("csat", "mean", "nps")
MAX_DAYS = 365


@dataclass(frozen=True)
class Reading:
    """An indicator's value over a period with its 95 % interval; ``n`` the cases (or answers)
    it rests on. ``value`` is None when there is nothing to measure (no complaints decided, no
    orders, no answers)."""

    value: float | None
    low: float | None
    high: float | None
    n: int
    unit: str

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "low": self.low, "high": self.high, "n": self.n}


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(_("Check the indicator."), fields={f"indicator.{field}": [message]})


def _int_in(spec: dict[str, Any], key: str, low: int, high: int) -> int:
    value = spec.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise _fail(key, _("A whole number from %(low)s to %(high)s.") % {"low": low, "high": high})
    return value


def spec_clean(raw: Any) -> dict[str, Any]:
    """The validated, canonical spec (unknown keys refused, blank filters dropped)."""
    if not isinstance(raw, dict):
        raise _fail("kind", _("An indicator is an object with a kind."))
    kind = raw.get("kind")
    if kind not in KINDS:
        raise _fail("kind", _("Unknown indicator kind."))
    allowed = {"kind", *FILTER_KEYS}
    if kind in ("ack_within_business_days", "closed_within_days"):
        allowed.add("days")
    if kind == "survey":
        allowed = {"kind", "survey", "question", "measure"}
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise _fail(unknown[0], _("Not a parameter of this indicator."))
    spec: dict[str, Any] = {"kind": kind}
    if kind == "survey":
        for key in ("survey", "question"):
            value = raw.get(key)
            if not isinstance(value, str) or not value.strip() or len(value) > 64:
                raise _fail(key, _("This field is required."))
            spec[key] = value.strip()
        if raw.get("measure") not in SURVEY_MEASURES:
            raise _fail("measure", _("Choose csat, mean or nps."))
        spec["measure"] = raw["measure"]
        return spec
    if "days" in allowed:
        spec["days"] = _int_in(raw, "days", 0 if kind == "closed_within_days" else 1, MAX_DAYS)
    for key in ("category", "team"):
        if raw.get(key) not in (None, ""):
            value = raw[key]
            model = Category if key == "category" else Team
            if not isinstance(value, int) or not model.objects.filter(pk=value).exists():
                raise _fail(key, _("No such %(what)s.") % {"what": key})
            spec[key] = value
    for key in ("product", "segment", "channel"):
        value = raw.get(key) or ""
        if not isinstance(value, str) or len(value) > 200:
            raise _fail(key, _("Text of at most 200 characters."))
        if key == "channel" and value and value not in Channel.values:
            raise _fail(key, _("Unknown channel."))
        if value.strip():
            spec[key] = value.strip()
    return spec


def unit_of(spec: dict[str, Any]) -> str:
    return KINDS[spec["kind"]][1]


def lower_is_better(spec: dict[str, Any]) -> bool:
    """Complaints: fewer is better; shares and survey measures: more is better."""
    return unit_of(spec) in ("count", "per_1000")


def describe(spec: dict[str, Any]) -> str:
    """The indicator in words, in the active language (the spec stays the stored truth)."""
    label = str(KINDS[spec["kind"]][0])
    if spec["kind"] == "survey":
        return f"{label}: {spec['survey']} · {spec['question']} · {spec['measure'].upper()}"
    if "days" in spec:
        label = label.replace("N", str(spec["days"]))
    parts = []
    if "category" in spec:
        name = Category.objects.filter(pk=spec["category"]).values_list("name", flat=True).first()
        parts.append(name or "?")
    parts += [str(Channel(spec["channel"]).label)] if "channel" in spec else []
    parts += [spec[k] for k in ("product", "segment") if k in spec]
    if "team" in spec:
        parts.append(
            Team.objects.filter(pk=spec["team"]).values_list("name", flat=True).first() or "?"
        )
    return f"{label} ({', '.join(parts)})" if parts else label


def _filters(spec: dict[str, Any], start: dt.date, end: dt.date) -> AnalysisFilters:
    return AnalysisFilters(
        start=start,
        end=end,
        category=spec.get("category"),
        product=spec.get("product", ""),
        channel=spec.get("channel", ""),
        team=spec.get("team"),
        segment=spec.get("segment", ""),
    )


def _share(met: int, n: int) -> Reading:
    if not n:
        return Reading(None, None, None, 0, "percent")
    low, high = stats.wilson_interval(met, n)
    return Reading(100.0 * met / n, 100.0 * low, 100.0 * high, n, "percent")


def _received(spec: dict[str, Any], start: dt.date, end: dt.date) -> Reading:
    n = Complaint.objects.filter(_filters(spec, start, end).query()).count()
    _rate, low, high = stats.poisson_rate_interval(np.array(n), np.array(1.0), per=1.0)
    return Reading(float(n), float(low), float(high), n, "count")


def _per_1000_orders(spec: dict[str, Any], start: dt.date, end: dt.date) -> Reading:
    """Over the months that have an order volume only (as the insights indicators do)."""
    volumes = dict(
        PeriodVolume.objects.filter(month__gte=start, month__lte=end, orders__gt=0).values_list(
            "month", "orders"
        )
    )
    if not volumes:
        return Reading(None, None, None, 0, "per_1000")
    months = Q()
    for month in volumes:
        months |= _filters(spec, month, month).query()
    counts = Complaint.objects.filter(months).count()
    orders = sum(v or 0 for v in volumes.values())
    rate, low, high = stats.poisson_rate_interval(np.array(counts), np.array(orders))
    return Reading(float(rate), float(low), float(high), counts, "per_1000")


def _ack_within_promise(spec: dict[str, Any], start: dt.date, end: dt.date) -> Reading:
    """Of the complaints received whose acknowledgement is decided (acknowledged, or its promised
    time has passed), the share acknowledged by the due time the promises gave the case."""
    now = timezone.now()
    decided = Q(acknowledged_at__isnull=False) | Q(acknowledgement_due_at__lt=now)
    row = Complaint.objects.filter(_filters(spec, start, end).query()).aggregate(
        n=Count("id", filter=decided),
        met=Count(
            "id",
            filter=Q(
                acknowledged_at__isnull=False,
                acknowledged_at__lte=F("acknowledgement_due_at"),
            ),
        ),
    )
    return _share(row["met"], row["n"])


def _ack_within_business_days(spec: dict[str, Any], start: dt.date, end: dt.date) -> Reading:
    """The same share against N business days on the organisation's default calendar."""
    now = timezone.now()
    calendar = calendar_default(organisation=organisation_get())
    n = met = 0
    rows = Complaint.objects.filter(_filters(spec, start, end).query()).values_list(
        "received_at", "acknowledged_at"
    )
    for received_at, acknowledged_at in rows.iterator(chunk_size=2000):
        due = deadline(calendar, received_at, spec["days"], Unit.BUSINESS_DAYS)
        assert due is not None  # no pauses
        if acknowledged_at is None and due >= now:
            continue  # still open: not decided yet
        n += 1
        met += acknowledged_at is not None and acknowledged_at <= due
    return _share(met, n)


def _closed_within_days(spec: dict[str, Any], start: dt.date, end: dt.date) -> Reading:
    """Of the complaints received whose outcome is decided (closed, or older than N days), the
    share closed within N calendar days of receipt."""
    now = timezone.now()
    limit = dt.timedelta(days=spec["days"])
    n = met = 0
    rows = Complaint.objects.filter(_filters(spec, start, end).query()).values_list(
        "received_at", "closed_at"
    )
    for received_at, closed_at in rows.iterator(chunk_size=2000):
        if closed_at is None and received_at + limit >= now:
            continue
        n += 1
        met += closed_at is not None and closed_at - received_at <= limit
    return _share(met, n)


def _survey(spec: dict[str, Any], start: dt.date, end: dt.date) -> Reading:
    """A scale question's CSAT (in per cent), mean or NPS over the period, as the satisfaction
    dashboard computes it (``insights.selectors.series``)."""
    series, _survey_info = survey_series(survey_key=spec["survey"])
    chosen = [s for s in series if s.code == spec["question"]]
    if not chosen:
        raise _fail("question", _("The survey has no scale question with this code."))
    s = chosen[0]
    measure = spec["measure"]
    if (measure == "nps") != (s.kind == "nps"):
        raise _fail("measure", _("This question does not have that measure."))
    filters = Filters.build(survey_key=spec["survey"], start=start, end=end)
    counts = total_counts([s], filters)[0]
    figs = pick(figures(s, counts, filters, None)[measure])
    scale = 100.0 if measure == "csat" else 1.0
    value, low, high = (_scaled(figs[k], scale) for k in ("value", "low", "high"))
    unit = "percent" if measure == "csat" else "score"
    return Reading(value, low, high, int(figs["n"] or 0), unit)


def _scaled(x: float | int | None, scale: float) -> float | None:
    return None if x is None else float(x) * scale


READERS = {
    "received": _received,
    "per_1000_orders": _per_1000_orders,
    "ack_within_promise": _ack_within_promise,
    "ack_within_business_days": _ack_within_business_days,
    "closed_within_days": _closed_within_days,
    "survey": _survey,
}


def indicator_value(*, spec: dict[str, Any], start: dt.date, end: dt.date) -> Reading:
    """The indicator over the months ``start``..``end`` (first days of months, inclusive)."""
    spec = spec_clean(spec)
    if start > end or len(months_between(start, end)) > 120:
        raise _fail("period", _("Invalid period."))
    return READERS[spec["kind"]](spec, start, end)


def meets(value: float | None, comparison: str, target: float) -> bool | None:
    """Whether a value meets its target (``ge``: at least, ``le``: at most); None without one."""
    if value is None:
        return None
    return value >= target if comparison == "ge" else value <= target
