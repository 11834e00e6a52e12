"""Pure, vectorised statistics for satisfaction measures (ISO 10004:2018 clause 8).

Every function works from sufficient statistics — the count of each answer value, pairwise joint
counts — so the figures of a million responses come from an aggregate of a few hundred rows.
Functions accept arrays with any number of leading axes (months, segments) and a last axis over the
answer values, so a whole trend or breakdown is one NumPy call. Nothing here touches the database.

References used in the docstrings and the tests:
- Wilson, E. B. (1927), "Probable inference…", JASA 22: the score interval.
- Cochran, W. G. (1977), *Sampling Techniques*, 3rd ed., eq. 4.2 and 4.3: sample size and the
  finite population correction.
- Cohen, J. (1988), *Statistical Power Analysis*, 2nd ed.: h for proportions, d for means;
  Hedges & Olkin (1985): the small-sample correction J that turns d into g.
- Rocks, B. (2016), "Interval estimation for the net promoter score", The American Statistician
  70(4): the multinomial variance of NPS.
- Martilla, J. A. & James, J. C. (1977), "Importance-performance analysis", J. Marketing 41(1).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats as _st

# --------------------------------------------------------------------------------------- basics


def _z(confidence: float) -> float:
    """Two-sided normal critical value for a confidence level in (0, 1)."""
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must lie strictly between 0 and 1")
    return float(_st.norm.ppf(0.5 + confidence / 2.0))


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (Wilson 1927).

    ``(0, 0)`` — no observations — gives the uninformative ``(0.0, 1.0)``.
    """
    if n < 0 or successes < 0 or successes > n:
        raise ValueError("need 0 <= successes <= n")
    low, high = wilson_intervals(np.asarray(successes), np.asarray(n), confidence)
    return (float(low), float(high))


