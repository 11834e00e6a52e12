"""Every statistic checked against an independent computation on fixed data sets:
statsmodels / scipy on the raw answers, or a worked textbook example (cited at the test)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats as st
from statsmodels.stats.proportion import proportion_confint, proportions_ztest
from statsmodels.stats.weightstats import DescrStatsW, ttest_ind

from plaint.core import stats

# A fixed data set: 5-point answers of two groups (e.g. two months).
RAW_A = np.array([5, 4, 4, 3, 5, 2, 4, 5, 1, 4, 3, 4, 5, 5, 2, 4, 3, 4, 5, 4, 4, 3, 5, 1, 4])
RAW_B = np.array([5, 5, 4, 5, 4, 4, 5, 3, 5, 4, 5, 5, 4, 2, 5, 4, 5, 5, 4, 3, 5, 4, 5, 5, 4, 5, 4])
VALUES_5 = np.arange(1, 6)
NPS_VALUES = np.arange(0, 11)
RAW_NPS_A = np.array([10, 9, 8, 7, 6, 10, 9, 3, 10, 8, 9, 5, 10, 7, 9, 9, 2, 10, 8, 6, 9, 10])
RAW_NPS_B = np.array([10, 10, 9, 8, 9, 10, 7, 9, 10, 9, 6, 10, 9, 8, 10, 10, 9, 4, 10, 9])


def counts(raw, values):
    return np.array([(raw == v).sum() for v in values])


@pytest.mark.parametrize(
    ("k", "n", "conf"),
    [
        (0, 1, 0.95),
        (1, 1, 0.95),
        (7, 10, 0.95),
        (81, 263, 0.95),
        (0, 50, 0.9),
        (50, 50, 0.99),
        (432, 1000, 0.95),
    ],
)
def test_wilson_matches_statsmodels(k, n, conf):
    lo, hi = stats.wilson_interval(k, n, conf)
    elo, ehi = proportion_confint(k, n, alpha=1 - conf, method="wilson")
    assert lo == pytest.approx(elo, abs=1e-12)
    assert hi == pytest.approx(ehi, abs=1e-12)


def test_wilson_empty_is_uninformative():
    assert stats.wilson_interval(0, 0) == (0.0, 1.0)


def test_wilson_rejects_impossible_counts():
    with pytest.raises(ValueError):
        stats.wilson_interval(5, 4)


def test_wilson_vectorised_matches_scalar():
    k = np.array([[0, 3], [10, 0]])
    n = np.array([[5, 9], [10, 0]])
    lo, hi = stats.wilson_intervals(k, n)
    assert lo.shape == (2, 2)
    for i in range(2):
        for j in range(2):
            assert (lo[i, j], hi[i, j]) == pytest.approx(stats.wilson_interval(k[i, j], n[i, j]))


def test_csat_top_two_boxes_and_wilson():
    est = stats.csat_estimate(VALUES_5, counts(RAW_A, VALUES_5), scale_max=5)
    k = int((RAW_A >= 4).sum())
    assert est["value"] == pytest.approx(k / len(RAW_A))
    lo, hi = proportion_confint(k, len(RAW_A), method="wilson")
    assert (est["low"], est["high"]) == pytest.approx((lo, hi))
    # The margin of error is the larger half-width of the Wilson interval.
    p = k / len(RAW_A)
    assert est["moe"] == pytest.approx(max(p - lo, hi - p))


@pytest.mark.parametrize(
    ("k", "n"), [(0, 1), (1, 1), (0, 7), (7, 7), (0, 250), (250, 250), (1, 250), (3, 4)]
)
@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_share_margin_does_not_collapse_at_0_or_100_percent(k, n, confidence):
    est = stats.share_estimate(k, n, confidence)
    lo, hi = proportion_confint(k, n, alpha=1 - confidence, method="wilson")
    assert (est["low"], est["high"]) == pytest.approx((lo, hi))
    assert est["moe"] == pytest.approx(max(k / n - lo, hi - k / n))
    assert est["moe"] > 0
    if k in (0, n):
        # all the width lies on one side: the margin is the whole interval's width
        assert est["moe"] == pytest.approx(hi - lo)


def test_one_answer_of_100_percent_is_about_plus_minus_0_79():
    est = stats.share_estimate(1, 1)
    assert est["moe"] == pytest.approx(1.959964**2 / (1 + 1.959964**2), rel=1e-6)


def test_population_smaller_than_the_answers_means_no_correction():
    est = stats.share_estimate(30, 40, population=25)
    plain = stats.share_estimate(30, 40)
    assert est["moe"] == pytest.approx(plain["moe"]) and est["moe"] > 0
    assert stats.population_too_small(40, 25)
    assert not stats.population_too_small(25, 25) and not stats.population_too_small(40, None)
    mean = stats.mean_estimate(VALUES_5, counts(RAW_A, VALUES_5), population=len(RAW_A) - 1)
    assert mean["moe"] == pytest.approx(
        stats.mean_estimate(VALUES_5, counts(RAW_A, VALUES_5))["moe"]
    )


def test_mean_t_interval_matches_descrstats():
    est = stats.mean_estimate(VALUES_5, counts(RAW_A, VALUES_5))
    d = DescrStatsW(RAW_A.astype(float))
    lo, hi = d.tconfint_mean(alpha=0.05)
    assert est["value"] == pytest.approx(RAW_A.mean())
    assert est["sd"] == pytest.approx(RAW_A.std(ddof=1))
    assert (est["low"], est["high"]) == pytest.approx((lo, hi))


def test_mean_with_weighted_descrstats_from_counts():
    # DescrStatsW with frequency weights is the same computation done independently from counts.
    c = counts(RAW_B, VALUES_5)
    est = stats.mean_estimate(VALUES_5, c, confidence=0.9)
    lo, hi = DescrStatsW(VALUES_5.astype(float), weights=c).tconfint_mean(alpha=0.1)
    assert (est["low"], est["high"]) == pytest.approx((lo, hi))


def test_fpc_shrinks_the_margin_textbook():
    # Cochran (1977) 2.3: the variance of a mean is multiplied by (N - n) / (N - 1).
    est_inf = stats.mean_estimate(VALUES_5, counts(RAW_A, VALUES_5))
    est_fin = stats.mean_estimate(VALUES_5, counts(RAW_A, VALUES_5), population=100)
    assert est_fin["moe"] == pytest.approx(est_inf["moe"] * math.sqrt(75 / 99))
    # A census has no sampling error.
    census = stats.mean_estimate(VALUES_5, counts(RAW_A, VALUES_5), population=25)
    assert census["moe"] == 0


def test_vectorised_over_months():
    c = np.stack([counts(RAW_A, VALUES_5), counts(RAW_B, VALUES_5)])
    est = stats.mean_estimate(VALUES_5, c)
    for i, raw in enumerate((RAW_A, RAW_B)):
        lo, hi = DescrStatsW(raw.astype(float)).tconfint_mean()
        assert (est["low"][i], est["high"][i]) == pytest.approx((lo, hi))


def test_nps_and_its_multinomial_interval():
    est = stats.nps_estimate(NPS_VALUES, counts(RAW_NPS_A, NPS_VALUES))
    n = len(RAW_NPS_A)
    prom = (RAW_NPS_A >= 9).mean()
    det = (RAW_NPS_A <= 6).mean()
    assert est["value"] == pytest.approx(100 * (prom - det))
    # Independent check: NPS is the mean of a score +1/0/-1 per respondent; its variance with
    # ddof=0 is exactly p + d - (p - d)^2, so the multinomial SE is std(ddof=0) / sqrt(n).
    scores = np.where(RAW_NPS_A >= 9, 1, np.where(RAW_NPS_A <= 6, -1, 0))
    se = scores.std(ddof=0) / math.sqrt(n)
    assert est["moe"] == pytest.approx(100 * st.norm.ppf(0.975) * se)
    assert est["low"] == pytest.approx(100 * (scores.mean() - st.norm.ppf(0.975) * se))


def test_nps_textbook_example():
    # Rocks (2016), worked case: 100 respondents, 40 promoters, 20 detractors:
    # NPS = 20, var = (0.4 + 0.2 - 0.04) / 100 = 0.0056, SE = 0.0748, 95% CI 20 ± 14.7.
    c = np.zeros(11)
    c[10], c[8], c[0] = 40, 40, 20
    est = stats.nps_estimate(NPS_VALUES, c)
    assert est["value"] == pytest.approx(20)
    assert est["moe"] == pytest.approx(100 * 1.959964 * math.sqrt(0.0056), rel=1e-6)
    assert est["moe"] == pytest.approx(14.67, abs=0.01)


def test_share_estimate_response_rate():
    est = stats.share_estimate(120, 400, population=None)
    lo, hi = proportion_confint(120, 400, method="wilson")
    assert est["value"] == pytest.approx(0.3)
    assert (est["low"], est["high"]) == pytest.approx((lo, hi))


# ------------------------------------------------------------------ pairwise moments, regression


def _complete_data():
    rng = np.random.default_rng(20261130)
    n = 400
    speed = rng.integers(1, 6, n)
    fairness = np.clip(np.round(0.5 * speed + rng.normal(2, 1, n)), 1, 5).astype(int)
    clarity = rng.integers(1, 6, n)
    overall = np.clip(
        np.round(0.5 * speed + 0.3 * fairness + 0.1 * clarity + rng.normal(0.5, 0.7, n)), 1, 5
    ).astype(int)
    return np.column_stack([speed, fairness, clarity, overall])


def _joint_rows(data):
    k = data.shape[1]
    a, b, va, vb, c = [], [], [], [], []
    for i in range(k):
        for j in range(i + 1, k):
            pairs, cnt = np.unique(data[:, [i, j]], axis=0, return_counts=True)
            a += [i] * len(cnt)
            b += [j] * len(cnt)
            va += list(pairs[:, 0])
            vb += list(pairs[:, 1])
            c += list(cnt)
    si, sv, sc = [], [], []
    for i in range(k):
        vals, cnt = np.unique(data[:, i], return_counts=True)
        si += [i] * len(cnt)
        sv += list(vals)
        sc += list(cnt)
    return stats.pair_moments(k, a, b, va, vb, c, si, sv, sc)


def test_pair_moments_equal_numpy_cov_and_corr():
    data = _complete_data()
    pm = _joint_rows(data)
    assert np.allclose(pm.cov, np.cov(data.T, ddof=1))
    assert np.allclose(pm.corr, np.corrcoef(data.T))
    assert np.allclose(pm.mean, data.mean(axis=0))
    assert (pm.n == len(data)).all()


def _joint_rows_with_missing(data):
    """Joint and single counts of a float data set where NaN is an unanswered question."""
    k = data.shape[1]
    a, b, va, vb, c = [], [], [], [], []
    for i in range(k):
        for j in range(i + 1, k):
            both = ~np.isnan(data[:, i]) & ~np.isnan(data[:, j])
            pairs, cnt = np.unique(data[both][:, [i, j]], axis=0, return_counts=True)
            a += [i] * len(cnt)
            b += [j] * len(cnt)
            va += list(pairs[:, 0])
            vb += list(pairs[:, 1])
            c += list(cnt)
    si, sv, sc = [], [], []
    for i in range(k):
        vals, cnt = np.unique(data[~np.isnan(data[:, i]), i], return_counts=True)
        si += [i] * len(cnt)
        sv += list(vals)
        sc += list(cnt)
    return stats.pair_moments(k, a, b, va, vb, c, si, sv, sc)


def _with_missing(data, seed=7, share=0.2):
    """The data set with about ``share`` of the answers left out, more often on low scores of the
    first question (so the complete pairs differ from all answers)."""
    rng = np.random.default_rng(seed)
    out = data.astype(float)
    drop = rng.random(out.shape) < share
    drop[:, 1] |= (out[:, 0] <= 2) & (rng.random(len(out)) < 0.5)
    out[drop] = np.nan
    return out


def test_correlations_with_missing_answers_are_pearson_over_the_complete_pairs():
    data = _with_missing(_complete_data())
    pm = _joint_rows_with_missing(data)
    k = data.shape[1]
    for i in range(k):
        for j in range(k):
            both = ~np.isnan(data[:, i]) & ~np.isnan(data[:, j])
            if i == j:
                assert pm.corr[i, j] == pytest.approx(1.0)
                continue
            r, _p = st.pearsonr(data[both, i], data[both, j])
            assert pm.corr[i, j] == pytest.approx(r, abs=1e-12)
            assert pm.n[i, j] == both.sum()
    # pandas' pairwise-complete covariance: the pair's covariance, each variance over all answers
    import pandas as pd

    assert np.allclose(pm.cov, pd.DataFrame(data).cov().to_numpy())
    # the old figure, the pair's covariance over each question's spread of all its answers, is off
    sd = np.sqrt(np.diag(pm.cov))
    assert not np.allclose(pm.corr, pm.cov / np.outer(sd, sd), atol=1e-3)


def test_regression_importance_equals_standardized_ols():
    data = _complete_data()
    pm = _joint_rows(data)
    beta = stats.derived_importance(pm, overall=3, attributes=[0, 1, 2], method="regression")
    z = (data - data.mean(axis=0)) / data.std(axis=0, ddof=1)
    fit = sm.OLS(z[:, 3], sm.add_constant(z[:, :3])).fit()
    assert beta == pytest.approx(fit.params[1:], abs=1e-10)


def test_correlation_importance_equals_pearson():
    data = _complete_data()
    pm = _joint_rows(data)
    r = stats.derived_importance(pm, overall=3, attributes=[0, 1, 2], method="correlation")
    for i in range(3):
        assert r[i] == pytest.approx(st.pearsonr(data[:, i], data[:, 3]).statistic)


def test_weighted_index_value_and_standard_error():
    data = _complete_data()[:, :3]
    scaled = (data - 1) / 4 * 100
    pm = _joint_rows(scaled)
    w = np.array([2.0, 1.0, 1.0])
    est = stats.weighted_index(scaled.mean(axis=0), w, pm)
    wn = w / w.sum()
    per_response = scaled @ wn  # the index of each respondent; its mean is the index
    assert est.value == pytest.approx(per_response.mean())
    # With complete data the SE of the index equals the SE of the per-respondent index.
    se = per_response.std(ddof=1) / math.sqrt(len(per_response))
    assert est.moe == pytest.approx(st.norm.ppf(0.975) * se)


def test_ipa_quadrants():
    labels, ci, cp = stats.ipa_quadrants(np.array([0.6, 0.2, 0.5, 0.1]), np.array([50, 90, 90, 40]))
    assert ci == pytest.approx(0.35)
    assert cp == pytest.approx(67.5)
    assert labels == ["concentrate", "possible_overkill", "keep_up", "low_priority"]


# -------------------------------------------------------------------------------- comparisons


def test_compare_proportions_matches_statsmodels():
    ka, kb = int((RAW_A >= 4).sum()), int((RAW_B >= 4).sum())
    na, nb = len(RAW_A), len(RAW_B)
    cmp = stats.compare_proportions(ka, na, kb, nb)
    z, p = proportions_ztest([kb, ka], [nb, na])
    assert cmp.statistic == pytest.approx(z)
    assert cmp.p_value == pytest.approx(p)
    # Cohen (1988) h, computed here from its definition.
    h = 2 * np.arcsin(np.sqrt(kb / nb)) - 2 * np.arcsin(np.sqrt(ka / na))
    assert cmp.effect_size == pytest.approx(h)


def test_compare_proportions_textbook():
    # Cohen (1988), table 6.2.1: p1 = .50, p2 = .65 gives h = 0.30 (to two decimals).
    cmp = stats.compare_proportions(50, 100, 65, 100)
    assert cmp.effect_size == pytest.approx(0.30, abs=0.005)


def test_compare_means_matches_statsmodels_welch():
    ca, cb = counts(RAW_A, VALUES_5), counts(RAW_B, VALUES_5)
    na, ma, sa = stats.moments(VALUES_5, ca)
    nb, mb, sb = stats.moments(VALUES_5, cb)
    cmp = stats.compare_means(ma, sa, int(na), mb, sb, int(nb))
    t, p, _df = ttest_ind(RAW_B.astype(float), RAW_A.astype(float), usevar="unequal")
    assert cmp.statistic == pytest.approx(t)
    assert cmp.p_value == pytest.approx(p)
    # Hedges' g from its definition on the raw data.
    pooled = math.sqrt(
        ((na - 1) * RAW_A.var(ddof=1) + (nb - 1) * RAW_B.var(ddof=1)) / (na + nb - 2)
    )
    d = (RAW_B.mean() - RAW_A.mean()) / pooled
    assert cmp.effect_size == pytest.approx(d * (1 - 3 / (4 * (na + nb) - 9)))
    # Welch interval of the difference, from scipy's own CI.
    ci = st.ttest_ind(RAW_B, RAW_A, equal_var=False).confidence_interval()
    assert (cmp.low, cmp.high) == pytest.approx((ci.low, ci.high))


def test_compare_nps_z():
    cmp = stats.compare_nps(
        counts(RAW_NPS_A, NPS_VALUES), counts(RAW_NPS_B, NPS_VALUES), NPS_VALUES
    )

    def score(raw):
        return np.where(raw >= 9, 1, np.where(raw <= 6, -1, 0))

    sa, sb = score(RAW_NPS_A), score(RAW_NPS_B)
    se = math.sqrt(sa.var() / len(sa) + sb.var() / len(sb))
    z = (sb.mean() - sa.mean()) / se
    assert cmp.difference == pytest.approx(100 * (sb.mean() - sa.mean()))
    assert cmp.statistic == pytest.approx(z)
    assert cmp.p_value == pytest.approx(2 * st.norm.sf(abs(z)))


def test_comparisons_with_empty_groups_have_no_figures():
    assert stats.compare_proportions(0, 0, 3, 5).p_value is None
    assert stats.compare_means(1, 1, 1, 2, 1, 5).p_value is None


# ------------------------------------------------------------------------------- sample sizes


def test_sample_size_textbook_figures():
    # The classic figures: ±5% at 95% → 385 (n0 = 384.15); N = 1000 → 278 (Cochran 4.3).
    plan = stats.sample_size(0.05)
    assert plan.responses == 385
    assert stats.sample_size(0.05, population=1000).responses == 278
    assert stats.sample_size(0.03).responses == 1068
    assert stats.sample_size(0.05, confidence=0.99).responses == 664
    # From the observed response rate: 278 responses at 25% → 1112 invitations.
    assert stats.sample_size(0.05, population=1000, response_rate=0.25).invitations == 1112


def test_sample_size_never_exceeds_population():
    assert stats.sample_size(0.01, population=50).responses <= 50


@pytest.mark.parametrize(
    "kwargs",
    [{"margin": 0}, {"margin": 0.05, "proportion": 1}, {"margin": 0.05, "response_rate": 0}],
)
def test_sample_size_rejects_nonsense(kwargs):
    with pytest.raises(ValueError):
        stats.sample_size(**kwargs)


def test_suppression_and_percentiles():
    assert stats.suppressed(np.array([3, 10, 12]), 10).tolist() == [True, False, False]
    assert stats.percentiles(np.array([1, 2, 3, 4, 10])) == pytest.approx([3.0, 7.6])
    assert stats.percentiles(np.array([])) == [None, None]


def test_poisson_rate_interval_matches_statsmodels():
    from statsmodels.stats.rates import confint_poisson

    rate, low, high = stats.poisson_rate_interval(np.array([7, 0, 120]), np.array([2000, 500, 0]))
    lo, hi = confint_poisson(7, 2000, method="exact-c")
    assert rate[0] == pytest.approx(3.5)
    assert (low[0], high[0]) == pytest.approx((1000 * lo, 1000 * hi))
    # No complaint in 500 orders: the interval starts at 0 and is not empty.
    assert low[1] == 0 and high[1] == pytest.approx(1000 * st.chi2.ppf(0.975, 2) / 2 / 500)
    assert np.isnan(rate[2])


def test_wilson_with_finite_population_uses_the_effective_sample_size():
    # n = 200 of N = 1000: n_eff = n (N - 1) / (N - n) = 249.75.
    est = stats.share_estimate(120, 200, population=1000)
    n_eff = 200 * 999 / 800
    lo, hi = proportion_confint(0.6 * n_eff, n_eff, method="wilson")
    assert (est["low"], est["high"]) == pytest.approx((lo, hi))
    census = stats.share_estimate(120, 200, population=200)
    assert census["low"] == census["high"] == pytest.approx(0.6)
    assert census["moe"] == 0
