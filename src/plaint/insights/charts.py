"""Server-rendered SVG charts: a monthly trend with its interval band, the importance-performance
scatter with its quadrants, and segment bars with interval whiskers.

Every text goes through ``html.escape``; numbers are formatted here, never taken from input. For a
right-to-left page the horizontal axis is mirrored (time and bars run from the right) and text
carries ``direction="rtl"``, so the picture reads the same way as the page around it. The same
string goes into the page and, later, into a PDF.

Each chart comes as a pair of renderings (``plaint.core.charts.pair``): a wide one and a narrow
one with fewer ticks and labels, so text stays at 12-14 px on a desktop and on a phone. Tick values
are nice numbers (1, 2 or 5 times 10^k) with the decimals their step needs; labels that would collide
are moved, shortened or, in the scatter, replaced by a number explained in a legend.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape

from django.utils.safestring import SafeString

from plaint.core.charts import (
    SMALL,
    TEXT,
    TITLE,
    fit,
    format_tick,
    nice_ticks,
    pair,
    text_width,
    wrap,
)
from plaint.insights.placement import Box, place_labels
from plaint.insights.tables import headline_name

COLORS = {"line": "#0b5cad", "band": "#0b5cad", "grid": "#c9ced6", "ink": "#1b1f24"}
MUTED = "#4f5864"
ALERT = "#b3261e"  # a month that breaks a control chart's run rule
LINE_H = 18  # a line of title or legend text, in user units
PAD_END, PAD_BOTTOM = 20, 34


def _fmt(x: float, digits: int = 0) -> str:
    """A figure in a chart's text, as the page's language writes numbers (``format_tick``)."""
    return format_tick(x, digits)


class _Frame:
    """Maps data to SVG coordinates in the plot area ``left..right`` by ``top..bottom``; mirrors
    x for right-to-left (the value axis then stands on the right)."""

    def __init__(self, x_span, y_span, box: tuple[float, float, float, float], rtl: bool):
        (self.x0, self.x1), (self.y0, self.y1), self.rtl = x_span, y_span, rtl
        self.left, self.top, self.right, self.bottom = box

    def x(self, v: float) -> float:
        t = 0.5 if self.x1 == self.x0 else (v - self.x0) / (self.x1 - self.x0)
        if self.rtl:
            t = 1 - t
        return self.left + t * (self.right - self.left)

    def y(self, v: float) -> float:
        t = 0.5 if self.y1 == self.y0 else (v - self.y0) / (self.y1 - self.y0)
        return self.bottom - t * (self.bottom - self.top)

    @property
    def axis_x(self) -> float:
        """Where the value axis (y) stands: on the start side."""
        return self.right if self.rtl else self.left


def _text(x, y, s, *, anchor="middle", size=TEXT, rtl=False, weight="normal", fill=None) -> str:
    # Numbers and dates are set left-to-right even on a right-to-left page ("-0.2", not "0.2-").
    direction = f' direction="{"rtl" if rtl else "ltr"}"'
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"'
        f' font-weight="{weight}" fill="{fill or COLORS["ink"]}"{direction}>{escape(str(s))}</text>'
    )


def _svg(body: list[str], title: str, desc: str, w: float, h: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0f} {h:.0f}" role="img"'
        f' class="chart" font-family="system-ui, sans-serif">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>" + "".join(body) + "</svg>"
    )


def _title(title: str, width: float, rtl: bool) -> tuple[list[str], float]:
    """The title, wrapped to the width, and the height it takes."""
    lines = wrap(title, width - 16, TITLE)
    body = [
        _text(width / 2, LINE_H * (i + 1) - 2, line, size=TITLE, weight="bold", rtl=rtl)
        for i, line in enumerate(lines)
    ]
    return body, LINE_H * len(lines)


def _value_axis(frame: _Frame, ticks: list[float], decimals: int, unit: str) -> list[str]:
    """Grid lines at the ticks and their numbers outside the axis (numbers stay left-to-right,
    so a minus sign does not move)."""
    out = []
    for v in ticks:
        y = frame.y(v)
        out.append(
            f'<line x1="{frame.left:.1f}" x2="{frame.right:.1f}" y1="{y:.1f}" y2="{y:.1f}"'
            f' stroke="{COLORS["grid"]}" stroke-width="1"/>'
        )
        x = frame.axis_x + (6 if frame.rtl else -6)
        label = f"{format_tick(v, decimals)}{unit}"
        out.append(_text(x, y + 4, label, anchor="start" if frame.rtl else "end", size=SMALL))
    return out


def _tick_width(ticks: list[float], decimals: int, unit: str) -> float:
    return max(text_width(f"{format_tick(v, decimals)}{unit}", SMALL) for v in ticks) + 12


def trend_chart(
    *,
    months: list[str],
    values: list[float | None],
    lows: list[float | None],
    highs: list[float | None],
    y_range: tuple[float, float],
    unit: str,
    title: str,
    rtl: bool = False,
    centre: float | None = None,
    marked: list[bool] | None = None,
) -> SafeString:
    """A line of monthly values with a band for their intervals; months without data are gaps.
    The value axis runs over nice ticks covering ``y_range``. A control chart adds its centre line
    (dashed) and rings the months in ``marked`` (those that break a run rule)."""

    def render(width: int) -> str:
        control = (centre, marked or [])
        return _trend(months, values, lows, highs, y_range, unit, title, rtl, width, control)

    return pair(render)


def _trend(months, values, lows, highs, y_range, unit, title, rtl, width, control) -> str:
    ticks, decimals = nice_ticks(y_range[0], y_range[1], count=5 if width > 400 else 4)
    month_w = max((text_width(m, SMALL) for m in months), default=0)
    start = max(_tick_width(ticks, decimals, unit), month_w / 2 + 4)
    end = max(PAD_END, month_w / 2 + 4)
    body, top = _title(title, width, rtl)
    top += 16
    height = top + (200 if width > 400 else 170) + PAD_BOTTOM
    left, right = (end, width - start) if rtl else (start, width - end)
    box = (left, top, right, height - PAD_BOTTOM)
    frame = _Frame((0, max(len(months) - 1, 1)), (ticks[0], ticks[-1]), box, rtl)
    body += _value_axis(frame, ticks, decimals, unit)
    body += _bands(frame, months, values, lows, highs, unit)
    body += _control_marks(frame, values, *control)
    slot = (frame.right - frame.left) / max(len(months) - 1, 1)
    step = max(1, math.ceil((month_w + 10) / slot))
    for i in range(0, len(months), step):
        body.append(_text(frame.x(i), frame.bottom + 22, months[i], size=SMALL))
    desc = "; ".join(
        f"{m}: {'-' if v is None else _fmt(v, 1)}" for m, v in zip(months, values, strict=True)
    )
    return _svg(body, title, desc, width, height)


def _control_marks(
    frame: _Frame, values: list, centre: float | None, marked: list[bool]
) -> list[str]:
    """A control chart's centre line (dashed) and a ring around each month that breaks a rule."""
    out = []
    if centre is not None:
        y = frame.y(centre)
        out.append(
            f'<line x1="{frame.left:.1f}" x2="{frame.right:.1f}" y1="{y:.1f}" y2="{y:.1f}"'
            f' stroke="{COLORS["ink"]}" stroke-width="1" stroke-dasharray="5 4"/>'
        )
    for i, flagged in enumerate(marked):
        if flagged and values[i] is not None:
            out.append(
                f'<circle cx="{frame.x(i):.1f}" cy="{frame.y(values[i]):.1f}" r="7" fill="none"'
                f' stroke="{ALERT}" stroke-width="2.5"/>'
            )
    return out


