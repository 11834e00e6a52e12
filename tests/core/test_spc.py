"""Control-chart limits and run rules, against a textbook example and hand-built runs."""

import math

import numpy as np
import pytest

from plaint.core import spc

# Montgomery, Introduction to Statistical Quality Control, 6th ed., example 7.1: 30 samples of 50
# orange-juice cans, the number of nonconforming cans in each.
MONTGOMERY_7_1 = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22,
                  8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6]  # fmt: skip


def test_p_chart_matches_the_textbook_trial_limits():
    chart = spc.p_chart(np.array(MONTGOMERY_7_1), np.full(30, 50))

    assert chart.centre == pytest.approx(0.2313, abs=5e-5)
    assert chart.upper[0] == pytest.approx(0.4102, abs=5e-5)
    assert chart.lower[0] == pytest.approx(0.0524, abs=5e-5)
    beyond = [i + 1 for i, f in enumerate(chart.flags) if 1 in f]
    assert beyond == [15, 23]  # the two samples the book traces to a new operator and a bad lot


def test_p_chart_revised_limits_flag_sample_21_as_the_book_does():
    kept = [d for i, d in enumerate(MONTGOMERY_7_1) if i + 1 not in (15, 23)]
    chart = spc.p_chart(np.array(kept), np.full(28, 50))

    assert chart.centre == pytest.approx(0.2150, abs=5e-5)
    assert chart.upper[0] == pytest.approx(0.3893, abs=5e-5)
    assert chart.lower[0] == pytest.approx(0.0407, abs=5e-5)
    original_numbers = [i + 1 for i in range(30) if i + 1 not in (15, 23)]
    assert [original_numbers[i] for i, f in enumerate(chart.flags) if 1 in f] == [21]


def test_u_chart_limits_follow_each_subgroup_size():
    counts = np.array([30, 12, 45])
    thousands = np.array([10.0, 4.0, 9.0])
    chart = spc.u_chart(counts, thousands)

    centre = 87 / 23
    assert chart.centre == pytest.approx(centre)
    for i, n in enumerate(thousands):
        assert chart.values[i] == pytest.approx(counts[i] / n)
        assert chart.upper[i] == pytest.approx(centre + 3 * math.sqrt(centre / n))
        assert chart.lower[i] == pytest.approx(max(0.0, centre - 3 * math.sqrt(centre / n)))
    assert chart.upper[1] > chart.upper[0]  # the smallest month has the widest limits


def test_a_month_without_volume_has_no_point_and_breaks_runs():
    chart = spc.u_chart(np.array([5, 0, 7]), np.array([1.0, 0.0, 1.0]))
    assert chart.values[1] is None and chart.upper[1] is None
    assert chart.flags[1] == []


def test_the_lower_limit_never_goes_below_zero():
    chart = spc.p_chart(np.array([1, 0, 2]), np.array([20, 20, 20]))
    assert all(low == 0.0 for low in chart.lower)


@pytest.mark.parametrize(
    ("z", "rule", "flagged"),
    [
        ([0, 3.1, 0, -3.2], 1, [1, 3]),
        ([0, 2.5, 0.5, 2.4, 0], 2, [3]),
        ([0, 2.5, -2.5, 0], 2, []),  # beyond 2 sigma, but on opposite sides
        ([1.5, 1.2, 0.3, 1.1, 1.4, 0], 3, [4]),
        ([0.2] * 7 + [0.1], 4, [7]),
        ([0.2] * 7 + [-0.1], 4, []),
        ([-1.0, -0.6, -0.2, 0.1, 0.5, 0.9], 5, [5]),
        ([-1.0, -0.6, -0.2, -0.2, 0.5, 0.9], 5, []),  # a tie ends the trend
    ],
)
def test_each_run_rule_is_flagged_where_its_run_completes(z, rule, flagged):
    flags = spc.run_rules(np.array(z, dtype=float))
    assert [i for i, f in enumerate(flags) if rule in f] == flagged


def test_a_missing_point_breaks_a_run():
    z = np.array([0.2, 0.2, 0.2, 0.2, np.nan, 0.2, 0.2, 0.2, 0.2])
    assert all(4 not in f for f in spc.run_rules(z))


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        spc.p_chart(np.array([6]), np.array([5]))
    with pytest.raises(ValueError):
        spc.u_chart(np.array([1, 2]), np.array([1.0]))
    with pytest.raises(ValueError):
        spc.u_chart(np.array([-1]), np.array([1.0]))


def test_pareto_sorts_and_accumulates():
    rows = spc.pareto([("billing", 30), ("delivery", 50), ("staff", 20), ("other", 0)])
    assert [r[0] for r in rows] == ["delivery", "billing", "staff"]
    assert [r[1] for r in rows] == [50, 30, 20]
    assert rows[0][2] == pytest.approx(0.5)
    assert [r[3] for r in rows] == pytest.approx([0.5, 0.8, 1.0])
