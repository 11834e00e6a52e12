"""Server-rendered SVG charts: a monthly trend with its interval band, the importance-performance
scatter with its quadrants, and segment bars with interval whiskers.

Every text goes through ``html.escape``; numbers are formatted here, never taken from input. For a
right-to-left page the horizontal axis is mirrored (time and bars run from the right) and text
carries ``direction="rtl"``, so the picture reads the same way as the page around it. The same
string goes into the page and, later, into a PDF.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape

from django.utils.safestring import SafeString, mark_safe

W, H = 640, 300
PAD_START, PAD_END, PAD_TOP, PAD_BOTTOM = 56, 30, 28, 44
COLORS = {"line": "#0b5cad", "band": "#0b5cad", "grid": "#c9ced6", "ink": "#1b1f24"}


def _fmt(x: float, digits: int = 0) -> str:
    return f"{x:.{digits}f}"


class _Frame:
    """Maps data to SVG coordinates; mirrors x for right-to-left."""

    def __init__(self, x0, x1, y0, y1, rtl: bool):
        self.x0, self.x1, self.y0, self.y1, self.rtl = x0, x1, y0, y1, rtl
        self.left = PAD_END if rtl else PAD_START
        self.right = W - (PAD_START if rtl else PAD_END)

    def x(self, v: float) -> float:
        t = 0.5 if self.x1 == self.x0 else (v - self.x0) / (self.x1 - self.x0)
        if self.rtl:
            t = 1 - t
        return self.left + t * (self.right - self.left)

    def y(self, v: float) -> float:
        t = 0.5 if self.y1 == self.y0 else (v - self.y0) / (self.y1 - self.y0)
        return H - PAD_BOTTOM - t * (H - PAD_TOP - PAD_BOTTOM)

    @property
    def axis_x(self) -> float:
        """Where the value axis (y) stands: on the start side."""
        return self.right if self.rtl else self.left


def _text(x, y, s, *, anchor="middle", size=11, rtl=False, weight="normal", fill=None) -> str:
    direction = ' direction="rtl"' if rtl else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"'
        f' font-weight="{weight}" fill="{fill or COLORS["ink"]}"{direction}>{escape(str(s))}</text>'
    )


def _svg(body: list[str], title: str, desc: str, w=W, h=H) -> SafeString:
    return mark_safe(  # noqa: S308 - every text in ``body`` is escaped by _text
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img"'
        f' class="chart" font-family="system-ui, sans-serif">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>" + "".join(body) + "</svg>"
    )


def _y_ticks(frame: _Frame, lo: float, hi: float, steps: int, unit: str) -> list[str]:
    rtl = frame.rtl
    out = []
    for i in range(steps + 1):
        v = lo + (hi - lo) * i / steps
        y = frame.y(v)
        out.append(
            f'<line x1="{frame.left:.1f}" x2="{frame.right:.1f}" y1="{y:.1f}" y2="{y:.1f}"'
            f' stroke="{COLORS["grid"]}" stroke-width="0.5"/>'
        )
        # Numbers stay left-to-right (a minus sign must not move); they sit outside the axis.
        x = frame.axis_x + (6 if rtl else -6)
        out.append(_text(x, y + 4, f"{_fmt(v)}{unit}", anchor="start" if rtl else "end", size=10))
    return out


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
) -> SafeString:
    """A line of monthly values with a band for their intervals; months without data are gaps."""
    lo, hi = y_range
    frame = _Frame(0, max(len(months) - 1, 1), lo, hi, rtl)
    body = _y_ticks(frame, lo, hi, 4, unit)
    # The band: one polygon per run of consecutive months with an interval.
    # Each point is (month index, value, low, high), all known.
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
                f'<circle cx="{frame.x(i):.1f}" cy="{frame.y(v):.1f}" r="3"'
                f' fill="{COLORS["line"]}"><title>{escape(months[i])}: '
                f"{escape(_fmt(v, 1))}{escape(unit)} "
                f"[{escape(_fmt(low, 1))}; {escape(_fmt(high, 1))}]</title></circle>"
            )
    step = max(1, math.ceil(len(months) / 9))
    for i in range(0, len(months), step):
        body.append(_text(frame.x(i), H - PAD_BOTTOM + 16, months[i], size=10))
    body.append(_text(W / 2, 16, title, size=12, weight="bold", rtl=rtl))
    desc = "; ".join(
        f"{m}: {'-' if v is None else _fmt(v, 1)}" for m, v in zip(months, values, strict=True)
    )
    return _svg(body, title, desc)


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
    """Importance (x) against performance (y, 0-100) with the quadrant lines at the means."""
    pts = [p for p in points if p["importance"] is not None and p["performance"] is not None]
    if not pts:
        return _svg([_text(W / 2, H / 2, title, rtl=rtl)], title, "")
    xs = [p["importance"] for p in pts]
    ys = [p["performance"] for p in pts]
    pad_x = max((max(xs) - min(xs)) * 0.15, 0.05)
    x0, x1 = min(min(xs), 0.0) - pad_x * 0.2, max(xs) + pad_x
    y0 = max(0.0, math.floor(min(ys) / 10) * 10 - 10)
    y1 = min(100.0, math.ceil(max(ys) / 10) * 10 + 10)
    frame = _Frame(x0, x1, y0, y1, rtl)
    body = _y_ticks(frame, y0, y1, 4, "")
    if importance_centre is not None and performance_centre is not None:
        centre = (frame.x(importance_centre), frame.y(performance_centre))
        body += _quadrants(frame, centre, (x0, x1), quadrant_labels, rtl)
    for p in pts:
        px, py = frame.x(p["importance"]), frame.y(p["performance"])
        fill = "#b3261e" if p.get("quadrant") == "concentrate" else COLORS["line"]
        body.append(
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="5" fill="{fill}"><title>'
            f"{escape(p['label'])}: {escape(_fmt(p['importance'], 2))}, "
            f"{escape(_fmt(p['performance'], 1))}</title></circle>"
        )
        body.append(_text(px, py - 8, p["label"], size=10, rtl=rtl))
    body.append(_text(W / 2, H - 8, x_label, size=11, rtl=rtl))
    body.append(_text(W / 2, 16, title, size=12, weight="bold", rtl=rtl))
    desc = "; ".join(
        f"{p['label']}: {y_label} {_fmt(p['performance'], 1)}, {x_label} {_fmt(p['importance'], 2)}"
        for p in pts
    )
    return _svg(body, title, desc)


def _quadrants(
    frame: _Frame,
    centre: tuple[float, float],
    x_span: tuple[float, float],
    quadrant_labels: dict[str, str],
    rtl: bool,
) -> list[str]:
    """The quadrant lines through ``centre`` (in pixels) and the quadrant names in the corners."""
    cx, cy = centre
    x0, x1 = x_span
    body = [
        f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{PAD_TOP}" y2="{H - PAD_BOTTOM}"'
        ' stroke="#5b6470" stroke-dasharray="4 3"/>',
        f'<line x1="{frame.left:.1f}" x2="{frame.right:.1f}" y1="{cy:.1f}" y2="{cy:.1f}"'
        ' stroke="#5b6470" stroke-dasharray="4 3"/>',
    ]
    # Quadrant names in the corners: high importance is toward the end of the x axis.
    end_x = frame.x(x1) + (10 if rtl else -10)
    start_x = frame.x(x0) + (-10 if rtl else 10)
    # With direction="rtl" the anchors are logical: "end" still means the text ends at x.
    corners = [
        (end_x, PAD_TOP + 14, "end", "keep_up"),
        (end_x, H - PAD_BOTTOM - 6, "end", "concentrate"),
        (start_x, PAD_TOP + 14, "start", "possible_overkill"),
        (start_x, H - PAD_BOTTOM - 6, "start", "low_priority"),
    ]
    for x, y, anchor, key in corners:
        label = quadrant_labels.get(key, key)
        body.append(_text(x, y, label, anchor=anchor, size=10, rtl=rtl, fill="#5b6470"))
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
    """Horizontal bars (one per segment) with interval whiskers; suppressed cells say so."""
    bar_h, gap, label_w = 18, 8, 170
    h = PAD_TOP + len(rows) * (bar_h + gap) + 24
    lo, hi = x_range
    body = [_text(W / 2, 16, title, size=12, weight="bold", rtl=rtl)]
    plot_start = label_w + 8
    plot_end = W - PAD_END

    def x(v: float) -> float:
        t = (v - lo) / (hi - lo) if hi > lo else 0
        t = min(max(t, 0.0), 1.0)
        return (
            W - plot_start - t * (plot_end - plot_start) + PAD_END
            if rtl
            else (plot_start + t * (plot_end - plot_start))
        )

    for i, row in enumerate(rows):
        y = PAD_TOP + i * (bar_h + gap)
        label_x = W - 8 if rtl else label_w
        anchor = "end" if not rtl else "start"
        body.append(
            _text(label_x, y + bar_h - 5, row["label"][:28], anchor=anchor, size=11, rtl=rtl)
        )
        if row.get("value") is None:
            hidden_x = x(lo) + (-6 if rtl else 6)
            body.append(
                _text(
                    hidden_x,
                    y + bar_h - 5,
                    hidden_label,
                    anchor="start",
                    size=10,
                    rtl=rtl,
                    fill="#5b6470",
                )
            )
            continue
        body += _bar(row, x(lo), x, y, bar_h, unit)
    for v in (lo, (lo + hi) / 2, hi):
        body.append(_text(x(v), h - 6, f"{_fmt(v)}{unit}", size=10))
    desc = "; ".join(
        f"{r['label']}: {'-' if r.get('value') is None else _fmt(r['value'], 1)}" for r in rows
    )
    return _svg(body, title, desc, h=h)


def _bar(
    row: dict, x_start: float, x: Callable[[float], float], y: int, bar_h: int, unit: str
) -> list[str]:
    """One segment's bar from ``x_start`` to its value, with its interval whisker."""
    x_end = x(row["value"])
    left, width = min(x_start, x_end), abs(x_end - x_start)
    out = [
        f'<rect x="{left:.1f}" y="{y}" width="{width:.1f}" height="{bar_h}"'
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