def _bands(frame: _Frame, months, values, lows, highs, unit: str) -> list[str]:
    """One band polygon (and line) per run of consecutive months with a value and an interval."""
    run: list[tuple[int, float, float, float]] = []
    runs: list[list[tuple[int, float, float, float]]] = []
    for i, (value, low, high) in enumerate(zip(values, lows, highs, strict=True)):
        if low is not None and high is not None and value is not None:
            run.append((i, value, low, high))
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    body = []
    for r in runs:
        upper = [f"{frame.x(i):.1f},{frame.y(high):.1f}" for i, _v, _low, high in r]
        lower = [f"{frame.x(i):.1f},{frame.y(low):.1f}" for i, _v, low, _high in reversed(r)]
        body.append(
            f'<polygon points="{" ".join(upper + lower)}" fill="{COLORS["band"]}"'
            ' fill-opacity="0.18" stroke="none"/>'
        )
        if len(r) > 1:
            pts = " ".join(f"{frame.x(i):.1f},{frame.y(v):.1f}" for i, v, _low, _high in r)
            body.append(
                f'<polyline points="{pts}" fill="none" stroke="{COLORS["line"]}" stroke-width="2"/>'
            )
        for i, v, low, high in r:
            body.append(
                f'<circle cx="{frame.x(i):.1f}" cy="{frame.y(v):.1f}" r="3.5"'
                f' fill="{COLORS["line"]}"><title>{escape(months[i])}: '
                f"{escape(_fmt(v, 1))}{escape(unit)} "
                f"[{escape(_fmt(low, 1))}; {escape(_fmt(high, 1))}]</title></circle>"
            )
    return body


