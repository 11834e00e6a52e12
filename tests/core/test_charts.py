"""The chart helpers every SVG chart shares: nice tick values with the decimals their step needs,
labels fitted to a width, and the wide and narrow renderings of one chart."""

from __future__ import annotations

import math

import pytest

from plaint.core.charts import NARROW, WIDE, fit, format_tick, nice_ticks, pair, text_width, wrap


def labels(lo, hi, count=5):
    ticks, decimals = nice_ticks(lo, hi, count)
    return [format_tick(t, decimals) for t in ticks]


def test_ticks_step_by_a_half_with_one_decimal():
    assert labels(0, 2.4) == ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5"]


def test_ticks_of_a_thousand_step_by_two_hundred_without_decimals():
    assert labels(0, 1234) == ["0", "200", "400", "600", "800", "1000", "1200", "1400"]


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [
        (0, 100, ["0", "20", "40", "60", "80", "100"]),
        (-100, 100, ["-100", "-50", "0", "50", "100"]),
        (0, 0.37, ["0.0", "0.1", "0.2", "0.3", "0.4"]),
        (0, 0.048, ["0.00", "0.01", "0.02", "0.03", "0.04", "0.05"]),
        (2.5, 2.5, ["2.4", "2.6", "2.8", "3.0", "3.2", "3.4", "3.6"]),
    ],
)
def test_ticks_are_one_two_or_five_times_a_power_of_ten(lo, hi, expected):
    assert labels(lo, hi) == expected


@pytest.mark.parametrize("top", [0.3, 1.7, 2.2, 4.9, 12.5, 87.0, 3456.0])
def test_complaint_rates_get_distinct_ticks_that_cover_the_range(top):
    """The "per 1,000 orders" axis once read 2, 2, 1, 1, 0, 0: every label differs now."""
    ticks, decimals = nice_ticks(0, top)
    shown = [format_tick(t, decimals) for t in ticks]
    assert len(set(shown)) == len(shown)
    assert ticks[0] <= 0 and ticks[-1] >= top
    assert 4 <= len(ticks) <= 9
    step = ticks[1] - ticks[0]
    assert round(step / 10 ** math.floor(math.log10(step)), 6) in {1, 2, 5}


def test_fewer_ticks_when_asked():
    assert labels(0, 100, count=2) == ["0", "50", "100"]


def test_fit_and_wrap_keep_text_within_the_width():
    text = "How clearly did we explain what we were doing and why?"
    short = fit(text, 120, 13)
    assert short.endswith("…") and text_width(short, 13) <= 120
    assert fit("tone", 120, 13) == "tone"
    lines = wrap(text, 200, 14)
    assert len(lines) == 2 and all(text_width(line, 14) <= 200 for line in lines)
    assert lines[0].startswith("How clearly")


def test_a_chart_comes_as_a_wide_and_a_narrow_rendering():
    html = pair(lambda w: f'<svg class="chart" viewBox="0 0 {w} 100"></svg>')
    assert html.startswith('<div class="chart-pair">')
    assert f'class="chart chart-wide" viewBox="0 0 {WIDE} 100"' in html
    assert f'class="chart chart-narrow" viewBox="0 0 {NARROW} 100"' in html
