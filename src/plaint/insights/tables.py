"""Every table the dashboard shows, built once from the selectors' results: the page renders
them and the CSV and XLSX exports write the very same rows."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from plaint.core.spreadsheets import spreadsheet_safe


@dataclass
class Table:
    key: str
    title: str
    header: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""


def _r(x, digits=1) -> Decimal | None:
    """``x`` to ``digits`` decimal places, kept as a Decimal so every row of a column shows
    the same places: "0.290" beside "0.203", where a rounded float would read "0.29". The
    page writes it with the language's decimal sign, the CSV as "0.290", the XLSX as a number.
    A value that rounds to zero is written without a minus sign."""
    if x is None:
        return None
    value = Decimal(f"{float(x):.{digits}f}")
    return abs(value) if value == 0 else value


def _pct(x, digits=1) -> Decimal | None:
    return None if x is None else _r(100 * float(x), digits)


def quadrant_labels() -> dict[str, str]:
    return {
        "concentrate": _("Concentrate here"),
        "keep_up": _("Keep up the good work"),
        "low_priority": _("Low priority"),
        "possible_overkill": _("Possible overkill"),
    }


def kind_labels() -> dict[str, str]:
    return {
        "rating": _("Rating"),
        "nps": _("NPS"),
        "ces": _("Customer effort"),
        "yesno": _("Yes or no"),
        "single": _("Single choice"),
    }


def option_measure(label: str) -> str:
    """The name of an option's share in the trend and segment tables."""
    return _("Chose “%(option)s” (%%)") % {"option": label}


def headline_name(kind: str) -> str:
    """The name of a question's headline figure: NPS for the 0-10 recommendation question, CES
    (the share of low-effort answers) for an effort question, CSAT for a satisfaction rating."""
    if kind == "nps":
        return "NPS"
    if kind == "ces":
        return _("CES, low effort (%)")
    if kind == "yesno":
        return _("Yes (%)")
    return _("CSAT (%)")


def _headline_long(kind: str) -> str:
    if kind == "nps":
        return _("NPS (points)")
    if kind == "ces":
        return _("CES, low-effort top-2 boxes (%)")
    if kind == "yesno":
        return _("Share answering yes (%)")
    return _("CSAT, top-2 boxes (%)")


_NO_MEAN = (None, None, None, None)


def _band(figure: dict, conv) -> list:
    """A figure's value, interval and margin, converted for display."""
    return [conv(figure[k]) for k in ("value", "low", "high", "moe")]


def measures_table(result: dict) -> Table:
    t = Table(
        "measures",
        _("Survey measures"),
        [
            _("Question"),
            _("Type"),
            _("Answers"),
            _("Headline"),
            _("Value"),
            _("Low"),
            _("High"),
            _("± margin"),
            _("Mean"),
            _("Mean low"),
            _("Mean high"),
            _("Mean ± margin"),
        ],
    )
    kinds = kind_labels()
    for q in result["questions"]:
        head = q.get("nps") or q.get("csat")
        is_nps = "nps" in q
        conv = _r if is_nps else _pct
        t.rows.append(
            [
                q["label"],
                kinds.get(q["kind"], q["kind"]),
                q["mean"]["n"],
                _headline_long(q["kind"]),
                *_band(head, conv),
                *_band(q["mean"], lambda x: _r(x, 2)),
            ]
        )
    idx = result.get("index")
    if idx and idx.get("value") is not None:
        t.rows.append(
            [
                _("Weighted satisfaction index (0-100)"),
                "",
                idx["n"],
                _("Index"),
                *_band(idx, _r),
                *_NO_MEAN,
            ]
        )
    rr = result.get("response_rate")
    if rr and rr.get("n"):
        t.rows.append(
            [
                _("Response rate (%)"),
                "",
                rr["sent"],
                _("Share"),
                *_band(rr, _pct),
                *_NO_MEAN,
            ]
        )
    return t


