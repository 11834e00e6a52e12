"""Internal consistency of a set of attribute questions: Cronbach's alpha with its Feldt interval,
the corrected item-total correlation and alpha if an item were left out.

Everything comes from the items' covariance matrix (the pairwise one of ``stats.pair_moments``:
each covariance over the responses answering both items, each variance over all answers to the
item — what ``pandas.DataFrame.cov`` and pingouin's ``cronbach_alpha(nan_policy="pairwise")``
use), so the figures of a million responses come from the joint counts like every other measure.
With complete answers this is the textbook listwise alpha.

References:
- Cronbach, L. J. (1951), "Coefficient alpha and the internal structure of tests",
  Psychometrika 16(3): alpha = k / (k - 1) * (1 - sum of item variances / variance of the total).
- Feldt, L. S., Woodruff, D. J. & Salih, F. A. (1987), "Statistical inference for coefficient
  alpha", Applied Psychological Measurement 11(1): (1 - alpha) / (1 - alpha_hat) follows
  F(n - 1, (n - 1)(k - 1)), which gives the interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats as _st


@dataclass(frozen=True)
class ItemFigures:
    """One item's part in the scale."""

    item_total_r: float | None  # r of the item with the sum of the other items
    alpha_if_deleted: float | None  # alpha of the other items (None with fewer than 3 items)


@dataclass(frozen=True)
class Reliability:
    alpha: float | None
    low: float | None
    high: float | None
    n: int  # responses the interval counts (the smallest pairwise count of the items)
    k: int  # items
    items: list[ItemFigures]


def _alpha(cov: np.ndarray) -> float | None:
    """Cronbach's alpha of the items whose covariance matrix is ``cov`` (None when undefined:
    fewer than two items, a missing covariance or a total without variance)."""
    k = cov.shape[0]
    if k < 2 or np.isnan(cov).any():
        return None
    total = float(cov.sum())
    if total <= 0:
        return None
    return k / (k - 1) * (1.0 - float(np.trace(cov)) / total)


def feldt_interval(alpha: float, n: int, k: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Feldt interval of alpha from n respondents and k items."""
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must lie strictly between 0 and 1")
    df1 = n - 1
    df2 = df1 * (k - 1)
    tail = (1.0 - confidence) / 2.0
    low = 1.0 - (1.0 - alpha) * float(_st.f.isf(tail, df1, df2))
    high = 1.0 - (1.0 - alpha) * float(_st.f.isf(1.0 - tail, df1, df2))
    return low, high


def _item_total_r(cov: np.ndarray, i: int) -> float | None:
    """Pearson's r of item i with the sum of the other items (the "corrected" item-total r)."""
    rest = [j for j in range(cov.shape[0]) if j != i]
    var_rest = float(cov[np.ix_(rest, rest)].sum())
    var_i = float(cov[i, i])
    if var_rest <= 0 or var_i <= 0:
        return None
    return float(cov[i, rest].sum()) / math.sqrt(var_i * var_rest)


def cronbach(cov: np.ndarray, pair_n: np.ndarray, confidence: float = 0.95) -> Reliability | None:
    """Alpha of the items of ``cov`` (k x k) with its interval, and each item's figures.

    ``pair_n`` (k x k) counts the responses answering both items; the interval takes the smallest
    of them as the number of respondents (with complete answers: the respondents), so missing
    answers widen it rather than narrow it. None with fewer than two items.
    """
    cov = np.asarray(cov, dtype=float)
    k = cov.shape[0]
    if k < 2:
        return None
    n = int(np.asarray(pair_n).min())
    alpha = _alpha(cov)
    low = high = None
    if alpha is not None and n >= 2:
        low, high = feldt_interval(alpha, n, k, confidence)
    items = []
    for i in range(k):
        rest = [j for j in range(k) if j != i]
        valid = not np.isnan(cov).any()
        items.append(
            ItemFigures(
                item_total_r=_item_total_r(cov, i) if valid else None,
                alpha_if_deleted=_alpha(cov[np.ix_(rest, rest)]) if k > 2 else None,
            )
        )
    return Reliability(alpha=alpha, low=low, high=high, n=n, k=k, items=items)
