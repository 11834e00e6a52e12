"""The management-review pack (ISO 10002:2018 8.6; ISO 9001:2015 9.3.2): one section per input,
each a function that reads through the existing selectors and returns its tables (the figures)
and its charts (the same SVG as the analysis, satisfaction and promises pages).

Adding an input is adding one function here::

    @pack_section(order=55)
    def audits(ctx: PackContext) -> Section:
        return Section("audits", _("Audit results"), tables=[...], charts=[...])

``build_pack`` runs every section in order, in the active language, and returns the figures
(JSON) and the rendered sections (HTML); the service stores both as the frozen pack."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader
from plaint.core.locales import text_in
from plaint.disputes.lifecycle import Outcome as DisputeOutcome
from plaint.improvement import charts as analysis_charts
from plaint.improvement import indicators, selectors_review, tables
from plaint.improvement.models import ManagementReview
from plaint.improvement.process import Process, process_figures
from plaint.improvement.selectors import DIMENSIONS, Analysis, AnalysisFilters, complaint_analysis
from plaint.improvement.selectors_audit import audit_summary
from plaint.improvement.selectors_corrective import objective_list
from plaint.improvement.selectors_training import Status as TrainingStatus
from plaint.improvement.selectors_training import competence_due
from plaint.improvement.states import State as CaState
from plaint.improvement.states_audit import FindingKind
from plaint.insights import charts, selectors
from plaint.insights import tables as insights_tables
from plaint.insights.selectors.filters import add_months
from plaint.insights.tables import Table


def _short(day: dt.date | None) -> str:
    """A day in one of the pack's tables, as the pack's language writes it ("3 Dec 2026",
    "03.12.2026"; docs/translating.md); "" for none."""
    return date_format(day, "SHORT_DATE_FORMAT") if day else ""


def _number(cell: Any) -> Any:
    """A table cell for the pack's figures (JSON): a figure kept to its decimal places
    (``insights.tables``, a Decimal) as a JSON number, like the other figures."""
    return float(cell) if isinstance(cell, Decimal) else cell


@dataclass
class Section:
    key: str
    title: str
    intro: str = ""
    tables: list[Table] = field(default_factory=list)
    charts: list[SafeString] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)  # (heading, what staff wrote)

    def figures(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "texts": [list(t) for t in self.texts],
            "tables": [
                {
                    "key": t.key,
                    "title": t.title,
                    "header": t.header,
                    "rows": [[_number(cell) for cell in row] for row in t.rows],
                    "note": t.note,
                }
                for t in self.tables
            ],
        }


@dataclass
class PackContext:
    """What every section reads: the review, its period, who builds it, and results that two
    sections share (computed once)."""

    review: ManagementReview
    actor: Reader
    now: dt.datetime
    rtl: bool
    language: str
    shared: dict[str, Any] = field(default_factory=dict)

    @property
    def filters(self) -> AnalysisFilters:
        return AnalysisFilters(start=self.review.period_start, end=self.review.period_end)

    def analysis(self) -> Analysis:
        if "analysis" not in self.shared:
            self.shared["analysis"] = complaint_analysis(self.filters)
        result: Analysis = self.shared["analysis"]
        return result

    def process(self) -> Process:
        if "process" not in self.shared:
            self.shared["process"] = process_figures(self.filters, now=self.now)
        result: Process = self.shared["process"]
        return result


SectionBuilder = Callable[[PackContext], Section]
SECTIONS: list[tuple[int, SectionBuilder]] = []


def pack_section(*, order: int) -> Callable[[SectionBuilder], SectionBuilder]:
    """Register a section of the pack; sections appear by ``order``."""

    def register(builder: SectionBuilder) -> SectionBuilder:
        SECTIONS.append((order, builder))
        SECTIONS.sort(key=lambda pair: pair[0])
        return builder

    return register


# --------------------------------------------------------------------------------- sections


@pack_section(order=10)
def complaints(ctx: PackContext) -> Section:
    """ISO 10002 8.6 a)-c): the complaints, their rate and where they come from."""
    result, process = ctx.analysis(), ctx.process()
    section = Section(
        "complaints",
        _("Complaints and their analysis"),
        intro=_("Complaints received in the period: %(n)s.") % {"n": result.total},
    )
    control = analysis_charts.control_chart(result, ctx.rtl)
    section.charts += [control] if control else []
    section.tables.append(tables.control_table(result))
    for dimension in DIMENSIONS:
        chart = analysis_charts.pareto_chart(result, dimension, ctx.rtl)
        section.charts += [chart] if chart else []
        section.tables.append(_top(tables.pareto_table(result, dimension)))
    section.tables.append(tables.durations_table(process))
    return section


@pack_section(order=20)
def objectives(ctx: PackContext) -> Section:
    """ISO 9001 9.3.2 c) 2: the objectives whose period overlaps the review's, each against its
    target over its own period, with its interval."""
    section = Section("objectives", _("Performance against objectives"))
    table = Table(
        key="objectives",
        title=_("Objectives"),
        header=[
            _("Objective"),
            _("Indicator"),
            _("Target"),
            _("Actual"),
            _("Low"),
            _("High"),
            _("Cases or answers"),
            _("Met"),
        ],
        note=_("Each over its own period; 95% intervals."),
    )
    period = (ctx.review.period_start, ctx.review.period_end)
    for row in objective_list(actor=ctx.actor, overlapping=period):
        o, r = row.objective, row.reading
        met = "" if row.met is None else (_("Yes") if row.met else _("No"))
        table.rows.append(
            [
                o.name,
                row.description,
                f"{'≥' if o.comparison == 'ge' else '≤'} {o.target:g}",
                _round(r.value),
                _round(r.low),
                _round(r.high),
                r.n,
                met,
            ]
        )
    section.tables.append(table)
    return section


@pack_section(order=30)
def satisfaction(ctx: PackContext) -> Section:
    """ISO 9001 9.3.2 c) 1, ISO 10004: each survey's measures over the period with intervals and
    margins, and the monthly trend of each scale question."""
    section = Section("satisfaction", _("Customer satisfaction"))
    for survey in selectors.survey_choices(actor=ctx.actor):
        base = selectors.Filters.build(
            survey_key=survey["key"], start=ctx.review.period_start, end=ctx.review.period_end
        )
        filters = selectors.with_default_population(base)
        result = selectors.measures(actor=ctx.actor, filters=filters, language=ctx.language)
        table = insights_tables.measures_table(result)
        title = text_in(survey["title"] or {}, ctx.language) or survey["key"]
        table.key, table.title = f"measures-{survey['key']}", f"{table.title}: {title}"
        section.tables.append(table)
        trend = selectors.trends(actor=ctx.actor, filters=filters, language=ctx.language)
        section.charts += charts.survey_trend_charts(trend, ctx.rtl)
    if not section.tables:
        section.intro = _("No surveys.")
    return section


@pack_section(order=40)
def promises(ctx: PackContext) -> Section:
    """ISO 10001: the share of each promise kept over the period's complaints, with intervals."""
    process = ctx.process()
    section = Section("promises", _("Promise fulfilment"))
    chart = analysis_charts.process_charts(process, ctx.rtl)["promises"]
    section.charts += [chart] if chart else []
    section.tables.append(tables.promises_table(process))
    return section


