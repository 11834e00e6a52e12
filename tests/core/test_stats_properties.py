"""Properties of the statistics over any counts (hypothesis): intervals contain their estimate and
stay in range, more data never widens an interval, the planner is monotone."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plaint.core import stats

counts_5 = st.lists(st.integers(0, 500), min_size=5, max_size=5)
counts_11 = st.lists(st.integers(0, 300), min_size=11, max_size=11)


@settings(max_examples=200, deadline=None)
@given(k=st.integers(0, 10_000), extra=st.integers(0, 10_000))
def test_wilson_contains_the_share_and_stays_in_0_1(k, extra):
    n = k + extra
    lo, hi = stats.wilson_interval(k, n)
    assert 0.0 <= lo <= hi <= 1.0
    if n:
        assert lo - 1e-12 <= k / n <= hi + 1e-12


@settings(max_examples=200, deadline=None)
@given(c=counts_5)
def test_csat_and_mean_intervals_contain_their_estimates(c):
    values = np.arange(1, 6)
    counts = np.array(c)
    csat = stats.csat_estimate(values, counts, 5)
    mean = stats.mean_estimate(values, counts)
    if counts.sum() > 0:
        assert csat["low"] - 1e-12 <= csat["value"] <= csat["high"] + 1e-12
    if counts.sum() > 1 and mean["sd"] > 0:
        assert mean["low"] < mean["value"] < mean["high"]
        assert 1 <= mean["value"] <= 5


@settings(max_examples=200, deadline=None)
@given(c=counts_11)
def test_nps_is_between_minus_and_plus_100(c):
    est = stats.nps_estimate(np.arange(11), np.array(c))
    if sum(c):
        assert -100 <= est["low"] <= est["value"] <= est["high"] <= 100


@settings(max_examples=100, deadline=None)
@given(c=counts_5, factor=st.integers(2, 5))
def test_more_of_the_same_answers_narrows_the_interval(c, factor):
    values = np.arange(1, 6)
    counts = np.array(c)
    if counts.sum() < 2 or (counts > 0).sum() < 2:
        return
    small = stats.mean_estimate(values, counts)
    large = stats.mean_estimate(values, counts * factor)
    assert large["moe"] < small["moe"]


@settings(max_examples=200, deadline=None)
@given(
    margin=st.floats(0.005, 0.3),
    population=st.integers(1, 1_000_000),
)
def test_planner_is_monotone_and_bounded(margin, population):
    plan = stats.sample_size(margin, population=population)
    assert 1 <= plan.responses <= min(population, plan.responses_infinite)
    tighter = stats.sample_size(margin * 0.9, population=population)
    assert tighter.responses >= plan.responses


@pytest.mark.parametrize("n", [2, 10, 1000])
def test_fpc_is_one_without_population_and_zero_for_a_census(n):
    assert stats.fpc(n, None) == 1
    assert stats.fpc(n, n) == 0
    # more answers than the population: no correction rather than a silent census
    assert stats.fpc(n + 1, n) == 1