def wilson_intervals(
    successes: np.ndarray, n: np.ndarray, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised Wilson intervals; where ``n`` is 0 the interval is (0, 1)."""
    k = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    z = _z(confidence)
    z2 = z * z
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n > 0, k / np.where(n > 0, n, 1), 0.0)
        safe_n = np.where(n > 0, n, 1.0)
        denom = 1.0 + z2 / safe_n
        centre = (p + z2 / (2.0 * safe_n)) / denom
        half = z * np.sqrt(p * (1.0 - p) / safe_n + z2 / (4.0 * safe_n * safe_n)) / denom
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), 0.0)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), 1.0)
    return low, high


def fpc(n: np.ndarray | int, population: int | None) -> np.ndarray:
    """Finite population correction sqrt((N - n) / (N - 1)) (Cochran 1977, 2.3); 1 without N.

    n = N is a census (0). Where n > N the given population cannot be the one the answers were
    drawn from, so no correction is applied (1) rather than clipping to a census; callers report
    it with ``population_too_small``."""
    n = np.asarray(n, dtype=float)
    if population is None or population <= 0:
        return np.ones_like(n)
    big_n = float(population)
    if big_n <= 1:
        return np.where(n > big_n, 1.0, 0.0)
    with np.errstate(invalid="ignore"):
        f = np.sqrt(np.clip((big_n - n) / (big_n - 1.0), 0.0, 1.0))
    return np.where(n > big_n, 1.0, f)


def population_too_small(n: np.ndarray | int, population: int | None) -> bool:
    """Whether any count exceeds the given population (the correction is then not applied)."""
    if population is None or population <= 0:
        return False
    return bool(np.any(np.asarray(n, dtype=float) > population))


@dataclass(frozen=True)
class Estimate:
    """A figure with its interval; ``moe`` is what a report quotes as "± x": for shares the larger
    half-width of the (corrected) Wilson interval, for means, NPS and the index the half-width of
    the symmetric interval, all after the finite population correction."""

    value: float | None
    low: float | None
    high: float | None
    moe: float | None
    n: int

    def as_dict(self) -> dict:
        return asdict(self)


def _f(x: float | np.floating | np.ndarray) -> float | None:
    x = float(x)
    return None if math.isnan(x) else x


# ------------------------------------------------------------------- figures from value counts


def moments(values: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """n, mean and sample standard deviation (ddof=1) from counts over the last axis."""
    v = np.asarray(values, dtype=float)
    c = np.asarray(counts, dtype=float)
    n = c.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (c * v).sum(axis=-1) / n
        ss = (c * (v - mean[..., None]) ** 2).sum(axis=-1)
        sd = np.sqrt(ss / (n - 1))
    return n, mean, sd


def mean_estimate(
    values: np.ndarray,
    counts: np.ndarray,
    confidence: float = 0.95,
    population: int | None = None,
) -> dict[str, np.ndarray]:
    """Mean score with the Student t interval, t(n-1) * s / sqrt(n) * FPC."""
    n, mean, sd = moments(values, counts)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = _st.t.ppf(0.5 + confidence / 2.0, np.where(n > 1, n - 1, np.nan))
        moe = t * sd / np.sqrt(n) * fpc(n, population)
    return {"value": mean, "low": mean - moe, "high": mean + moe, "moe": moe, "n": n, "sd": sd}


def share_estimate(
    successes: np.ndarray,
    n: np.ndarray,
    confidence: float = 0.95,
    population: int | None = None,
) -> dict[str, np.ndarray]:
    """A proportion with its Wilson interval, with the finite population correction when a
    population is given: the Wilson interval is computed on the effective sample size
    n (N - 1) / (N - n), so a census has no interval width.

    The margin of error is the larger half-width of that interval, max(p - low, high - p): the
    Wilson interval is asymmetric near 0 and 1, and unlike the Wald half-width
    z sqrt(p (1 - p) / n) it does not collapse to 0 when every answer (or none) is a success —
    one answer of 100% is ± 0.79 at 95%, not ± 0."""
    k = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    f = fpc(n, population)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        n_eff = np.where(f > 0, n / (f * f), np.inf)
    finite = np.isfinite(n_eff)
    safe_n = np.where(finite, n_eff, 1.0)
    low, high = wilson_intervals(np.where(finite, p * safe_n, 0.0), safe_n, confidence)
    census = ~finite & (n > 0)
    low = np.where(census, p, np.where(n > 0, low, 0.0))
    high = np.where(census, p, np.where(n > 0, high, 1.0))
    with np.errstate(invalid="ignore"):
        moe = np.where(n > 0, np.maximum(p - low, high - p), np.nan)
    return {"value": p, "low": low, "high": high, "moe": moe, "n": n}


def top_boxes(
    values: np.ndarray, counts: np.ndarray, scale_max: int, boxes: int = 2
) -> tuple[np.ndarray, np.ndarray]:
    """Counts of answers in the top ``boxes`` points of the scale, and all answers."""
    v = np.asarray(values)
    c = np.asarray(counts, dtype=float)
    top = (c * (v >= scale_max - boxes + 1)).sum(axis=-1)
    return top, c.sum(axis=-1)


def csat_estimate(
    values: np.ndarray,
    counts: np.ndarray,
    scale_max: int,
    confidence: float = 0.95,
    population: int | None = None,
    boxes: int = 2,
) -> dict[str, np.ndarray]:
    """CSAT: the share of answers in the top two boxes, with a Wilson interval."""
    top, n = top_boxes(values, counts, scale_max, boxes)
    return share_estimate(top, n, confidence, population)


def nps_parts(values: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """n, share of promoters (9-10) and of detractors (0-6) of a 0-10 question."""
    v = np.asarray(values)
    c = np.asarray(counts, dtype=float)
    n = c.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        promoters = (c * (v >= 9)).sum(axis=-1) / n
        detractors = (c * (v <= 6)).sum(axis=-1) / n
    return n, promoters, detractors


def nps_variance(n: np.ndarray | int, promoters: np.ndarray, detractors: np.ndarray) -> np.ndarray:
    """Variance of the NPS (as a fraction) under the multinomial model (Rocks 2016):
    (p + d - (p - d)^2) / n."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return (promoters + detractors - (promoters - detractors) ** 2) / n


def nps_estimate(
    values: np.ndarray,
    counts: np.ndarray,
    confidence: float = 0.95,
    population: int | None = None,
) -> dict[str, np.ndarray]:
    """Net promoter score in points (-100 to 100) with its normal interval from the multinomial
    variance, clipped to the scale, and FPC."""
    n, p, d = nps_parts(values, counts)
    score = p - d
    with np.errstate(invalid="ignore"):
        moe = _z(confidence) * np.sqrt(nps_variance(n, p, d)) * fpc(n, population)
    return {
        "value": 100 * score,
        "low": 100 * np.clip(score - moe, -1, 1),
        "high": 100 * np.clip(score + moe, -1, 1),
        "moe": 100 * moe,
        "n": n,
        "promoters": p,
        "detractors": d,
    }


def rescale_0_100(x: float | np.ndarray, scale_min: float, scale_max: float) -> np.ndarray:
    """A score on [min, max] as 0-100, so scales of different length compare."""
    return 100.0 * (np.asarray(x, dtype=float) - scale_min) / (scale_max - scale_min)


# ------------------------------------------------------------------------- pairwise moments


@dataclass(frozen=True)
class PairMoments:
    """Moments of k variables from pairwise joint counts (pairwise-complete cases)."""

    n: np.ndarray  # (k, k) cases answering both
    mean: np.ndarray  # (k,) mean over the cases answering the variable
    cov: np.ndarray  # (k, k) pairwise-complete covariances (ddof=1); the diagonal over all answers
    corr: np.ndarray  # (k, k) Pearson's r of the complete pairs (the pair's own means and SDs)


def pair_moments(
    k: int,
    a: np.ndarray,
    b: np.ndarray,
    va: np.ndarray,
    vb: np.ndarray,
    count: np.ndarray,
    single_index: npt.ArrayLike,
    single_value: npt.ArrayLike,
    single_count: npt.ArrayLike,
) -> PairMoments:
    """Build n, means and covariances of k variables from rows of joint counts.

    ``a, b`` index the variables of each joint-count row (a != b; each unordered pair once),
    ``va, vb`` are the two answers and ``count`` how many responses gave them. The diagonal comes
    from single-variable counts. Pairwise-complete: each covariance and r (the pair's own SDs) use
    the cases answering both, which equals the listwise figure when everyone answers everything.
    """
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    va = np.asarray(va, dtype=float)
    vb = np.asarray(vb, dtype=float)
    c = np.asarray(count, dtype=float)
    flat = a * k + b
    size = k * k

    def agg(w: np.ndarray) -> np.ndarray:
        out = np.bincount(flat, weights=w, minlength=size).reshape(k, k)
        return out

    n_ab = agg(c)
    sa, sb, sab = agg(c * va), agg(c * vb), agg(c * va * vb)
    saa, sbb = agg(c * va * va), agg(c * vb * vb)
    with np.errstate(divide="ignore", invalid="ignore"):
        cov_ab = (sab - sa * sb / n_ab) / (n_ab - 1)
        r_ab = (sab - sa * sb / n_ab) / np.sqrt((saa - sa * sa / n_ab) * (sbb - sb * sb / n_ab))
    n = n_ab + n_ab.T
    cov = np.nan_to_num(cov_ab) + np.nan_to_num(cov_ab).T
    si = np.asarray(single_index, dtype=np.int64)
    sv = np.asarray(single_value, dtype=float)
    sc = np.asarray(single_count, dtype=float)
    n1 = np.bincount(si, weights=sc, minlength=k)
    s1 = np.bincount(si, weights=sc * sv, minlength=k)
    ss1 = np.bincount(si, weights=sc * sv * sv, minlength=k)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = s1 / n1
        var = (ss1 - s1 * s1 / n1) / (n1 - 1)
    idx = np.arange(k)
    n[idx, idx] = n1
    cov[idx, idx] = var
    cov[(n < 2)] = np.nan
    corr = np.where(n_ab > 0, r_ab, 0.0) + np.where(n_ab > 0, r_ab, 0.0).T
    corr[idx, idx] = np.where(var > 0, 1.0, np.nan)
    corr[(n < 2)] = np.nan
    return PairMoments(n=n, mean=mean, cov=cov, corr=corr)


# ------------------------------------------------------------- index and importance-performance


def weighted_index(
    means_0_100: np.ndarray,
    weights: np.ndarray,
    moments_0_100: PairMoments | None = None,
    confidence: float = 0.95,
    population: int | None = None,
) -> Estimate:
    """Weighted satisfaction index: sum(w_i * mean_i) / sum(w), each mean on 0-100.

    Its standard error uses the covariance of the attribute means, cov(m_i, m_j) =
    n_ij * s_ij / (n_i * n_j) (pairwise overlap), so correlated attributes are not treated as
    independent evidence. Without pairwise moments the attributes are taken as independent.
    """
    m = np.asarray(means_0_100, dtype=float)
    w = np.asarray(weights, dtype=float)
    ok = ~np.isnan(m) & (w > 0)
    if not ok.any():
        return Estimate(None, None, None, None, 0)
    w = np.where(ok, w, 0.0) / w[ok].sum()
    value = float(np.nansum(w * np.where(ok, m, 0.0)))
    if moments_0_100 is None:
        return Estimate(value, None, None, None, 0)
    n = moments_0_100.n
    with np.errstate(divide="ignore", invalid="ignore"):
        cov_means = np.nan_to_num(n * moments_0_100.cov / np.outer(np.diag(n), np.diag(n)))
    var = float(w @ cov_means @ w)
    n_min = int(np.diag(n)[ok].min())
    moe = _z(confidence) * math.sqrt(max(var, 0.0)) * float(fpc(n_min, population))
    return Estimate(value, max(0.0, value - moe), min(100.0, value + moe), moe, n_min)


def derived_importance(
    moments_all: PairMoments, overall: int, attributes: list[int], method: str
) -> np.ndarray:
    """Importance of each attribute for the overall question.

    ``correlation``: Pearson r of the attribute with the overall question.
    ``regression``: standardized coefficients of the multiple regression of the overall question on
    the attributes, beta = R_xx^-1 r_xy (the normal equations in correlation form), identical to
    OLS on z-scored variables when every response answers every question.
    """
    r = moments_all.corr
    rxy = r[np.ix_(attributes, [overall])].ravel()
    if method == "correlation":
        return rxy
    if method == "regression":
        rxx = r[np.ix_(attributes, attributes)]
        if np.isnan(rxx).any() or np.isnan(rxy).any():
            return np.full(len(attributes), np.nan)
        beta, *_ = np.linalg.lstsq(rxx, rxy, rcond=None)
        return beta
    raise ValueError(f"unknown method {method!r}")


def ipa_quadrants(
    importance: np.ndarray, performance: np.ndarray
) -> tuple[list[str], float, float]:
    """Martilla & James (1977) quadrants, split at the mean importance and mean performance."""
    imp = np.asarray(importance, dtype=float)
    perf = np.asarray(performance, dtype=float)
    ok = ~np.isnan(imp) & ~np.isnan(perf)
    if not ok.any():
        return ["" for _ in imp], math.nan, math.nan
    ci, cp = float(imp[ok].mean()), float(perf[ok].mean())
    labels = np.where(
        ~ok,
        "",
        np.where(
            imp >= ci,
            np.where(perf >= cp, "keep_up", "concentrate"),
            np.where(perf >= cp, "possible_overkill", "low_priority"),
        ),
    )
    return [str(x) for x in labels], ci, cp


# --------------------------------------------------------------------------------- comparisons


@dataclass(frozen=True)
class Comparison:
    """Group B minus group A with a two-sided test and an effect size."""

    a: float | None
    b: float | None
    difference: float | None
    low: float | None
    high: float | None
    statistic: float | None
    p_value: float | None
    effect_size: float | None
    effect_name: str
    test: str
    n_a: int
    n_b: int

    @property
    def significant(self) -> bool:
        return self.p_value is not None and self.p_value < 0.05

    def as_dict(self) -> dict:
        return asdict(self) | {"significant": self.significant}


def compare_proportions(
    k_a: int, n_a: int, k_b: int, n_b: int, confidence: float = 0.95
) -> Comparison:
    """Two-proportion z-test with the pooled variance (as statsmodels ``proportions_ztest``),
    a Wald interval of the difference, and Cohen's h = 2 asin sqrt(p_b) - 2 asin sqrt(p_a)."""
    if n_a == 0 or n_b == 0:
        return Comparison(None, None, None, None, None, None, None, None, "h", "z", n_a, n_b)
    pa, pb = k_a / n_a, k_b / n_b
    pooled = (k_a + k_b) / (n_a + n_b)
    se0 = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    diff = pb - pa
    z = diff / se0 if se0 > 0 else math.nan
    p = float(2 * _st.norm.sf(abs(z))) if se0 > 0 else math.nan
    se = math.sqrt(pa * (1 - pa) / n_a + pb * (1 - pb) / n_b)
    half = _z(confidence) * se
    h = 2 * math.asin(math.sqrt(pb)) - 2 * math.asin(math.sqrt(pa))
    return Comparison(pa, pb, diff, diff - half, diff + half, _f(z), _f(p), h, "h", "z", n_a, n_b)


def compare_means(
    mean_a: float,
    sd_a: float,
    n_a: int,
    mean_b: float,
    sd_b: float,
    n_b: int,
    confidence: float = 0.95,
) -> Comparison:
    """Welch's t-test (scipy ``ttest_ind_from_stats``, unequal variances), the Welch interval of
    the difference, and Hedges' g (Cohen's d on the pooled SD times J = 1 - 3 / (4(n_a+n_b) - 9))."""
    if n_a < 2 or n_b < 2:
        return Comparison(None, None, None, None, None, None, None, None, "g", "welch_t", n_a, n_b)
    res = _st.ttest_ind_from_stats(mean_b, sd_b, n_b, mean_a, sd_a, n_a, equal_var=False)
    va, vb = sd_a**2 / n_a, sd_b**2 / n_b
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (n_a - 1) + vb**2 / (n_b - 1)) if se > 0 else math.nan
    diff = mean_b - mean_a
    half = float(_st.t.ppf(0.5 + confidence / 2, df)) * se if se > 0 else math.nan
    pooled = math.sqrt(((n_a - 1) * sd_a**2 + (n_b - 1) * sd_b**2) / (n_a + n_b - 2))
    d = diff / pooled if pooled > 0 else math.nan
    g = d * (1 - 3 / (4 * (n_a + n_b) - 9))
    return Comparison(
        mean_a,
        mean_b,
        diff,
        _f(diff - half),
        _f(diff + half),
        _f(res.statistic),
        _f(res.pvalue),
        _f(g),
        "g",
        "welch_t",
        n_a,
        n_b,
    )


