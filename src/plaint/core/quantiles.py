"""Percentiles of durations with distribution-free confidence intervals.

For the q-th quantile of n observations, the interval runs between two order statistics chosen
from the binomial distribution of how many observations fall below the true quantile (Hahn &
Meeker, *Statistical Intervals*, 1991, section 5.2; Conover, *Practical Nonparametric Statistics*,
3rd ed., section 3.2). No assumption about the shape of the distribution is made, which suits
times to acknowledge and resolve (skewed, with a long tail). The point estimate is numpy's default
percentile (Hyndman & Fan type 7), as ``plaint.core.stats.percentiles``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats as _st


@dataclass(frozen=True)
class Quantile:
    q: float  # in (0, 1)
    value: float | None
    low: float | None
    high: float | None
    n: int


def quantile_interval(values: np.ndarray, q: float, confidence: float = 0.95) -> Quantile:
    """The ``q`` quantile of ``values`` and a distribution-free interval with at least the stated
    coverage; ends that the sample cannot give (too few observations) are None."""
    if not 0.0 < q < 1.0:
        raise ValueError("q must lie strictly between 0 and 1")
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must lie strictly between 0 and 1")
    v = np.sort(np.asarray(values, dtype=float))
    n = int(v.size)
    if n == 0:
        return Quantile(q, None, None, None, 0)
    alpha = 1.0 - confidence
    # 1-based ranks l and u with P(l <= B < u) >= confidence, B ~ Binomial(n, q)
    lower_rank = int(_st.binom.ppf(alpha / 2.0, n, q))
    upper_rank = int(_st.binom.ppf(1.0 - alpha / 2.0, n, q)) + 1
    low = float(v[lower_rank - 1]) if lower_rank >= 1 else None
    high = float(v[upper_rank - 1]) if upper_rank <= n else None
    return Quantile(q, float(np.percentile(v, 100.0 * q)), low, high, n)


def quantile_from_counts(
    values: np.ndarray, counts: np.ndarray, q: float, confidence: float = 0.95
) -> Quantile:
    """The same figures from a histogram: ``values`` (sorted, distinct) observed ``counts`` times.
    The point estimate is the nearest-rank order statistic (rank ⌈q·n⌉), so a histogram of whole
    hours gives exact answers to the hour; the interval's ranks are those of ``quantile_interval``.
    Used where the database returns counts per value instead of every observation."""
    if not 0.0 < q < 1.0:
        raise ValueError("q must lie strictly between 0 and 1")
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must lie strictly between 0 and 1")
    v = np.asarray(values, dtype=float)
    c = np.asarray(counts, dtype=np.int64)
    n = int(c.sum())
    if n == 0:
        return Quantile(q, None, None, None, 0)
    cumulative = np.cumsum(c)

    def at(rank: int) -> float:  # the rank-th smallest observation, 1-based
        return float(v[int(np.searchsorted(cumulative, rank))])

    alpha = 1.0 - confidence
    lower_rank = int(_st.binom.ppf(alpha / 2.0, n, q))
    upper_rank = int(_st.binom.ppf(1.0 - alpha / 2.0, n, q)) + 1
    return Quantile(
        q,
        at(max(1, math.ceil(q * n))),
        at(lower_rank) if lower_rank >= 1 else None,
        at(upper_rank) if upper_rank <= n else None,
        n,
    )
