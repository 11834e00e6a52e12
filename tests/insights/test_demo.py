"""The insights demo: 18 months of volumes through the import service, aggregates rebuilt."""

from __future__ import annotations

import datetime as dt

import pytest

from plaint.insights.demo import seed_demo, volumes_csv
from plaint.insights.models import AnswerCount, PeriodVolume, VolumeImport

from .factories import add_responses, fixed_answers, make_survey

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 30, 10, tzinfo=dt.UTC)


def test_seed_imports_eighteen_months_and_rebuilds(manager):
    survey = make_survey()
    add_responses(survey, fixed_answers(15), submitted=NOW, record=False)
    summary = seed_demo(now=NOW)
    assert "18 months" in summary
    months = list(PeriodVolume.objects.values_list("month", flat=True))
    assert months[0] == dt.date(2025, 5, 1) and months[-1] == dt.date(2026, 10, 1)
    assert len(months) == 18
    assert VolumeImport.objects.get().errors == []
    for v in PeriodVolume.objects.all():
        assert 30_000 < v.orders < 60_000
        assert 0.5 < v.customers / v.orders < 0.7
    december = PeriodVolume.objects.get(month=dt.date(2025, 12, 1)).orders
    june = PeriodVolume.objects.get(month=dt.date(2026, 6, 1)).orders
    assert december > june  # the seasonal peak
    assert AnswerCount.objects.filter(survey=survey).exists()


def test_seed_is_deterministic():
    assert volumes_csv(now=NOW) == volumes_csv(now=NOW)


def test_seed_without_a_manager_says_so():
    assert "skipped" in seed_demo(now=NOW)
    assert not PeriodVolume.objects.exists()