def compare_nps(
    counts_a: np.ndarray, counts_b: np.ndarray, values: np.ndarray, confidence: float = 0.95
) -> Comparison:
    """NPS difference (points) with z = (NPS_b - NPS_a) / sqrt(var_a + var_b), each variance
    from the multinomial model of its own sample (independent samples)."""
    answers_a, p_a, d_a = nps_parts(values, counts_a)
    answers_b, p_b, d_b = nps_parts(values, counts_b)
    n_a, n_b = int(answers_a), int(answers_b)
    if n_a == 0 or n_b == 0:
        return Comparison(None, None, None, None, None, None, None, None, "", "z", n_a, n_b)
    se = math.sqrt(float(nps_variance(n_a, p_a, d_a) + nps_variance(n_b, p_b, d_b)))
    a, b = float(p_a - d_a), float(p_b - d_b)
    diff = b - a
    z = diff / se if se > 0 else math.nan
    p = float(2 * _st.norm.sf(abs(z))) if se > 0 else math.nan
    half = _z(confidence) * se
    return Comparison(
        100 * a,
        100 * b,
        100 * diff,
        100 * (diff - half),
        100 * (diff + half),
        _f(z),
        _f(p),
        None,
        "",
        "z",
        n_a,
        n_b,
    )


# ------------------------------------------------------------------------------ sample sizes


