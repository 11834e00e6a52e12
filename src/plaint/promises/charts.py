"""The scorecard chart as an SVG string built on the server (no JavaScript); every text escaped.

It comes as the wide and the narrow rendering of ``plaint.core.charts.pair``, so its text stays
readable (12 px and more) on a desktop and on a phone; month labels thin out where they would
touch."""

from __future__ import annotations

import math
from html import escape

from django.utils.safestring import SafeString

from plaint.core.charts import SMALL, format_tick, nice_ticks, pair, text_width
from plaint.promises.selectors import ScoreRow

TOP, BOTTOM, END = 14, 34, 30


def scorecard_svg(rows: list[ScoreRow], *, title: str) -> SafeString:
    """Fulfilment rate per month (dots) with its 95% Wilson interval (whiskers) against the
    target (dashed line), for one promise's rows."""
    return pair(lambda width: _render(rows, title, width))


def _render(rows: list[ScoreRow], title: str, width: int) -> str:
    months = sorted({r.month for r in rows})
    labels = [m.strftime("%Y-%m") for m in months]
    ticks, decimals = nice_ticks(0, 100, count=4 if width > 400 else 2)
    left = max(text_width(f"{format_tick(t, decimals)}%", SMALL) for t in ticks) + 12
    height = 240 if width > 400 else 200
    plot_w = width - left - END
    plot_h = height - TOP - BOTTOM

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / max(len(months), 1))

    def y(rate: float) -> float:
        return TOP + plot_h * (1 - rate)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart"'
        ' font-family="system-ui, sans-serif">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in ticks:
        parts.append(
            f'<line x1="{left}" x2="{width - END}" y1="{y(tick / 100):.1f}"'
            f' y2="{y(tick / 100):.1f}" stroke="#ddd" stroke-width="1"/>'
            f'<text x="{left - 6:.1f}" y="{y(tick / 100) + 4:.1f}" font-size="{SMALL}"'
            f' text-anchor="end" direction="ltr">{format_tick(tick, decimals)}%</text>'
        )
    if rows:
        target = rows[0].target
        parts.append(
            f'<line x1="{left}" x2="{width - END}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
            'stroke="#b00" stroke-dasharray="4 3" stroke-width="1.5" class="target"/>'
        )
    label_w = max((text_width(s, SMALL) for s in labels), default=0)
    step = max(1, math.ceil((label_w + 10) / (plot_w / max(len(months), 1))))
    by_month = {r.month: r for r in rows}
    for i, month in enumerate(months):
        r, label = by_month[month], labels[i]
        if (len(months) - 1 - i) % step == 0:  # the latest month always keeps its label
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - 12}" font-size="{SMALL}"'
                f' text-anchor="middle" direction="ltr">{escape(label)}</text>'
            )
        if r.rate is None:
            continue
        parts.append(
            f'<line x1="{x(i):.1f}" x2="{x(i):.1f}" y1="{y(r.high or 0):.1f}" '
            f'y2="{y(r.low or 0):.1f}" stroke="#345" stroke-width="2" class="interval"/>'
            f'<circle cx="{x(i):.1f}" cy="{y(r.rate):.1f}" r="4" fill="#345" class="rate">'
            f"<title>{escape(label)}: {r.met}/{r.judged} ({r.rate:.0%})</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)
