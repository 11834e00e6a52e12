"""The insights charts read at 1280 px and at 390 px: every text in a shown chart renders at
12 px or more on a desktop (10 px or more on a phone), and no two texts of one chart overlap or
leave it. The data look like the demo's: long question texts, an effort and an NPS question,
attributes close together, and complaint rates per 1,000 orders below 3."""

from __future__ import annotations

import datetime as dt

import pytest

from plaint.insights.services import volumes_import
from plaint.surveys.models import Question
from tests.e2e.conftest import keep_screenshot, sign_in
from tests.factories import make_complaint
from tests.insights.factories import add_responses, fixed_answers, make_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXTS = {
    "overall": "Overall, how satisfied are you with the way we handled your complaint?",
    "speed": "How satisfied are you with how quickly we handled it?",
    "fairness": "How fair was our decision?",
    "clarity": "How clearly did we explain what we were doing and why?",
    "nps": "How likely are you to recommend us to a friend or colleague?",
    "effort": "How easy was it to get your complaint resolved?",
}

# Every shown chart (the hidden rendering of each pair has no box) and its texts as rendered:
# the font size times the chart's scale, the box each text takes on the screen.
MEASURE = """() => [...document.querySelectorAll('svg.chart')]
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .map(svg => {
    const r = svg.getBoundingClientRect();
    const scale = svg.getScreenCTM().a;
    return {
      title: svg.querySelector('title').textContent,
      box: [r.left, r.top, r.right, r.bottom],
      texts: [...svg.querySelectorAll('text')].map(t => {
        const b = t.getBoundingClientRect();
        return {text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize) * scale,
                height: b.height, box: [b.left, b.top, b.right, b.bottom]};
      }),
    };
  })"""


def _months_ago(n: int) -> dt.datetime:
    today = dt.datetime.now(dt.UTC).replace(day=5, hour=12, minute=0, second=0, microsecond=0)
    year, month = divmod(today.year * 12 + today.month - 1 - n, 12)
    return today.replace(year=year, month=month + 1)


def _seed(manager) -> None:
    survey = make_survey()
    for code, text in TEXTS.items():
        Question.objects.filter(survey=survey, code=code).update(text={"en": text})
    for back in range(1, 6):
        add_responses(
            survey,
            fixed_answers(40, seed=back),
            submitted=_months_ago(back),
            channel=["web"] * 25 + ["email"] * 12 + ["phone"] * 3,
        )
    for _ in range(3):
        make_complaint()
    rows = "".join(f"{_months_ago(back):%Y-%m},{5000 + 50 * back}\n" for back in range(0, 6))
    volumes_import(actor=manager, content=f"month,orders\n{rows}".encode())


def _overlaps(a: list[float], b: list[float]) -> bool:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width > 0.5 and height > 0.5


def _problems(chart: dict, least: float) -> list[str]:
    out = []
    texts = chart["texts"]
    for t in texts:
        if t["size"] < least or t["height"] < least:
            out.append(f"{t['text']!r} at {t['size']:.1f} px (box {t['height']:.1f} px)")
        left, top, right, bottom = chart["box"]
        x0, y0, x1, y1 = t["box"]
        if x0 < left - 0.5 or x1 > right + 0.5 or y0 < top - 0.5 or y1 > bottom + 0.5:
            out.append(f"{t['text']!r} is cut at the chart's edge")
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            if _overlaps(a["box"], b["box"]):
                out.append(f"{a['text']!r} overlaps {b['text']!r}")
    return out


@pytest.mark.parametrize(("width", "least"), [(1280, 12.0), (390, 10.0)])
def test_insights_charts_are_readable(browser_page, manager, tmp_path, width, least):
    _seed(manager)
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, manager)
    page.goto("/staff/insights/")
    charts = page.evaluate(MEASURE)
    titles = [c["title"] for c in charts]
    # the trends (one per scale question), importance-performance, segments, the indicators
    assert len(charts) >= 9, titles
    assert f"{TEXTS['effort']} — CES, low effort (%)" in titles
    assert "Importance and performance" in titles and "Complaints per 1,000 orders" in titles
    problems = {c["title"]: _problems(c, least) for c in charts}
    assert not any(problems.values()), {k: v for k, v in problems.items() if v}
    # The rate axis reads nice numbers with decimals, not 2, 2, 1, 1, 0, 0.
    rate = next(c for c in charts if c["title"] == "Complaints per 1,000 orders")
    ticks = [t["text"] for t in rate["texts"] if t["text"].replace(".", "").isdigit()]
    assert len(set(ticks)) == len(ticks) and any("." in t for t in ticks), ticks
    keep_screenshot(page, tmp_path, f"insights-charts-{width}")