@dataclass(frozen=True)
class SamplePlan:
    responses_infinite: int  # without the finite population correction
    responses: int  # with FPC when a population is given
    invitations: int | None  # responses / expected response rate
    margin: float
    confidence: float
    population: int | None
    proportion: float
    response_rate: float | None

    def as_dict(self) -> dict:
        return asdict(self)


def sample_size(
    margin: float,
    confidence: float = 0.95,
    population: int | None = None,
    proportion: float = 0.5,
    response_rate: float | None = None,
) -> SamplePlan:
    """Responses needed for a proportion within ±margin (Cochran 1977, eq. 4.2):
    n0 = z^2 p (1 - p) / e^2; with a population N, n = n0 / (1 + (n0 - 1) / N) (eq. 4.3);
    invitations = n / response rate. Every figure is rounded up."""
    if not 0 < margin < 1:
        raise ValueError("margin must lie between 0 and 1")
    if not 0 < proportion < 1:
        raise ValueError("proportion must lie between 0 and 1")
    if population is not None and population < 1:
        raise ValueError("population must be at least 1")
    if response_rate is not None and not 0 < response_rate <= 1:
        raise ValueError("response rate must lie in (0, 1]")
    z = _z(confidence)
    n0 = z * z * proportion * (1 - proportion) / (margin * margin)
    n = n0 / (1 + (n0 - 1) / population) if population else n0
    # A tiny tolerance keeps 384.0000000001 from becoming 385 by floating-point noise.
    responses = math.ceil(n - 1e-9)
    if population:
        responses = min(responses, population)
    invitations = math.ceil(responses / response_rate - 1e-9) if response_rate else None
    return SamplePlan(
        math.ceil(n0 - 1e-9),
        responses,
        invitations,
        margin,
        confidence,
        population,
        proportion,
        response_rate,
    )