def choices_table(result: dict) -> Table | None:
    """Each option's share of the answers to each single-choice question (None: there is no
    single-choice question)."""
    if not result.get("choices"):
        return None
    t = Table(
        "choices",
        _("Single-choice questions"),
        [
            _("Question"),
            _("Option"),
            _("Answers"),
            _("Share (%)"),
            _("Low"),
            _("High"),
            _("± margin"),
        ],
        note=_("The share of the question's answers that chose each option, Wilson interval."),
    )
    for q in result["choices"]:
        for o in q["options"]:
            t.rows.append([q["label"], o["label"], q["n"], *_band(o["share"], _pct)])
    return t


def trend_table(result: dict) -> Table:
    t = Table(
        "trend",
        _("Monthly trend"),
        [
            _("Month"),
            _("Question"),
            _("Measure"),
            _("Value"),
            _("Low"),
            _("High"),
            _("Answers"),
            _("Mean"),
        ],
    )
    for q in result["questions"]:
        for p in q["points"]:
            head = p[q["measure"]]
            conv = _r if q["measure"] == "nps" else _pct
            t.rows.append(
                [
                    p["month"],
                    q["label"],
                    headline_name(q["kind"]),
                    conv(head["value"]),
                    conv(head["low"]),
                    conv(head["high"]),
                    head["n"],
                    _r(p["mean"]["value"], 2),
                ]
            )
    for q in result.get("choices", []):
        for p in q["points"]:
            for o in p["options"]:
                share = o["share"]
                t.rows.append(
                    [
                        p["month"],
                        q["label"],
                        option_measure(o["label"]),
                        _pct(share["value"]),
                        _pct(share["low"]),
                        _pct(share["high"]),
                        p["n"],
                        None,
                    ]
                )
    return t


def segments_table(result: dict) -> Table:
    t = Table(
        "segments",
        _("Segments"),
        [
            _("Segment"),
            _("Question"),
            _("Answers"),
            _("Measure"),
            _("Value"),
            _("Low"),
            _("High"),
            _("Mean"),
            _("Hidden"),
        ],
        note=_("Cells with fewer than %(n)d answers are hidden.") % {"n": result["min_count"]},
    )
    for r in result["rows"]:
        head = r[r["measure"]]
        conv = _r if r["measure"] == "nps" else _pct
        t.rows.append(
            [
                r["segment_label"],
                r["label"],
                r["n"],
                headline_name(r["kind"]),
                None if head is None else conv(head["value"]),
                None if head is None else conv(head["low"]),
                None if head is None else conv(head["high"]),
                None if r["mean"] is None else _r(r["mean"]["value"], 2),
                _("yes") if r["suppressed"] else "",
            ]
        )
    for r in result.get("choice_rows", []):
        hidden = [None] * 3
        for o in r["options"] or [{"label": "", "share": None}]:
            band = hidden if o["share"] is None else _band(o["share"], _pct)[:3]
            t.rows.append(
                [
                    r["segment_label"],
                    r["label"],
                    r["n"],
                    option_measure(o["label"]) if o["label"] else kind_labels()["single"],
                    *band,
                    None,
                    _("yes") if r["suppressed"] else "",
                ]
            )
    return t


def importance_table(result: dict) -> Table:
    labels = quadrant_labels()
    t = Table(
        "importance",
        _("Importance and performance"),
        [
            _("Attribute"),
            _("Question"),
            _("Importance"),
            _("Performance (0-100)"),
            _("Answers"),
            _("Quadrant"),
        ],
        note=result.get("note", ""),
    )
    for a in result["attributes"]:
        t.rows.append(
            [
                a["attribute"],
                a["label"],
                _r(a["importance"], 3),
                _r(a["performance"]),
                a["n"],
                labels.get(a["quadrant"], ""),
            ]
        )
    return t


