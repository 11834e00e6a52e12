"""The scorecard chart: a wide and a narrow rendering with text of 12 units, percent ticks at
nice steps, and month labels that thin out instead of running into each other."""

from __future__ import annotations

import datetime as dt
import itertools
import xml.etree.ElementTree as ET

from plaint.core.charts import text_width
from plaint.promises.charts import scorecard_svg
from plaint.promises.selectors import ScoreRow

NS = "{http://www.w3.org/2000/svg}"


def rows(n: int) -> list[ScoreRow]:
    months = [dt.date(2024 + (m // 12), m % 12 + 1, 1) for m in range(n)]
    return [
        ScoreRow(
            code_slug="promises",
            code_title="Our promises",
            promise_key="ack",
            promise_text="We confirm within 2 business days.",
            month=month,
            target=0.9,
            cases=10,
            met=9,
            breached=1,
            rate=0.9,
            low=0.6,
            high=0.98,
        )
        for month in months
    ]


def renderings(n: int) -> list[ET.Element]:
    pair = ET.fromstring(str(scorecard_svg(rows(n), title="Our promises")))  # noqa: S314
    return list(pair)


def test_both_renderings_have_text_of_at_least_twelve_units_and_percent_ticks():
    wide, narrow = renderings(12)
    assert "chart-wide" in wide.get("class") and "chart-narrow" in narrow.get("class")
    for svg in (wide, narrow):
        sizes = [float(t.get("font-size")) for t in svg.iter(f"{NS}text")]
        assert sizes and min(sizes) >= 12
        ticks = [t.text for t in svg.iter(f"{NS}text") if t.text.endswith("%")]
        assert ticks[0] == "0%" and ticks[-1] == "100%" and len(set(ticks)) == len(ticks)


def test_month_labels_thin_out_and_never_touch_and_the_latest_keeps_its_label():
    for n in (3, 12, 24):
        for svg in renderings(n):
            labels = [t for t in svg.iter(f"{NS}text") if t.get("text-anchor") == "middle"]
            assert labels[-1].text == f"{rows(n)[-1].month:%Y-%m}"
            xs = [float(t.get("x")) for t in labels]
            width = text_width("2026-01", 12)
            assert all(b - a >= width for a, b in itertools.pairwise(xs))
            view_width = float(svg.get("viewBox").split()[2])
            assert xs[0] - width / 2 >= 0 and xs[-1] + width / 2 <= view_width
    wide, narrow = renderings(24)
    count = [
        len([t for t in s.iter(f"{NS}text") if t.get("text-anchor") == "middle"])
        for s in (wide, narrow)
    ]
    assert count[1] < count[0] < 24
