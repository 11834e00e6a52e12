"""The dispute reports' tables and charts, built once from ``DisputeReport``: the page, the annual
report and its CSV, XLSX and PDF show the very same rows (server-rendered SVG charts)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from plaint.core.quantiles import Quantile
from plaint.disputes.lifecycle import Outcome, State
from plaint.disputes.selectors_dispute_reports import DisputeReport, Group, Share
from plaint.disputes.states import FeePayer, Method
from plaint.insights import charts
from plaint.insights.tables import Table

BARS = 10  # the largest providers drawn; the table lists every one


def _pct(x: float | None) -> float | None:
    return None if x is None else round(100 * x, 1)


def _days(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


def _share_cells(share: Share) -> list[Any]:
    low, high = share.interval or (None, None)
    return [share.successes, share.n, _pct(share.value), _pct(low), _pct(high)]


def outcome_label(key: str) -> str:
    if key in Outcome.values:
        return str(Outcome(key).label)
    return str(State(key).label) if key in State.values else key


def method_label(key: str) -> str:
    return str(Method(key).label) if key in Method.values else key


def short_label(key: str) -> str:
    """An outcome, exit or method in a word or two, for a chart's narrow label column."""
    short: dict[str, str] = {
        Outcome.SETTLED: _("Settled"),
        Outcome.NO_AGREEMENT: _("No agreement"),
        Outcome.RECOMMENDATION: _("Recommendation"),
        Outcome.UPHELD: _("Upheld"),
        Outcome.PARTLY_UPHELD: _("Partly upheld"),
        Outcome.NOT_UPHELD: _("Not upheld"),
        State.WITHDRAWN: _("Withdrawn"),
        State.OUT_OF_SCOPE: _("Out of scope"),
        Method.FACILITATIVE: _("Facilitative"),
        Method.ADVISORY: _("Advisory"),
        Method.DETERMINATIVE: _("Determinative"),
    }
    return short.get(key, key)


def shares_table(report: DisputeReport) -> Table:
    t = Table(
        "shares",
        _("Shares, with 95 % intervals"),
        [_("Measure"), _("Count"), _("Of"), _("Share (%)"), _("Low (%)"), _("High (%)")],
        note=_(
            "Upheld: determinative decisions that upheld the complaint fully or partly, of all "
            "determinative decisions given in the period. Compliance: obligations due in the "
            "period done by their due day. Wilson intervals."
        ),
    )
    t.rows = [[label, *_share_cells(share)] for label, share in _shares(report)]
    return t


def _group_table(key: str, title: str, first: str, groups: list[Group], label) -> Table:
    t = Table(
        key,
        title,
        [
            first,
            _("Received"),
            _("Ended"),
            _("Decisions"),
            _("Upheld"),
            _("Upheld (%)"),
            _("Low (%)"),
            _("High (%)"),
        ],
    )
    for g in groups:
        low, high = g.upheld.interval or (None, None)
        t.rows.append(
            [
                label(g),
                g.received,
                g.ended,
                g.upheld.n,
                g.upheld.successes,
                _pct(g.upheld.value),
                _pct(low),
                _pct(high),
            ]
        )
    return t


def providers_table(report: DisputeReport) -> Table:
    return _group_table(
        "providers",
        _("Disputes by provider"),
        _("Provider"),
        report.providers,
        lambda g: g.label,
    )


def methods_table(report: DisputeReport) -> Table:
    return _group_table(
        "methods",
        _("Disputes by method"),
        _("Method"),
        report.methods,
        lambda g: method_label(g.key),
    )


def outcomes_table(report: DisputeReport) -> Table:
    t = Table(
        "outcomes",
        _("How disputes ended"),
        [_("Outcome"), _("Disputes"), _("Binding on the organisation")],
        note=_(
            "Disputes whose outcome was given in the period, and those withdrawn or found out "
            "of scope in it."
        ),
    )
    t.rows = [[outcome_label(k), n, b] for k, n, b in report.outcomes]
    return t


def _quantile_cells(q: Quantile) -> list[Any]:
    return [_days(q.value), _days(q.low), _days(q.high)]


def durations_table(report: DisputeReport) -> Table:
    t = Table(
        "durations",
        _("How long disputes took (days)"),
        [
            _("From opening to"),
            _("Disputes"),
            _("Median (p50)"),
            _("p50 low"),
            _("p50 high"),
            "p90",
            _("p90 low"),
            _("p90 high"),
        ],
        note=_(
            "Calendar days, exact to the hour; 95 % distribution-free intervals (empty where "
            "too few disputes give none)."
        ),
    )
    for label, (p50, p90) in (
        (_("the outcome"), report.to_outcome),
        (_("the close"), report.to_close),
    ):
        t.rows.append([label, p50.n, *_quantile_cells(p50), *_quantile_cells(p90)])
    return t


