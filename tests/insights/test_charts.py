"""The SVG charts: well-formed, escaped, mirrored for right-to-left, honest about gaps."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from plaint.insights import charts

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 - our own output


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
