"""Statistical process control for complaint rates (ISO 10002 clause 8.3, ISO 9001 9.1.3).

Attribute control charts with limits computed per subgroup, so a month with more orders gets
narrower limits than a quiet one, and the standard run rules that flag a process which has moved
even when no single point lies outside its limits. Pure functions over NumPy arrays; nothing here
touches the database.

- **p-chart**: the share of units that are nonconforming (complaints per order, when each order
  can complain at most once). Centre p̄ = Σd / Σn; limits p̄ ± 3·√(p̄(1-p̄)/nᵢ), the lower one
  clipped at 0 and the upper at 1.
- **u-chart**: nonconformities per unit (complaints per 1,000 orders, when an order can complain
  more than once). Centre ū = Σc / Σn; limits ū ± 3·√(ū/nᵢ), the lower one clipped at 0.

Run rules (Western Electric, *Statistical Quality Control Handbook*, 1956; Nelson, "The Shewhart
control chart — tests for special causes", J. Quality Technology 16(4), 1984), evaluated on each
point's distance from the centre in units of its own sigma, so they hold with varying limits:

1. one point beyond 3 sigma;
2. two of three successive points beyond 2 sigma on the same side;
3. four of five successive points beyond 1 sigma on the same side;
4. eight successive points on the same side of the centre;
5. six successive points steadily increasing or decreasing (Nelson's trend test).

A point is flagged with every rule it completes. Montgomery, *Introduction to Statistical Quality
Control* (6th ed., example 7.1), is the worked example in the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

RULES: dict[int, str] = {
    1: "beyond_3_sigma",
    2: "two_of_three_beyond_2_sigma",
    3: "four_of_five_beyond_1_sigma",
    4: "eight_on_one_side",
    5: "six_trending",
}


@dataclass(frozen=True)
class ControlChart:
    """A chart's points and limits, one entry per subgroup (month), and the run rules each
    point completes (``flags[i]`` is a sorted list of rule numbers from :data:`RULES`)."""

    kind: str  # "p" or "u"
    centre: float
    values: list[float | None]
    lower: list[float | None]
    upper: list[float | None]
    sigma: list[float | None]
    flags: list[list[int]] = field(default_factory=list)

    @property
    def signals(self) -> int:
        """How many points break at least one rule."""
        return sum(1 for f in self.flags if f)


def p_chart(nonconforming: np.ndarray, sizes: np.ndarray) -> ControlChart:
    """A p-chart for counts of nonconforming units ``nonconforming`` out of ``sizes`` units per
    subgroup. Subgroups of size 0 carry no point (None)."""
    d = np.asarray(nonconforming, dtype=float)
    n = np.asarray(sizes, dtype=float)
    _check(d, n)
    if np.any(d > n):
        raise ValueError("a subgroup cannot have more nonconforming units than units")
    total = n.sum()
    centre = float(d.sum() / total) if total > 0 else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma = np.sqrt(centre * (1.0 - centre) / n)
    return _chart("p", d, n, centre, sigma, upper_cap=1.0)


def u_chart(counts: np.ndarray, units: np.ndarray) -> ControlChart:
    """A u-chart for ``counts`` nonconformities over ``units`` inspection units per subgroup
    (units may be fractional, e.g. thousands of orders). Subgroups with no units carry no point."""
    c = np.asarray(counts, dtype=float)
    n = np.asarray(units, dtype=float)
    _check(c, n)
    total = n.sum()
    centre = float(c.sum() / total) if total > 0 else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma = np.sqrt(centre / n)
    return _chart("u", c, n, centre, sigma, upper_cap=None)


def _check(counts: np.ndarray, sizes: np.ndarray) -> None:
    if counts.shape != sizes.shape or counts.ndim != 1:
        raise ValueError("counts and sizes must be one-dimensional and of equal length")
    if np.any(counts < 0) or np.any(sizes < 0) or not np.all(np.isfinite(sizes)):
        raise ValueError("counts and sizes must be finite and not negative")


def _chart(
    kind: str,
    counts: np.ndarray,
    sizes: np.ndarray,
    centre: float,
    sigma: np.ndarray,
    upper_cap: float | None,
) -> ControlChart:
    present = sizes > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(present, counts / np.where(present, sizes, 1.0), np.nan)
    lower = np.maximum(centre - 3.0 * sigma, 0.0)
    upper = centre + 3.0 * sigma
    if upper_cap is not None:
        upper = np.minimum(upper, upper_cap)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(
            present & (sigma > 0), (values - centre) / np.where(sigma > 0, sigma, 1.0), 0.0
        )
    z = np.where(present, z, np.nan)
    return ControlChart(
        kind=kind,
        centre=centre,
        values=_opt(values, present),
        lower=_opt(lower, present),
        upper=_opt(upper, present),
        sigma=_opt(sigma, present),
        flags=run_rules(z),
    )


def _opt(a: np.ndarray, present: np.ndarray) -> list[float | None]:
    return [float(x) if p else None for x, p in zip(a, present, strict=True)]


def run_rules(z: np.ndarray) -> list[list[int]]:
    """The run rules each point completes, from standardised distances ``z`` (NaN: no point,
    which breaks every run). A point "completes" a rule when the run ending at it breaks it."""
    z = np.asarray(z, dtype=float)
    flags: list[set[int]] = [set() for _ in range(len(z))]
    for i in range(len(z)):
        if np.isnan(z[i]):
            continue
        if abs(z[i]) > 3.0:
            flags[i].add(1)
        if _k_of_m_beyond(z, i, k=2, m=3, limit=2.0):
            flags[i].add(2)
        if _k_of_m_beyond(z, i, k=4, m=5, limit=1.0):
            flags[i].add(3)
        if _same_side(z, i, run=8):
            flags[i].add(4)
        if _trend(z, i, run=6):
            flags[i].add(5)
    return [sorted(f) for f in flags]


def _window(z: np.ndarray, i: int, m: int) -> np.ndarray | None:
    if i + 1 < m:
        return None
    w = z[i + 1 - m : i + 1]
    return None if np.any(np.isnan(w)) else w


def _k_of_m_beyond(z: np.ndarray, i: int, *, k: int, m: int, limit: float) -> bool:
    """``k`` of the last ``m`` points beyond ``limit`` sigma on one side, the current point among
    them (so a run is flagged where it completes, not again at every later point)."""
    w = _window(z, i, m)
    if w is None:
        return False
    return any(sign * z[i] > limit and int(np.sum(sign * w > limit)) >= k for sign in (1.0, -1.0))


def _same_side(z: np.ndarray, i: int, *, run: int) -> bool:
    w = _window(z, i, run)
    return w is not None and (bool(np.all(w > 0)) or bool(np.all(w < 0)))


def _trend(z: np.ndarray, i: int, *, run: int) -> bool:
    w = _window(z, i, run)
    if w is None:
        return False
    steps = np.diff(w)
    return bool(np.all(steps > 0)) or bool(np.all(steps < 0))


def pareto(items: list[tuple[str, int]]) -> list[tuple[str, int, float, float]]:
    """Items sorted by count (largest first, ties by key), each with its share and the cumulative
    share of all counts: ``(key, count, share, cumulative)``. Shares are fractions of 1."""
    ordered = sorted(((k, c) for k, c in items if c > 0), key=lambda kc: (-kc[1], kc[0]))
    total = sum(c for _, c in ordered)
    out: list[tuple[str, int, float, float]] = []
    running = 0
    for key, count in ordered:
        running += count
        out.append((key, count, count / total, running / total))
    return out