def ipa_chart(
    *,
    points: list[dict],
    importance_centre: float | None,
    performance_centre: float | None,
    quadrant_labels: dict[str, str],
    x_label: str,
    y_label: str,
    title: str,
    rtl: bool = False,
) -> SafeString:
    """Importance (x) against performance (y, 0-100) with the quadrant lines at the means. Each
    point is named inside the plot where its name fits without touching another; otherwise by a
    number, explained in the legend under the plot."""
    pts = [p for p in points if p["importance"] is not None and p["performance"] is not None]

    def render(width: int) -> str:
        if not pts:
            body, h = _title(title, width, rtl)
            return _svg(body, title, "", width, h + 8)
        centre = (importance_centre, performance_centre)
        labels = (quadrant_labels, x_label, y_label, title)
        return _ipa(pts, centre, labels, rtl, width)

    return pair(render)


def _ipa_frame(pts: list[dict], width: int, top: float, height: float, rtl: bool):
    xs = [p["importance"] for p in pts]
    ys = [p["performance"] for p in pts]
    pad_x = max((max(xs) - min(xs)) * 0.15, 0.05)
    x_ticks, x_dec = nice_ticks(min(min(xs), 0.0), max(xs) + pad_x, count=5 if width > 400 else 3)
    y_lo = max(0.0, math.floor(min(ys) / 10) * 10 - 10)
    y_hi = min(100.0, math.ceil(max(ys) / 10) * 10 + 10)
    y_ticks, y_dec = nice_ticks(y_lo, y_hi, count=5 if width > 400 else 4)
    start = _tick_width(y_ticks, y_dec, "")
    edge = max(text_width(format_tick(x_ticks[-1], x_dec), SMALL) / 2 + 4, PAD_END)
    box = (edge, top, width - start, height) if rtl else (start, top, width - edge, height)
    frame = _Frame((x_ticks[0], x_ticks[-1]), (y_ticks[0], y_ticks[-1]), box, rtl)
    return frame, (x_ticks, x_dec), (y_ticks, y_dec)


