"""The analysis page's charts, built from the selectors' results (server-rendered SVG): the page
and the management-review pack draw the same pictures with these functions."""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from plaint.improvement import tables
from plaint.improvement.process import Process
from plaint.improvement.selectors import Analysis
from plaint.insights import charts

PARETO_BARS = 10  # the largest items drawn; the table lists every one


def pareto_chart(result: Analysis, dimension: str, rtl: bool) -> SafeString | None:
    rows = result.pareto.get(dimension, [])[:PARETO_BARS]
    if not rows:
        return None
    top = max(share for _k, _c, share, _cum in rows)
    return charts.bar_chart(
        rows=[
            {"label": tables.dimension_label(dimension, key), "value": 100 * share}
            for key, _count, share, _cum in rows
        ],
        x_range=(0, 100 * top),
        unit="%",
        title=tables.dimension_titles()[dimension],
        hidden_label="",
        rtl=rtl,
    )


def control_chart(result: Analysis, rtl: bool) -> SafeString | None:
    chart = result.chart
    if chart is None:
        return None
    present = [v for v in chart.values + chart.upper if v is not None]
    return charts.trend_chart(
        months=[f"{m:%Y-%m}" for m in result.months],
        values=chart.values,
        lows=chart.lower,
        highs=chart.upper,
        y_range=(0, max(present) if present else 1),
        unit="",
        title=_("Complaints per 1,000 orders, with control limits")
        if result.per_thousand
        else _("Complaints per month, with control limits"),
        rtl=rtl,
        centre=chart.centre,
        marked=[bool(f) for f in chart.flags],
    )


def process_charts(process: Process, rtl: bool) -> dict[str, SafeString | None]:
    shares = [s for s in [*process.promises, process.reopened] if s.n]
    promises = None
    if shares:
        promises = charts.bar_chart(
            rows=[
                {
                    "label": s.label or _("Decisions not accepted (reopened)"),
                    "value": 100 * (s.value or 0),
                    "low": None if s.low is None else 100 * s.low,
                    "high": None if s.high is None else 100 * s.high,
                }
                for s in shares
            ],
            x_range=(0, 100),
            unit="%",
            title=_("Promises kept and decisions accepted"),
            hidden_label="",
            rtl=rtl,
        )
    backlog = None
    if any(n for _band, n in process.backlog):
        backlog = charts.bar_chart(
            rows=[{"label": band, "value": n} for band, n in process.backlog],
            x_range=(0, max(n for _band, n in process.backlog)),
            unit="",
            title=_("Open complaints by age (days)"),
            hidden_label="",
            rtl=rtl,
        )
    return {"promises": promises, "backlog": backlog}
