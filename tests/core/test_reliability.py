"""Cronbach's alpha, its Feldt interval and the item figures, each against an independent
computation on the raw answers (numpy, pandas, scipy) or a simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from plaint.core.reliability import cronbach, feldt_interval


def _scale(n: int, k: int = 4, seed: int = 11) -> np.ndarray:
    """n respondents answering k items on 1-5 that share one trait, with item noise."""
    rng = np.random.default_rng(seed)
    trait = rng.normal(0, 1, n)
    items = [np.clip(np.round(3 + trait + rng.normal(0, 1.0 + 0.3 * i, n)), 1, 5) for i in range(k)]
    return np.column_stack(items)


def _alpha_from_sum_scores(x: np.ndarray) -> float:
    """The textbook formula: k / (k - 1) * (1 - sum of item variances / variance of the sum)."""
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))


def test_alpha_and_item_figures_of_complete_answers_match_the_sum_scores():
    x = _scale(300)
    found = cronbach(np.cov(x.T, ddof=1), np.full((4, 4), 300))
    assert found.alpha == pytest.approx(_alpha_from_sum_scores(x), abs=1e-12)
    assert found.n == 300 and found.k == 4
    for i, item in enumerate(found.items):
        rest = np.delete(x, i, axis=1)
        r = np.corrcoef(x[:, i], rest.sum(axis=1))[0, 1]
        assert item.item_total_r == pytest.approx(r, abs=1e-12)
        assert item.alpha_if_deleted == pytest.approx(_alpha_from_sum_scores(rest), abs=1e-12)


def test_alpha_with_missing_answers_uses_the_pairwise_covariances():
    x = _scale(300)
    rng = np.random.default_rng(3)
    x[rng.random(x.shape) < 0.15] = np.nan
    frame = pd.DataFrame(x)
    cov = frame.cov().to_numpy()  # pairwise-complete, as pingouin's nan_policy="pairwise"
    answered = (~np.isnan(x)).astype(int)
    pair_n = answered.T @ answered
    found = cronbach(cov, pair_n)
    k = 4
    expected = k / (k - 1) * (1 - np.trace(cov) / cov.sum())
    assert found.alpha == pytest.approx(expected, abs=1e-12)
    # the interval counts the smallest pairwise count, not every respondent
    assert found.n == int(pair_n.min()) < 300
    complete = cronbach(cov, np.full((4, 4), 300))
    assert (found.high - found.low) > (complete.high - complete.low)
    # pingouin 0.7.0, cronbach_alpha(pd.DataFrame(x)) on this very data (its n is every row):
    # (0.5961463747704073, [0.516, 0.666]), computed once with pingouin installed on the side
    assert complete.alpha == pytest.approx(0.5961463747704073, abs=1e-12)
    assert (round(complete.low, 3), round(complete.high, 3)) == (0.516, 0.666)


def test_feldt_interval_covers_the_true_alpha_about_as_often_as_it_says():
    """Parallel items with a known alpha: the 95 % interval covers it in 93-97 % of samples."""
    rng = np.random.default_rng(2026)
    k, n, runs = 5, 60, 600
    # true score variance 1, error variance 1 per item: alpha = k * 1 / (k * 1 + 1) = 5/6
    true_alpha = k / (k + 1)
    covered = 0
    for _ in range(runs):
        x = rng.normal(0, 1, (n, 1)) + rng.normal(0, 1, (n, k))
        found = cronbach(np.cov(x.T, ddof=1), np.full((k, k), n))
        covered += found.low <= true_alpha <= found.high
    assert 0.93 <= covered / runs <= 0.97


def test_feldt_interval_brackets_the_estimate_and_narrows_with_more_respondents():
    low, high = feldt_interval(0.8, 50, 5)
    assert low < 0.8 < high
    low2, high2 = feldt_interval(0.8, 500, 5)
    assert high2 - low2 < high - low
    with pytest.raises(ValueError):
        feldt_interval(0.8, 50, 5, confidence=1.0)


def test_undefined_figures_are_none_not_nan():
    assert cronbach(np.array([[1.0]]), np.array([[10]])) is None  # one item: no alpha
    flat = cronbach(np.zeros((3, 3)), np.full((3, 3), 10))  # nobody varies
    assert flat.alpha is None and flat.low is None
    assert all(i.item_total_r is None for i in flat.items)
    two = cronbach(np.array([[1.0, 0.5], [0.5, 1.0]]), np.full((2, 2), 40))
    assert two.alpha == pytest.approx(2 * (1 - 2 / 3))
    assert all(i.alpha_if_deleted is None for i in two.items)  # one item left: no alpha
    gap = cronbach(np.array([[1.0, np.nan], [np.nan, 1.0]]), np.array([[40, 0], [0, 40]]))
    assert gap.alpha is None and gap.n == 0