# ------------------------------------------------------------------------------------ rates


def poisson_rate_interval(
    count: np.ndarray, exposure: np.ndarray, confidence: float = 0.95, per: float = 1000.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A rate (``count`` events per ``per`` units of ``exposure``) with the exact Poisson
    (Garwood 1936) interval: chi2(a/2, 2k)/2 and chi2(1 - a/2, 2k + 2)/2, divided by the exposure.
    NaN where the exposure is missing or zero."""
    k = np.asarray(count, dtype=float)
    e = np.asarray(exposure, dtype=float)
    alpha = 1 - confidence
    with np.errstate(divide="ignore", invalid="ignore"):
        safe = np.where(e > 0, e, np.nan)
        low = np.where(k > 0, _st.chi2.ppf(alpha / 2, 2 * k) / 2, 0.0) / safe * per
        high = _st.chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2 / safe * per
        rate = k / safe * per
    return rate, low, high


# --------------------------------------------------------------------------------- breakdowns


def suppressed(n: np.ndarray, min_count: int) -> np.ndarray:
    """Cells with fewer than ``min_count`` answers are hidden (True = hide)."""
    if min_count < 1:
        raise ValueError("min_count must be at least 1")
    return np.asarray(n) < min_count


def percentiles(values: np.ndarray, qs: tuple[float, ...] = (50, 90)) -> list[float | None]:
    """Percentiles (linear interpolation, numpy's default, = Hyndman & Fan type 7)."""
    v = np.asarray(values, dtype=float)
    if v.size == 0:
        return [None for _ in qs]
    return [float(x) for x in np.percentile(v, qs)]
