"""Each indicator's value against a count worked out independently from the seeded complaints,
with its interval from core.stats."""

from __future__ import annotations

import datetime as dt

import pytest

from plaint.core import stats
from plaint.core.errors import ValidationFailed
from plaint.improvement.indicators import indicator_value, meets, spec_clean
from plaint.insights.models import PeriodVolume
from tests.factories import CategoryFactory
from tests.improvement.helpers import at, file_complaint

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)
APRIL = dt.date(2026, 4, 1)
HOUR, WEEK = dt.timedelta(hours=1), dt.timedelta(days=8)


@pytest.fixture
def seeded(handler):
    CategoryFactory(code="delivery", name="Delivery")
    CategoryFactory(code="billing", name="Billing")
    made = [
        # Tuesday 10 March: acknowledged within the hour, closed after two days
        file_complaint(
            at(2026, 3, 10),
            handler,
            ack_after=HOUR,
            close_after=dt.timedelta(days=2),
            category="delivery",
        ),
        file_complaint(at(2026, 3, 10), handler, ack_after=HOUR, category="delivery"),
        # acknowledged eight days later, closed after twenty
        file_complaint(
            at(2026, 3, 11),
            handler,
            ack_after=WEEK,
            close_after=dt.timedelta(days=20),
            category="billing",
            channel="phone",
        ),
        file_complaint(at(2026, 3, 12), handler, category="billing"),  # never acknowledged
        file_complaint(at(2026, 4, 7), handler, ack_after=HOUR, category="delivery"),
    ]
    return made


def test_complaints_received_counts_the_months_with_the_filters(seeded):
    assert indicator_value(spec={"kind": "received"}, start=MARCH, end=MARCH).value == 4
    both = indicator_value(spec={"kind": "received"}, start=MARCH, end=APRIL)
    assert both.value == 5
    _r, low, high = stats.poisson_rate_interval(5, 1, per=1)
    assert (both.low, both.high) == pytest.approx((float(low), float(high)))
    delivery = seeded[0].category_id
    spec = {"kind": "received", "category": delivery}
    assert indicator_value(spec=spec, start=MARCH, end=APRIL).value == 3
    spec = {"kind": "received", "channel": "phone"}
    assert indicator_value(spec=spec, start=MARCH, end=APRIL).value == 1


def test_per_1000_orders_uses_the_months_volumes(seeded):
    PeriodVolume.objects.create(month=MARCH, orders=800, updated_at=at(2026, 5, 1))
    PeriodVolume.objects.create(month=APRIL, orders=1200, updated_at=at(2026, 5, 1))
    reading = indicator_value(spec={"kind": "per_1000_orders"}, start=MARCH, end=APRIL)
    assert reading.value == pytest.approx(1000 * 5 / 2000)
    _r, low, high = stats.poisson_rate_interval(5, 2000)
    assert (reading.low, reading.high) == pytest.approx((float(low), float(high)))


def test_per_1000_orders_without_volumes_has_no_value(seeded):
    reading = indicator_value(spec={"kind": "per_1000_orders"}, start=MARCH, end=MARCH)
    assert reading.value is None and reading.n == 0


def test_acknowledged_within_the_promise_against_each_cases_due_time(seeded):
    march = [c for c in seeded if c.received_at.month == 3]
    met = sum(
        1 for c in march if c.acknowledged_at and c.acknowledged_at <= c.acknowledgement_due_at
    )
    reading = indicator_value(spec={"kind": "ack_within_promise"}, start=MARCH, end=MARCH)
    assert met == 2
    assert reading.n == 4 and reading.value == pytest.approx(50.0)
    low, high = stats.wilson_interval(2, 4)
    assert (reading.low, reading.high) == pytest.approx((100 * low, 100 * high))


def test_acknowledged_within_business_days(seeded):
    spec = {"kind": "ack_within_business_days", "days": 1}
    reading = indicator_value(spec=spec, start=MARCH, end=MARCH)
    # within the hour: two; eight days later and never: not within one business day
    assert (reading.n, reading.value) == (4, pytest.approx(50.0))


def test_closed_within_days_counts_decided_cases_only(seeded):
    reading = indicator_value(
        spec={"kind": "closed_within_days", "days": 5}, start=MARCH, end=MARCH
    )
    # all four are older than five days (so decided); one closed within five days
    assert (reading.n, reading.value) == (4, pytest.approx(25.0))
    reading = indicator_value(
        spec={"kind": "closed_within_days", "days": 30}, start=MARCH, end=MARCH
    )
    assert reading.value == pytest.approx(50.0)


@pytest.mark.parametrize(
    "raw",
    [
        {"kind": "nonsense"},
        {"kind": "received", "days": 3},
        {"kind": "closed_within_days"},
        {"kind": "ack_within_business_days", "days": 0},
        {"kind": "received", "channel": "pigeon"},
        {"kind": "received", "category": 99999},
        {"kind": "survey", "survey": "handling", "question": "q1", "measure": "median"},
        "received",
    ],
)
def test_a_bad_spec_is_refused_with_the_field(db, raw):
    with pytest.raises(ValidationFailed) as caught:
        spec_clean(raw)
    assert caught.value.fields


def test_meets_compares_either_way():
    assert meets(95.0, "ge", 95) and not meets(94.9, "ge", 95)
    assert meets(3.0, "le", 3) and not meets(3.1, "le", 3)
    assert meets(None, "ge", 1) is None


def test_a_survey_measure_reads_the_dashboards_figures(db):
    from plaint.insights.models import AnswerCount
    from plaint.surveys.models import Question
    from tests.insights.factories import make_survey

    survey = make_survey(key="handling")
    overall = Question.objects.get(survey=survey, code="overall")
    nps = Question.objects.get(survey=survey, code="nps")
    for question, counts in ((overall, {5: 6, 4: 4, 2: 5, 1: 5}), (nps, {10: 3, 9: 2, 7: 1, 3: 4})):
        for value, count in counts.items():
            AnswerCount.objects.create(
                survey=survey,
                question=question,
                month=MARCH,
                dimension="all",
                segment="",
                value=value,
                count=count,
            )
    spec = {"kind": "survey", "survey": "handling", "question": "overall", "measure": "csat"}
    csat = indicator_value(spec=spec, start=MARCH, end=MARCH)
    assert (csat.n, csat.value) == (20, pytest.approx(100 * 10 / 20))  # 4s and 5s of 20
    assert csat.low < csat.value < csat.high
    mean = indicator_value(spec={**spec, "measure": "mean"}, start=MARCH, end=MARCH)
    assert mean.value == pytest.approx((5 * 6 + 4 * 4 + 2 * 5 + 1 * 5) / 20)
    score = indicator_value(
        spec={**spec, "question": "nps", "measure": "nps"}, start=MARCH, end=MARCH
    )
    assert score.value == pytest.approx(100 * (5 - 4) / 10)  # promoters 9-10, detractors 0-6
    assert indicator_value(spec=spec, start=APRIL, end=APRIL).value is None
    with pytest.raises(ValidationFailed):
        indicator_value(spec={**spec, "measure": "nps"}, start=MARCH, end=MARCH)
