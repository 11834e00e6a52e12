"""What every server-rendered SVG chart shares: nice tick values, an estimate of a text's width
(to place labels without overlap; no font metrics on the server) and the pair of renderings that
keeps text readable at any width.

A chart is drawn twice: a wide rendering (viewBox ``WIDE`` units across) shown when its container
is at least that many pixels wide, and a narrow one (``NARROW`` units, fewer ticks and labels) shown
below it. CSS in core/plaint.css switches between them with a container query and never scales
either one below 1:1 by more than a little, so the font sizes below are (nearly) rendered pixels.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

WIDE, NARROW = 540, 320
TEXT, SMALL, TITLE = 13, 12, 14  # font sizes in user units: labels, ticks, titles
CHAR_WIDTH = 0.62  # a generous average advance per character, as a share of the font size


def nice_ticks(lo: float, hi: float, count: int = 5) -> tuple[list[float], int]:
    """About ``count`` intervals between ticks at a step of 1, 2 or 5 times 10^k covering lo..hi,
    and the number of decimals that step needs (0.5 → 1, 200 → 0)."""
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        hi = lo + 1
    raw = (hi - lo) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    fraction = raw / power
    step = power * (1 if fraction < 1.5 else 2 if fraction < 3 else 5 if fraction < 7 else 10)
    first = math.floor(lo / step + 1e-9)
    last = math.ceil(hi / step - 1e-9)
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    ticks = [round(i * step, decimals) for i in range(first, last + 1)]
    return ticks, decimals


def format_tick(value: float, decimals: int) -> str:
    """A value as the page's language writes it ("0,5" in Estonian, "0.5" in English), like the
    tables beside the chart (Django's number format of the active language)."""
    if float(f"{value:.{decimals}f}") == 0:
        value = 0.0  # never "-0.0"
    return number_format(value, decimal_pos=decimals)


def text_width(text: str, size: float) -> float:
    """The estimated width of ``text`` at ``size`` (generous, so boxes kept apart stay apart)."""
    return len(text) * size * CHAR_WIDTH


def fit(text: str, width: float, size: float) -> str:
    """``text`` cut at a word boundary (or a character) with an ellipsis to fit ``width``."""
    if text_width(text, size) <= width:
        return text
    limit = max(1, int(width / (size * CHAR_WIDTH)) - 1)
    cut = text[:limit]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"


def wrap(text: str, width: float, size: float, lines: int = 2) -> list[str]:
    """``text`` broken at spaces into at most ``lines`` lines of ``width``; the last one fitted."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines - 1:
        line = words.pop(0)
        while words and text_width(f"{line} {words[0]}", size) <= width:
            line += " " + words.pop(0)
        out.append(line)
    if words:
        out.append(" ".join(words))
    return [fit(line, width, size) for line in out] or [""]


def pair(render: Callable[[int], str]) -> SafeString:
    """The wide and the narrow rendering of one chart, for the CSS to show one of."""
    wide = str(render(WIDE)).replace('class="chart"', 'class="chart chart-wide"', 1)
    narrow = str(render(NARROW)).replace('class="chart"', 'class="chart chart-narrow"', 1)
    return mark_safe(f'<div class="chart-pair">{wide}{narrow}</div>')  # noqa: S308 - our SVG