def reliability_table(result: dict) -> Table | None:
    """Cronbach's alpha of the attribute questions (its first row) and each question's part."""
    rel = result.get("reliability")
    if rel is None:
        return None
    t = Table(
        "reliability",
        _("Reliability of the attribute questions"),
        [
            _("Attribute"),
            _("Question"),
            _("Cronbach's alpha"),
            _("Interval, low"),
            _("Interval, high"),
            _("Item-total r"),
            _("Alpha without this question"),
            _("Responses"),
        ],
        note=rel["note"]
        or _(
            "Alpha with its Feldt interval at %(confidence)s %%; the item-total r of a question "
            "is its correlation with the sum of the others."
        )
        % {"confidence": _r(100 * rel["confidence"], 0)},
    )
    t.rows.append(
        [
            _("All attribute questions"),
            _("%(k)d questions") % {"k": rel["k"]},
            _r(rel["alpha"], 3),
            _r(rel["low"], 3),
            _r(rel["high"], 3),
            None,
            None,
            rel["n"],
        ]
    )
    for item in rel["items"]:
        t.rows.append(
            [
                item["attribute"],
                item["label"],
                None,
                None,
                None,
                _r(item["item_total_r"], 3),
                _r(item["alpha_if_deleted"], 3),
                None,
            ]
        )
    return t


def indicators_table(result: dict) -> Table:
    t = Table(
        "indicators",
        _("Indirect indicators"),
        [
            _("Month"),
            _("Complaints"),
            _("Orders"),
            _("Customers"),
            _("Per 1,000 orders"),
            _("Per 1,000 customers"),
            _("Repeat complainants (%)"),
            _("About the process (%)"),
            _("Closed"),
            _("Days to resolve, p50"),
            _("Days to resolve, p90"),
        ],
    )
    for m in result["months"]:
        t.rows.append(
            [
                m["month"],
                m["complaints"],
                m["orders"],
                m["customers"],
                _r(m["per_1000_orders"], 2),
                _r(m["per_1000_customers"], 2),
                _pct(m["repeat_rate"]),
                _pct(m["about_process_share"]),
                m["closed"],
                _r(m["resolve_p50_days"]),
                _r(m["resolve_p90_days"]),
            ]
        )
    return t


def comparison_table(result: dict) -> Table:
    t = Table(
        "comparison",
        _("Comparison"),
        [
            _("Measure"),
            _("Group A"),
            _("Group B"),
            _("B minus A"),
            _("Low"),
            _("High"),
            _("Test"),
            _("Statistic"),
            _("p-value"),
            _("Effect size"),
            _("Answers A"),
            _("Answers B"),
        ],
    )
    for key, name, conv in (
        ("csat", _("CSAT (%)"), _pct),
        ("nps", _("NPS (points)"), _r),
        ("mean", _("Mean score"), lambda x: _r(x, 3)),
    ):
        c = result.get(key)
        if not c:
            continue
        effect = "" if c["effect_size"] is None else f"{c['effect_name']} = {c['effect_size']:.3f}"
        t.rows.append(
            [
                name,
                conv(c["a"]),
                conv(c["b"]),
                conv(c["difference"]),
                conv(c["low"]),
                conv(c["high"]),
                {"z": _("z-test"), "welch_t": _("Welch t-test")}.get(c["test"], c["test"]),
                _r(c["statistic"], 3),
                None if c["p_value"] is None else round(c["p_value"], 4),
                effect,
                c["n_a"],
                c["n_b"],
            ]
        )
    return t


def plan_table(plan: dict) -> Table:
    t = Table("plan", _("Sample-size plan"), [_("Figure"), _("Value")])
    t.rows = [
        [_("Margin of error (± points)"), _pct(plan["margin"], 2)],
        [_("Confidence (%)"), _pct(plan["confidence"])],
        [_("Population"), plan["population"] or _("not given (infinite)")],
        [_("Expected proportion (%)"), _pct(plan["proportion"])],
        [_("Responses needed, infinite population"), plan["responses_infinite"]],
        [_("Responses needed"), plan["responses"]],
        [_("Response rate used (%)"), _pct(plan["response_rate"])],
        [_("Invitations to send"), plan["invitations"]],
    ]
    return t


# --------------------------------------------------------------------------------- writers


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow(["" if v is None else spreadsheet_safe(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.writer.excel import save_workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=table.key[:31])
    ws.append(table.header)
    for row in table.rows:
        ws.append([spreadsheet_safe(v) for v in row])
    out = io.BytesIO()
    save_workbook(wb, out)
    return out.getvalue()
