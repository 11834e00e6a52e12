"""The scorecard chart as an SVG string built on the server (no JavaScript); every text escaped."""

from __future__ import annotations

from html import escape

from plaint.promises.selectors import ScoreRow

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 36


def scorecard_svg(rows: list[ScoreRow], *, title: str) -> str:
    """Fulfilment rate per month (dots) with its 95% Wilson interval (whiskers) against the
    target (dashed line), for one promise's rows."""
    months = sorted({r.month for r in rows})
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * (i + 0.5) / max(len(months), 1))

    def y(rate: float) -> float:
        return TOP + plot_h * (1 - rate)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            'stroke="#ddd" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" font-size="11" text-anchor="end">'
            f"{int(tick * 100)}%</text>"
        )
    if rows:
        target = rows[0].target
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
            'stroke="#b00" stroke-dasharray="4 3" stroke-width="1.5" class="target"/>'
        )
    by_month = {r.month: r for r in rows}
    for i, month in enumerate(months):
        r = by_month[month]
        label = month.strftime("%Y-%m")
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - 12}" font-size="10" text-anchor="middle">'
            f"{escape(label)}</text>"
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