def _ipa(pts, centre, labels, rtl: bool, width: int) -> str:
    quadrant_labels, x_label, y_label, title = labels
    body, top = _title(title, width, rtl)
    body.append(_text(width / 2, top + 14, fit(y_label, width - 16, SMALL), size=SMALL, rtl=rtl))
    top += 30
    plot_h = 300 if width > 400 else 260
    frame, (x_ticks, x_dec), (y_ticks, y_dec) = _ipa_frame(pts, width, top, top + plot_h, rtl)
    body += _value_axis(frame, y_ticks, y_dec, "")
    for v in x_ticks:
        body.append(_text(frame.x(v), frame.bottom + 20, format_tick(v, x_dec), size=SMALL))
    body.append(_text(width / 2, frame.bottom + 40, fit(x_label, width - 16, SMALL), rtl=rtl))
    obstacles: list[Box] = []
    if centre[0] is not None and centre[1] is not None:
        cx, cy = frame.x(centre[0]), frame.y(centre[1])
        body += _quadrants(frame, (cx, cy), quadrant_labels, obstacles, rtl)
    marks = []
    for p in pts:
        px, py = frame.x(p["importance"]), frame.y(p["performance"])
        marks.append((px, py))
        fill = "#b3261e" if p.get("quadrant") == "concentrate" else COLORS["line"]
        body.append(
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="5" fill="{fill}"><title>'
            f"{escape(p['label'])}: {escape(_fmt(p['importance'], 2))}, "
            f"{escape(_fmt(p['performance'], 1))}</title></circle>"
        )
    bounds = Box(frame.left, frame.top, frame.right, frame.bottom)
    names = [fit(p["label"], (frame.right - frame.left) / 2, TEXT) for p in pts]
    placed = place_labels(marks, names, bounds=bounds, obstacles=obstacles, size=TEXT)
    legend: list[str] = []
    for p, spot in zip(pts, placed, strict=True):
        if spot is not None:
            body.append(_text(spot.cx, spot.baseline, spot.text, rtl=rtl and not spot.numbered))
        if spot is None or spot.numbered:
            legend.append(f"{len(legend) + 1}: {p['label']}")
    height = frame.bottom + 50
    for line in legend:
        body.append(_text(width / 2, height, fit(line, width - 16, TEXT), rtl=rtl))
        height += LINE_H
    desc = "; ".join(
        f"{p['label']}: {y_label} {_fmt(p['performance'], 1)}, {x_label} {_fmt(p['importance'], 2)}"
        for p in pts
    )
    return _svg(body, title, desc, width, height)


def _quadrants(
    frame: _Frame,
    centre: tuple[float, float],
    quadrant_labels: dict[str, str],
    obstacles: list[Box],
    rtl: bool,
) -> list[str]:
    """The quadrant lines through ``centre`` (in pixels) and the quadrant names in the plot's
    corners (high importance toward the end of the x axis); each name becomes an obstacle."""
    cx, cy = centre
    body = [
        f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{frame.top:.1f}" y2="{frame.bottom:.1f}"'
        ' stroke="#5b6470" stroke-dasharray="4 3"/>',
        f'<line x1="{frame.left:.1f}" x2="{frame.right:.1f}" y1="{cy:.1f}" y2="{cy:.1f}"'
        ' stroke="#5b6470" stroke-dasharray="4 3"/>',
    ]
    half = (frame.right - frame.left) / 2 - 12
    end_side, start_side = ("left", "right") if rtl else ("right", "left")
    corners = [
        (end_side, "top", "keep_up"),
        (end_side, "bottom", "concentrate"),
        (start_side, "top", "possible_overkill"),
        (start_side, "bottom", "low_priority"),
    ]
    for side, edge, key in corners:
        lines = wrap(quadrant_labels.get(key, key), half, SMALL)
        w = max(text_width(line, SMALL) for line in lines)
        x = frame.left + 6 + w / 2 if side == "left" else frame.right - 6 - w / 2
        first = frame.top + 16 if edge == "top" else frame.bottom - 8 - 15 * (len(lines) - 1)
        obstacles.append(Box(x - w / 2, first - SMALL, x + w / 2, first + 15 * len(lines) - 11))
        for i, line in enumerate(lines):
            body.append(_text(x, first + 15 * i, line, size=SMALL, rtl=rtl, fill=MUTED))
    return body


def bar_chart(
    *,
    rows: list[dict],
    x_range: tuple[float, float],
    unit: str,
    title: str,
    hidden_label: str,
    rtl: bool = False,
) -> SafeString:
    """Horizontal bars (one per segment) with interval whiskers; suppressed cells say so. Wide:
    the segment names in a column beside the bars; narrow: each name above its bar."""

    def render(width: int) -> str:
        return _bars(rows, x_range, unit, title, hidden_label, rtl, width)

    return pair(render)


