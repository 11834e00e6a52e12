"""The SVG charts: well-formed, escaped, mirrored for right-to-left, honest about gaps; a wide
and a narrow rendering; labels inside the plot and apart; effort, satisfaction and NPS named."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest

from plaint.insights import charts, tables
from plaint.insights.placement import Box, text_box

NS = "{http://www.w3.org/2000/svg}"


def both(svg: str) -> list[ET.Element]:
    """The wide and the narrow rendering of a chart."""
    pair = ET.fromstring(str(svg))  # noqa: S314 - our own output
    assert pair.tag == "div" and pair.get("class") == "chart-pair"
    return list(pair)


def parse(svg: str) -> ET.Element:
    """The wide rendering."""
    return both(svg)[0]


def trend(rtl=False, title="CSAT"):
    return charts.trend_chart(
        months=["2026-01", "2026-02", "2026-03", "2026-04"],
        values=[40.0, None, 55.0, 60.0],
        lows=[30.0, None, 45.0, 50.0],
        highs=[50.0, None, 65.0, 70.0],
        y_range=(0, 100),
        unit="%",
        title=title,
        rtl=rtl,
    )


def test_trend_is_valid_svg_with_a_gap_for_a_month_without_data():
    root = parse(trend())
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    assert root.find(f"{NS}title").text == "CSAT"
    # Two runs of months with data: two bands; only the second has a line.
    assert len(root.findall(f"{NS}polygon")) == 2
    assert len(root.findall(f"{NS}polyline")) == 1
    assert len(root.findall(f"{NS}circle")) == 3


def test_trend_mirrors_time_for_right_to_left():
    def first_point_x(svg):
        return float(parse(svg).findall(f"{NS}circle")[0].get("cx"))

    assert first_point_x(trend()) < first_point_x(trend(rtl=True))
    assert 'direction="rtl"' in trend(rtl=True)
    # numbers stay left-to-right on a right-to-left page, so a minus sign does not move
    ticks = [t for t in texts(parse(trend(rtl=True))) if t.text.endswith("%")]
    assert ticks and all(t.get("direction") == "ltr" for t in ticks)


def test_text_is_escaped():
    svg = trend(title='<b onload="x">&</b>')
    assert "<b " not in svg
    assert parse(svg).find(f"{NS}title").text == '<b onload="x">&</b>'


def test_ipa_quadrants_and_points():
    svg = charts.ipa_chart(
        points=[
            {"label": "speed", "importance": 0.5, "performance": 50.0, "quadrant": "concentrate"},
            {
                "label": "tone",
                "importance": 0.1,
                "performance": 80.0,
                "quadrant": "possible_overkill",
            },
        ],
        importance_centre=0.3,
        performance_centre=65.0,
        quadrant_labels={"concentrate": "Concentrate here"},
        x_label="Importance",
        y_label="Performance",
        title="IPA",
    )
    root = parse(svg)
    assert len(root.findall(f"{NS}circle")) == 2
    assert "Concentrate here" in svg


def test_bars_say_when_a_cell_is_hidden():
    svg = charts.bar_chart(
        rows=[
            {"label": "web", "value": 70.0, "low": 60.0, "high": 80.0},
            {"label": "letter", "value": None},
        ],
        x_range=(0, 100),
        unit="%",
        title="By channel",
        hidden_label="hidden: fewer than 10 answers",
    )
    root = parse(svg)
    assert len(root.findall(f"{NS}rect")) == 1
    assert "hidden: fewer than 10 answers" in svg


def texts(svg: ET.Element) -> list[ET.Element]:
    return svg.findall(f"{NS}text")


def test_each_rendering_has_readable_font_sizes_and_the_narrow_one_fewer_month_labels():
    months = [f"2025-{m:02d}" for m in range(1, 13)] + [f"2026-{m:02d}" for m in range(1, 7)]
    chart = charts.trend_chart(
        months=months,
        values=[50.0] * 18,
        lows=[40.0] * 18,
        highs=[60.0] * 18,
        y_range=(0, 100),
        unit="%",
        title="Overall, how satisfied are you with the way we handled your complaint?: CSAT (%)",
    )
    wide, narrow = both(chart)
    assert wide.get("viewBox").startswith("0 0 540 ") and narrow.get("viewBox").startswith(
        "0 0 320 "
    )
    for svg in (wide, narrow):
        assert all(float(t.get("font-size")) >= 12 for t in texts(svg))
    shown = [[t.text for t in texts(svg) if t.text in months] for svg in (wide, narrow)]
    assert len(shown[1]) < len(shown[0]) <= len(months)


def test_a_small_rate_axis_gets_nice_ticks_with_decimals():
    """Complaints per 1,000 orders up to 2.4: 0.0, 0.5 … 2.5, not 2, 2, 1, 1, 0, 0."""
    chart = charts.trend_chart(
        months=["2026-01", "2026-02"],
        values=[1.1, 1.9],
        lows=[0.6, 1.3],
        highs=[1.8, 2.4],
        y_range=(0, 2.4),
        unit="",
        title="Complaints per 1,000 orders",
    )
    ticks = [t.text for t in texts(parse(chart)) if t.get("text-anchor") == "end"]
    assert ticks == ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5"]


IPA_LABELS = [
    "How satisfied are you with how quickly we handled it?",
    "How fair was our decision?",
    "How clearly did we explain what we were doing and why?",
    "How courteous were the people who dealt with you?",
    "How easy was it to reach us?",
    "How well did we keep you informed?",
]


def ipa(points):
    return charts.ipa_chart(
        points=points,
        importance_centre=0.3,
        performance_centre=55.0,
        quadrant_labels={
            "concentrate": "Concentrate here",
            "keep_up": "Keep up the good work",
            "low_priority": "Low priority",
            "possible_overkill": "Possible overkill",
        },
        x_label="Importance",
        y_label="Performance",
        title="Importance and performance",
    )


def plot_area(svg: ET.Element) -> tuple[float, float, float, float]:
    """The plot's box: the dashed quadrant lines span it."""
    lines = [ln for ln in svg.findall(f"{NS}line") if ln.get("stroke-dasharray")]
    vertical = next(ln for ln in lines if ln.get("x1") == ln.get("x2"))
    horizontal = next(ln for ln in lines if ln.get("y1") == ln.get("y2"))
    return (
        float(horizontal.get("x1")),
        float(vertical.get("y1")),
        float(horizontal.get("x2")),
        float(vertical.get("y2")),
    )