@pack_section(order=50)
def disputes(ctx: PackContext) -> Section:
    """ISO 10003: complaints referred to external dispute resolution and the outcomes."""
    figures = selectors_review.dispute_figures(
        start=ctx.review.period_start, end=ctx.review.period_end
    )
    section = Section(
        "disputes",
        _("Disputes and their outcomes"),
        intro=_(
            "Disputes opened in the period: %(referred)s; disputes that ended in the period "
            "with an outcome: %(decided)s."
        )
        % {"referred": figures.referred, "decided": figures.decided},
    )
    if figures.compliance is not None and figures.compliance.due:
        c = figures.compliance
        low, high = c.interval or (0.0, 0.0)
        section.tables.append(
            Table(
                key="dispute-compliance",
                title=_("Compliance with dispute outcomes"),
                header=[
                    _("Obligations due"),
                    _("Done on time"),
                    _("Share (95 % interval)"),
                    _("Done late"),
                    _("Overdue, not done"),
                ],
                rows=[
                    [
                        c.due,
                        c.on_time,
                        f"{100 * (c.rate or 0):.0f} % ({100 * low:.0f}\N{EN DASH}{100 * high:.0f} %)",
                        c.late,
                        c.open_overdue,
                    ]
                ],
            )
        )
    labels = dict(DisputeOutcome.choices)
    table = Table(
        key="disputes",
        title=_("Dispute outcomes"),
        header=[_("Outcome"), _("Disputes"), _("Binding")],
    )
    for outcome, n, binding in figures.outcomes:
        table.rows.append([str(labels.get(outcome, outcome)), n, binding])
    if figures.outcomes:
        section.charts.append(
            charts.bar_chart(
                rows=[{"label": row[0], "value": row[1]} for row in table.rows],
                x_range=(0, max(n for _o, n, _b in figures.outcomes)),
                unit="",
                title=_("Dispute outcomes"),
                hidden_label="",
                rtl=ctx.rtl,
            )
        )
    section.tables.append(table)
    return section


