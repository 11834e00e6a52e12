"""The analysis page's tables: the page shows them beside their charts and the CSV and XLSX
exports write the same rows (``plaint.insights.tables.Table``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from plaint.complaints.models import Channel
from plaint.core.quantiles import Quantile
from plaint.improvement.process import Process
from plaint.improvement.selectors import Analysis
from plaint.insights.tables import Table


def dimension_titles() -> dict[str, str]:
    return {
        "category": _("Complaints by category"),
        "cause": _("Complaints by root cause"),
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
        "cause": _("Root cause"),
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


def _days(q: Quantile) -> float | None:
    return None if q.value is None else round(q.value, 1)


def _r(x: float | None, scale: float = 1.0) -> float | None:
    return None if x is None else round(x * scale, 1)


def durations_table(process: Process) -> Table:
    table = Table(
        key="durations",
        title=_("Time to acknowledge and to resolve"),
        header=[
            _("Measure"),
            _("Complaints"),
            _("Median (days)"),
            _("Low"),
            _("High"),
            _("90th percentile (days)"),
            _("Low"),
            _("High"),
        ],
        note=_(
            "Over the complaints received in the period that were acknowledged (or closed). "
            "95% intervals, distribution-free (from the order statistics)."
        ),
    )
    for label, (p50, p90) in (
        (_("Time to acknowledge"), process.acknowledge),
        (_("Time to resolve"), process.resolve),
    ):
        table.rows.append(
            [
                label,
                p50.n,
                _days(p50),
                _r(p50.low),
                _r(p50.high),
                _days(p90),
                _r(p90.low),
                _r(p90.high),
            ]
        )
    return table


def promises_table(process: Process) -> Table:
    table = Table(
        key="promises",
        title=_("Promises kept and decisions accepted"),
        header=[_("Measure"), _("Decided"), _("Yes"), _("Share %"), _("Low"), _("High")],
        note=_(
            "95% Wilson intervals. A decision not accepted reopens the case for internal review."
        ),
    )
    for share in process.promises:
        table.rows.append(_share_row(share.label, share))
    reopened = process.reopened
    table.rows.append(_share_row(_("Decisions not accepted (reopened)"), reopened))
    return table


def _share_row(label: str, share) -> list:
    value = share.value
    return [
        label,
        share.n,
        share.successes,
        _r(value, 100),
        _r(share.low, 100),
        _r(share.high, 100),
    ]


def backlog_table(process: Process) -> Table:
    table = Table(
        key="backlog",
        title=_("Open complaints by age"),
        header=[_("Age in days"), _("Open complaints")],
        note=_("Complaints open now, whatever the period; the other filters apply."),
    )
    table.rows.extend([band, n] for band, n in process.backlog)
    return table


def load_table(process: Process) -> Table:
    table = Table(
        key="load",
        title=_("Open complaints per team and handler"),
        header=[_("Team or handler"), _("Open complaints")],
    )
    for name, n in process.teams:
        table.rows.append([_("Team: %(name)s") % {"name": name or _("(none)")}, n])
    for name, n in process.handlers:
        table.rows.append([_("Handler: %(name)s") % {"name": name or _("(unassigned)")}, n])
    return table