def test_ipa_labels_stay_inside_the_plot_and_apart_even_when_points_crowd():
    # Two clusters of near-identical points, one at the plot's end edge (labels were cut there).
    points = [
        {"label": label, "importance": imp, "performance": perf}
        for label, imp, perf in zip(
            IPA_LABELS,
            [0.58, 0.54, -0.001, -0.11, 0.57, 0.59],
            [41.4, 42.3, 61.2, 78.3, 40.0, 43.0],
            strict=True,
        )
    ]
    for svg in both(ipa(points)):
        left, top, right, bottom = plot_area(svg)
        circles = svg.findall(f"{NS}circle")
        marks = [(float(c.get("cx")), float(c.get("cy"))) for c in circles]
        inside = [
            t
            for t in texts(svg)
            if t.get("text-anchor") == "middle"
            and left < float(t.get("x")) < right
            and top < float(t.get("y")) < bottom
        ]
        boxes = [
            text_box(float(t.get("x")), float(t.get("y")), t.text, float(t.get("font-size")))
            for t in inside
        ]
        legend = [t.text for t in texts(svg) if t.text[0].isdigit() and ": " in t.text]
        # Every point is named in the plot, or numbered there and named in the legend.
        assert len(inside) >= len(points) + 4  # and the quadrant names (on one or two lines)
        assert len(legend) == sum(1 for t in inside if t.text.isdigit())
        for a, b in itertools.combinations(boxes, 2):
            assert not a.overlaps(b), (a, b)
        for box in boxes:
            assert left - 0.01 <= box.x0 and box.x1 <= right + 0.01
            assert top - 0.01 <= box.y0 and box.y1 <= bottom + 0.01
            assert not any(box.overlaps(Box(x - 5, y - 5, x + 5, y + 5)) for x, y in marks)


def test_ipa_falls_back_to_numbers_and_a_legend_when_names_do_not_fit():
    points = [
        {"label": f"{label} ({i})", "importance": 0.5 + i * 0.001, "performance": 50.0 + i * 0.2}
        for i, label in enumerate(IPA_LABELS * 3)
    ]
    narrow = both(ipa(points))[1]
    named = [t.text for t in texts(narrow)]
    legend = [n for n in named if n and n[0].isdigit() and ": " in n]
    assert legend and legend[0].startswith("1: ")
    assert "1" in named


@pytest.mark.parametrize(
    ("kind", "name"),
    [("rating", "CSAT (%)"), ("ces", "CES, low effort (%)"), ("nps", "NPS")],
)
def test_each_headline_is_named_for_its_question_type(kind, name):
    assert tables.headline_name(kind) == name
