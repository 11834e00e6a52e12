"""The analysis page's tables: the page shows them beside their charts and the CSV and XLSX
exports write the same rows (``plaint.insights.tables.Table``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from plaint.complaints.models import Channel
from plaint.improvement.selectors import Analysis
from plaint.insights.tables import Table


def dimension_titles() -> dict[str, str]:
    return {
        "category": _("Complaints by category"),
        "product": _("Complaints by product"),
        "channel": _("Complaints by channel"),
    }


def dimension_label(dimension: str, key: str) -> str:
    if dimension == "channel":
        return str(dict(Channel.choices).get(key, key))
    return key or _("(none)")


def pareto_table(result: Analysis, dimension: str) -> Table:
    header = {
        "category": _("Category"),
        "product": _("Product"),
        "channel": _("Channel"),
    }[dimension]
    table = Table(
        key=f"pareto-{dimension}",
        title=dimension_titles()[dimension],
        header=[header, _("Complaints"), _("Share %"), _("Cumulative %")],
    )
    for key, count, share, cumulative in result.pareto.get(dimension, []):
        table.rows.append(
            [
                dimension_label(dimension, key),
                count,
                round(100 * share, 1),
                round(100 * cumulative, 1),
            ]
        )
    return table


def control_table(result: Analysis) -> Table:
    rate = _("Per 1,000 orders") if result.per_thousand else _("Complaints")
    table = Table(
        key="control-chart",
        title=_("Monthly complaint rate against its control limits"),
        header=[
            _("Month"),
            _("Complaints"),
            _("Orders"),
            rate,
            _("Lower limit"),
            _("Upper limit"),
            _("Run rules broken"),
        ],
        note=rule_note(),
    )
    chart = result.chart
    for i, month in enumerate(result.months):
        value = lower = upper = None
        flags = ""
        if chart is not None:
            value, lower, upper = chart.values[i], chart.lower[i], chart.upper[i]
            flags = ", ".join(str(r) for r in chart.flags[i])
        table.rows.append(
            [
                f"{month:%Y-%m}",
                result.received[i],
                result.orders[i] if result.orders else None,
                _round(value),
                _round(lower),
                _round(upper),
                flags,
            ]
        )
    return table


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def rule_note() -> str:
    return _(
        "Run rules: 1 one month beyond 3 sigma; 2 two of three months beyond 2 sigma on one side; "
        "3 four of five months beyond 1 sigma on one side; 4 eight months in a row on one side of "
        "the centre line; 5 six months in a row rising or falling."
    )