def _bars(rows, x_range, unit, title, hidden_label, rtl, width) -> str:
    wide = width > 400
    bar_h, gap = 18, 10
    label_w = min(200.0, width * 0.3) if wide else 0.0
    row_h = bar_h + gap + (0 if wide else LINE_H)
    body, top = _title(title, width, rtl)
    top += 10
    ticks, decimals = nice_ticks(x_range[0], x_range[1], count=4 if wide else 2)
    edge = text_width(f"{format_tick(ticks[-1], decimals)}{unit}", SMALL) / 2 + 6
    plot_start, plot_end = (label_w + 12 if wide else edge), width - edge
    lo, hi = ticks[0], ticks[-1]

    def x(v: float) -> float:
        t = min(max((v - lo) / (hi - lo), 0.0), 1.0)
        return (
            width - plot_start - t * (plot_end - plot_start)
            if rtl
            else plot_start + t * (plot_end - plot_start)
        )

    for i, row in enumerate(rows):
        y = top + i * row_h + (0 if wide else LINE_H)
        name = fit(row["label"], label_w if wide else plot_end - plot_start, TEXT)
        if wide:
            name_x, name_y = (width - 8 if rtl else label_w), y + bar_h - 4
            anchor = "start" if rtl else "end"
        else:
            name_x, name_y, anchor = x(lo), y - 5, "start"
        body.append(_text(name_x, name_y, name, anchor=anchor, rtl=rtl))
        if row.get("value") is None:
            note = fit(hidden_label, plot_end - plot_start - 8, SMALL)
            note_x = x(lo) + (-6 if rtl else 6)
            body.append(
                _text(note_x, y + bar_h - 4, note, anchor="start", size=SMALL, rtl=rtl, fill=MUTED)
            )
            continue
        body += _bar(row, x(lo), x, y, bar_h, unit)
    h = top + len(rows) * row_h + 26
    for v in ticks:
        body.append(_text(x(v), h - 8, f"{format_tick(v, decimals)}{unit}", size=SMALL))
    desc = "; ".join(
        f"{r['label']}: {'-' if r.get('value') is None else _fmt(r['value'], 1)}" for r in rows
    )
    return _svg(body, title, desc, width, h)


def _bar(
    row: dict, x_start: float, x: Callable[[float], float], y: float, bar_h: int, unit: str
) -> list[str]:
    """One segment's bar from ``x_start`` to its value, with its interval whisker."""
    x_end = x(row["value"])
    left, width = min(x_start, x_end), abs(x_end - x_start)
    out = [
        f'<rect x="{left:.1f}" y="{y:.1f}" width="{width:.1f}" height="{bar_h}"'
        f' fill="{COLORS["line"]}" fill-opacity="0.75"><title>{escape(row["label"])}: '
        f"{escape(_fmt(row['value'], 1))}{escape(unit)}</title></rect>"
    ]
    if row.get("low") is not None and row.get("high") is not None:
        a, b = x(row["low"]), x(row["high"])
        mid = y + bar_h / 2
        out.append(
            f'<line x1="{a:.1f}" x2="{b:.1f}" y1="{mid}" y2="{mid}" stroke="{COLORS["ink"]}"/>'
            f'<line x1="{a:.1f}" x2="{a:.1f}" y1="{mid - 5}" y2="{mid + 5}"'
            f' stroke="{COLORS["ink"]}"/><line x1="{b:.1f}" x2="{b:.1f}" y1="{mid - 5}"'
            f' y2="{mid + 5}" stroke="{COLORS["ink"]}"/>'
        )
    return out


def survey_trend_charts(trends: dict | None, rtl: bool) -> list:
    """One trend chart per scale question of a ``selectors.trends`` result: its headline figure
    (CSAT in per cent, or NPS) per month with its interval band (the dashboard and the
    management-review pack)."""
    out: list = []
    if not trends:
        return out
    for q in trends["questions"]:
        nps = q["measure"] == "nps"
        scale = 1 if nps else 100
        pts = [p[q["measure"]] for p in q["points"]]

        def v(key: str, pts: list = pts, scale: int = scale) -> list:
            return [None if p[key] is None else p[key] * scale for p in pts]

        out.append(
            trend_chart(
                months=trends["months"],
                values=v("value"),
                lows=v("low"),
                highs=v("high"),
                y_range=(-100, 100) if nps else (0, 100),
                unit="" if nps else "%",
                title=f"{q['label']} — {headline_name(q['kind'])}",  # no "?:" after a question
                rtl=rtl,
            )
        )
    return out