@pack_section(order=60)
def audits(ctx: PackContext) -> Section:
    """ISO 10002 8.5, ISO 9001 9.3.2 c) 6: the internal audits reported in the period, their
    findings by kind, and the nonconformities whose corrective action is not closed."""
    summary = audit_summary(
        ctx.review.period_start, add_months(ctx.review.period_end, 1) - dt.timedelta(days=1)
    )
    section = Section(
        "audits",
        _("Internal audit results"),
        intro=_("Internal audits reported in the period: %(n)s.") % {"n": summary.held},
    )
    kinds = dict(FindingKind.choices)
    held = Table(
        key="audits",
        title=_("Audits reported in the period"),
        header=[_("Audit"), _("Reported on"), *[str(label) for label in kinds.values()]],
    )
    for line in summary.audits:
        held.rows.append(
            [
                line.reference,
                _short(line.reported_on),
                *[line.findings.get(k, 0) for k in kinds],
            ]
        )
    open_nc = Table(
        key="audit-nonconformities",
        title=_("Nonconformities whose corrective action is not closed"),
        header=[_("Finding"), _("Audit"), _("Corrective action"), _("State")],
    )
    for nc in summary.open_nonconformities:
        # references only: the frozen pack is not rewritten when erasure redacts a statement
        open_nc.rows.append(
            [
                nc.reference,
                nc.audit_reference,
                nc.corrective_action or _("none opened"),
                nc.corrective_action_state,
            ]
        )
    if any(summary.findings_by_kind.values()):
        section.charts.append(
            charts.bar_chart(
                rows=[
                    {"label": str(kinds[k]), "value": summary.findings_by_kind.get(k, 0)}
                    for k in kinds
                ],
                x_range=(0, max(summary.findings_by_kind.values())),
                unit="",
                title=_("Findings by kind"),
                hidden_label="",
                rtl=ctx.rtl,
            )
        )
    section.tables += [held, open_nc]
    return section


@pack_section(order=70)
def corrective(ctx: PackContext) -> Section:
    """ISO 9001 9.3.2 c) 4 and 10.2: corrective actions by state and the effectiveness checks
    run in the period."""
    figures = selectors_review.corrective_figures(
        start=ctx.review.period_start, end=ctx.review.period_end
    )
    section = Section(
        "corrective",
        _("Corrective actions: status and effectiveness"),
        intro=_("Corrective actions opened in the period: %(n)s.") % {"n": figures.opened},
    )
    states = Table(
        key="corrective-states",
        title=_("Corrective actions by state (now)"),
        header=[_("State"), _("Corrective actions")],
    )
    states.rows = [[str(CaState(s).label), n] for s, n in figures.by_state]
    if figures.by_state:
        section.charts.append(
            charts.bar_chart(
                rows=[{"label": label, "value": n} for label, n in states.rows],
                x_range=(0, max(n for _s, n in figures.by_state)),
                unit="",
                title=_("Corrective actions by state (now)"),
                hidden_label="",
                rtl=ctx.rtl,
            )
        )
    checked = Table(
        key="corrective-checks",
        title=_("Effectiveness checks in the period"),
        header=[
            _("Corrective action"),
            _("Indicator"),
            _("Baseline"),
            _("After the actions"),
            _("Effective"),
        ],
    )
    for ca in figures.checked:
        checked.rows.append(
            [
                ca.reference,  # not its title: erasure redacts titles, the pack is frozen
                indicators.describe(ca.indicator),
                _round(ca.baseline.get("value")),
                _round(ca.check_result.get("value")),
                _("Yes") if ca.effective else _("No"),
            ]
        )
    section.tables += [states, checked]
    return section