def compliance_table(report: DisputeReport) -> Table:
    c = report.compliance
    low, high = c.interval or (None, None)
    t = Table(
        "compliance",
        _("Compliance with outcomes"),
        [
            _("Obligations due"),
            _("Done on time"),
            _("Done late"),
            _("Overdue, not done"),
            _("On time (%)"),
            _("Low (%)"),
            _("High (%)"),
        ],
    )
    t.rows = [[c.due, c.on_time, c.late, c.open_overdue, _pct(c.rate), _pct(low), _pct(high)]]
    return t


def costs_table(report: DisputeReport) -> Table:
    t = Table(
        "costs",
        _("Costs, per currency"),
        [_("What"), _("Currency"), _("Count"), _("Amount")],
        note=_(
            "Fees: the register's fee for each dispute received in the period, by who pays it. "
            "Owed: money the outcomes ask of the organisation, due in the period, and how much "
            "of it is paid. Amounts in different currencies are never added together."
        ),
    )
    for fee in report.fees:
        payer = str(FeePayer(fee.payer).label) if fee.payer in FeePayer.values else fee.payer
        t.rows.append(
            [_("Fees: %(payer)s") % {"payer": payer}, fee.currency, fee.disputes, fee.total]
        )
    for owed in report.owed:
        t.rows.append([_("Owed by outcomes"), owed.currency, owed.obligations, owed.total])
        t.rows.append([_("Owed by outcomes, paid"), owed.currency, owed.obligations, owed.done])
    return t


def report_tables(report: DisputeReport) -> dict[str, Table]:
    return {
        t.key: t
        for t in (
            shares_table(report),
            providers_table(report),
            methods_table(report),
            outcomes_table(report),
            durations_table(report),
            compliance_table(report),
            costs_table(report),
        )
    }


def _interval_row(label: str, value: float | None, low: float | None, high: float | None) -> dict:
    return {"label": label, "value": value or 0, "low": low, "high": high}


def report_charts(report: DisputeReport, rtl: bool) -> dict[str, SafeString | None]:
    """The charts beside the tables; None where there is nothing to draw."""
    found: dict[str, SafeString | None] = {"shares": None, "providers": None, "methods": None}
    found.update(outcomes=None, durations=None)
    shorter = [_("Became disputes"), _("Upheld"), _("Done on time")]
    shares = [(short, s) for short, (_label, s) in zip(shorter, _shares(report), strict=True)]
    if any(s.n for _l, s in shares):
        found["shares"] = charts.bar_chart(
            rows=[
                _interval_row(
                    label, _pct(s.value), *(_pct(x) for x in (s.interval or (None, None)))
                )
                for label, s in shares
                if s.n
            ],
            x_range=(0, 100),
            unit="%",
            title=_("Shares, with 95 % intervals"),
            hidden_label="",
            rtl=rtl,
        )
    found["providers"] = _counts(
        [(g.label, g.received) for g in report.providers[:BARS]],
        _("Disputes received, by provider"),
        rtl,
    )
    found["methods"] = _counts(
        [(short_label(g.key), g.received) for g in report.methods],
        _("Disputes received, by method"),
        rtl,
    )
    found["outcomes"] = _counts(
        [(short_label(k), n) for k, n, _b in report.outcomes], _("How disputes ended"), rtl
    )
    found["durations"] = _durations_chart(report, rtl)
    return found


def _shares(report: DisputeReport) -> Iterator[tuple[str, Share]]:
    yield _("Complaints that became disputes"), report.complaints
    yield _("Decisions that upheld the complaint"), report.upheld
    yield _("Obligations done on time"), Share(report.compliance.on_time, report.compliance.due)


def _counts(rows: list[tuple[str, int]], title: str, rtl: bool) -> SafeString | None:
    if not any(n for _l, n in rows):
        return None
    return charts.bar_chart(
        rows=[{"label": label, "value": n} for label, n in rows],
        x_range=(0, max(n for _l, n in rows)),
        unit="",
        title=title,
        hidden_label="",
        rtl=rtl,
    )


def _durations_chart(report: DisputeReport, rtl: bool) -> SafeString | None:
    rows = []
    for label, quantiles in (
        (_("To the outcome"), report.to_outcome),
        (_("To the close"), report.to_close),
    ):
        for q in quantiles:
            if q.value is not None:
                name = _("%(what)s, p%(q)d") % {"what": label, "q": round(100 * q.q)}
                rows.append(_interval_row(name, q.value, q.low, q.high))
    if not rows:
        return None
    top = max(max(r["value"], r["high"] or 0) for r in rows)
    return charts.bar_chart(
        rows=rows,
        x_range=(0, top or 1),
        unit="",
        title=_("Days from opening, with 95 % intervals"),
        hidden_label="",
        rtl=rtl,
    )
