"""Pure, vectorised statistics for satisfaction measures (ISO 10004:2018 clause 8).

Every function here works from sufficient statistics — counts of each answer value, sums and
sums of squares, pairwise joint counts — so the figures of a million responses come from an
aggregate of a few hundred rows. Nothing here touches the database or loops over responses.
"""

from __future__ import annotations

import math

from scipy import stats as _st


def _z(confidence: float) -> float:
    """Two-sided normal critical value for a confidence level in (0, 1)."""
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must lie strictly between 0 and 1")
    return float(_st.norm.ppf(0.5 + confidence / 2.0))


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (Wilson 1927; Agresti & Coull 1998).

    ``(0, 0)`` — no observations — gives the uninformative ``(0.0, 1.0)``.
    """
    if n < 0 or successes < 0 or successes > n:
        raise ValueError("need 0 <= successes <= n")
    if n == 0:
        return (0.0, 1.0)
    z = _z(confidence)
    p = successes / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2.0 * n)) / denom
    half = z * math.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))