@pack_section(order=80)
def competence(ctx: PackContext) -> Section:
    """ISO 10002 6.4, ISO 9001 7.2 and 9.3.2 e): staff competence, as of the end of the period
    (or today, for a period not yet over): who is expired, never trained or due on a course their
    role requires."""
    last = add_months(ctx.review.period_end, 1) - dt.timedelta(days=1)
    on = min(last, ctx.now.date())
    summary = competence_due(on)
    labels = dict(TrainingStatus.choices)
    section = Section(
        "competence",
        _("Staff competence"),
        intro=_(
            "On %(day)s: %(people)s people with required courses, %(pairs)s required courses "
            "in all."
        )
        % {
            "day": date_format(on, "DATE_FORMAT"),
            "people": summary.people,
            "pairs": summary.required,
        },
    )
    counts = Table(
        key="competence",
        title=_("Required courses by status"),
        header=[_("Status"), _("Courses")],
        rows=[[str(labels[k]), summary.counts.get(k, 0)] for k in labels],
    )
    due = Table(
        key="competence-due",
        title=_("Who needs training"),
        header=[_("Person"), _("Course"), _("Status"), _("Valid until")],
        rows=[
            [
                row.person.get_username(),
                row.course.name,
                str(labels[row.status]),
                _short(row.valid_until),
            ]
            for row in summary.attention
        ],
    )
    section.tables += [counts, due]
    return section


@pack_section(order=90)
def changes(ctx: PackContext) -> Section:
    """ISO 9001 9.3.2 b): changes that bear on the system, as written for this review, and the
    follow-up of earlier reviews' actions (9.3.2 a)."""
    review = ctx.review
    section = Section("changes", _("Changes and earlier actions"))
    for heading, text in (
        (_("Regulation"), review.changes_regulation),
        (_("Products and services"), review.changes_products),
        (_("Organisation"), review.changes_organisation),
    ):
        section.texts.append((heading, text or _("None recorded.")))
    earlier = Table(
        key="earlier-actions",
        title=_("Actions of earlier reviews"),
        header=[_("Review"), _("Action"), _("Owner"), _("Due on"), _("Done")],
    )
    for a in selectors_review.earlier_review_actions(review=review):
        earlier.rows.append(
            [
                a.review.reference,
                a.description,
                a.owner.get_username(),
                _short(a.due_on),
                _short(a.done_at.date()) if a.done_at else _("Not yet"),
            ]
        )
    section.tables.append(earlier)
    return section


PARETO_ROWS = 20  # a Pareto's largest items in the pack; the rest in one row


def _top(table: Table) -> Table:
    """The largest ``PARETO_ROWS`` items of a Pareto table and one row for all the others (a
    long tail of products would fill pages; the analysis page lists every one)."""
    if len(table.rows) <= PARETO_ROWS + 1:
        return table
    rest = table.rows[PARETO_ROWS:]
    share = round(sum(r[2] for r in rest), 1)
    others = _("All %(n)s others") % {"n": len(rest)}
    table.rows = [*table.rows[:PARETO_ROWS], [others, sum(r[1] for r in rest), share, 100.0]]
    return table


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


# ------------------------------------------------------------------------------------ build


@dataclass
class Pack:
    figures: dict[str, Any]
    html: str
    language: str


def build_pack(*, review: ManagementReview, actor: Reader, now: dt.datetime | None = None) -> Pack:
    """Every section in the active language: the figures (JSON-safe) and the rendered HTML."""
    now = now or dt.datetime.now(tz=dt.UTC)
    language = (get_language() or "en").split("-")[0]
    ctx = PackContext(review, actor, now, get_language_bidi(), language)
    sections = [builder(ctx) for _order, builder in SECTIONS]
    figures = {
        "period": [f"{review.period_start:%Y-%m}", f"{review.period_end:%Y-%m}"],
        "language": language,
        "built_at": now.isoformat(),
        "sections": [s.figures() for s in sections],
    }
    html = render_to_string("improvement/_review_pack.html", {"sections": sections})
    return Pack(json.loads(json.dumps(figures, cls=DjangoJSONEncoder)), html, language)
