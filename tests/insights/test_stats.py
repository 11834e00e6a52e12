"""Statistics checked against statsmodels/scipy on fixed data sets."""

import pytest
from statsmodels.stats.proportion import proportion_confint

from plaint.insights import stats


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
