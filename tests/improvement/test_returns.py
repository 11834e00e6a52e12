"""Regulatory returns on a seeded set whose answers are worked out by hand: the half-yearly return's
counts per product group and cause category, the per-complaint IDR file (a complaint answered
within its limit and one after it), the unmapped-value warning, streaming and a bounded number of
statements."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaint.complaints.models import Channel, RemedyKind
from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, ValidationFailed
from plaint.core.selectors import calendar_default
from plaint.improvement import services
from plaint.improvement.models_returns import ANY_VALUE, ReturnMapping, SourceKind
from plaint.improvement.returns_formats import (
    HALF_YEARLY_COLUMNS,
    IDR_COLUMNS,
    Outcome,
)
from plaint.improvement.selectors_returns import (
    half_yearly_rows,
    idr_rows,
    mappings_load,
    returns_warnings,
)
from tests.factories import CategoryFactory
from tests.improvement.helpers_returns import H1, at, file_at, seed_returns

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(manager):
    return seed_returns(manager)


def test_half_yearly_return_counts_per_product_group_and_cause(seeded, manager):
    # what the counts below assume of the seeded set
    assert at(2026, 3, 2) + dt.timedelta(days=10) < seeded["in_time"].response_due_at
    assert seeded["in_time"].decision_at < seeded["in_time"].response_due_at
    assert seeded["carried"].decision_at > H1.start
    rows = list(
        half_yearly_rows(
            actor=manager,
            period=H1,
            mappings=mappings_load("half_yearly"),
            calendar=calendar_default(),
        )
    )
    header = [c.name for c in HALF_YEARLY_COLUMNS]
    found = {(r[0], r[1]): dict(zip(header[2:], r[2:], strict=True)) for r in rows}
    assert found == {
        ("", "service"): {  # the unmapped product: counted, under a blank code
            "opened": 1,
            "closed": 0,
            "closed_within_3_business_days": 0,
            "closed_within_time_limit": 0,
            "closed_after_time_limit": 0,
            "upheld": 0,
            "redress_paid": Decimal(0),
            "open_at_end": 1,
        },
        ("appliances", "service"): {
            "opened": 2,  # quick, in_time (carried was received before)
            "closed": 3,  # quick, in_time, carried
            "closed_within_3_business_days": 1,  # quick
            "closed_within_time_limit": 2,  # in_time, carried
            "closed_after_time_limit": 0,
            "upheld": 1,  # quick: a refund
            "redress_paid": Decimal("4.90"),
            "open_at_end": 0,
        },
        ("electronics", "charges"): {
            "opened": 2,
            "closed": 1,
            "closed_within_3_business_days": 0,
            "closed_within_time_limit": 0,
            "closed_after_time_limit": 1,  # late
            "upheld": 1,
            "redress_paid": Decimal("4.90"),
            "open_at_end": 1,  # open
        },
    }


def test_idr_file_has_one_row_per_active_complaint_with_its_limit(seeded, manager):
    header = [c.name for c in IDR_COLUMNS]
    rows = [
        dict(zip(header, r, strict=True))
        for r in idr_rows(actor=manager, period=H1, mappings=mappings_load("idr"))
    ]
    by_id = {r["complaint_id"]: r for r in rows}
    names = ("carried", "quick", "in_time", "late", "open", "mystery")
    assert [r["complaint_id"] for r in rows] == [seeded[n].reference for n in names]
    quick, late = by_id[seeded["quick"].reference], by_id[seeded["late"].reference]
    assert quick == quick | {
        "received_date": dt.date(2026, 2, 2),
        "closed_date": dt.date(2026, 2, 3),
        "status": "closed",
        "complainant_type": "individual",  # the default of every segment
        "channel": "telephone",
        "product": "appliances",
        "issue": "late_delivery",
        "issue_2": "",
        "outcome": "for_complainant",
        "remedy": "refund",
        "monetary_amount": Decimal("4.90"),
        "currency": "EUR",
        "days_to_close": 1,
        "within_time_limit": "Y",
    }
    assert late["within_time_limit"] == "N" and late["product"] == "phones"
    assert by_id[seeded["in_time"].reference]["within_time_limit"] == "Y"
    assert by_id[seeded["in_time"].reference]["outcome"] == "for_firm"
    assert by_id[seeded["in_time"].reference]["monetary_amount"] is None
    still = by_id[seeded["open"].reference]
    assert (still["status"], still["closed_date"], still["outcome"]) == ("open", None, "")
    assert (still["within_time_limit"], still["days_to_close"]) == ("", None)
    # answered only after the period: open at its end, and its product has no code
    mystery = by_id[seeded["mystery"].reference]
    assert (mystery["status"], mystery["product"], mystery["remedy"]) == ("open", "", "")


def test_unmapped_values_are_warned_before_export(seeded, manager):
    ReturnMapping.objects.filter(report="half_yearly", source=Outcome.WITHDRAWN).delete()
    found = returns_warnings(actor=manager, period=H1, mappings=mappings_load("half_yearly"))
    assert [(w.kind, w.value, w.complaints) for w in found.unmapped if w.kind == "product"] == [
        ("product", "Mystery", 1)
    ]
    assert ("outcome", Outcome.WITHDRAWN) in {(w.kind, w.value) for w in found.unmapped}
    assert found.hidden == 0
    services.return_mapping_set(
        actor=Actor.staff(manager),
        report="half_yearly",
        kind="product",
        source="Mystery",
        target="other",
    )
    again = returns_warnings(actor=manager, period=H1, mappings=mappings_load("half_yearly"))
    assert "Mystery" not in {w.value for w in again.unmapped}


def test_a_restricted_category_is_left_out_and_counted(seeded, manager):
    CategoryFactory(code="health", restricted=True)
    staff = Actor.staff(manager)
    file_at(at(2026, 4, 6), staff, product="Kettle", category="health")
    mappings = mappings_load("idr")
    rows = list(idr_rows(actor=manager, period=H1, mappings=mappings))
    assert len(rows) == 6
    assert returns_warnings(actor=manager, period=H1, mappings=mappings).hidden == 1


def test_the_files_are_generators_read_with_a_bounded_number_of_statements(seeded, manager):
    for function in (idr_rows, half_yearly_rows):
        assert inspect.isgeneratorfunction(function)
    calendar = calendar_default()
    counts = []
    for extra in (0, 5):
        for i in range(extra):
            file_at(at(2026, 4, 6 + i), Actor.staff(manager), product="Kettle")
        for report in ("idr", "half_yearly"):
            with CaptureQueriesContext(connection) as idr:
                mappings = mappings_load(report)
                if report == "idr":
                    list(idr_rows(actor=manager, period=H1, mappings=mappings))
                else:
                    list(
                        half_yearly_rows(
                            actor=manager, period=H1, mappings=mappings, calendar=calendar
                        )
                    )
            counts.append(len(idr))
    assert counts[:2] == counts[2:] and max(counts) <= 3, counts


def test_only_managers_and_admins_change_the_mapping(handler, auditor, manager):
    for person in (handler, auditor):
        with pytest.raises(NotAllowed):
            services.return_mapping_set(
                actor=Actor.staff(person),
                report="idr",
                kind="product",
                source="Kettle",
                target="x",
            )
    with pytest.raises(ValidationFailed) as refused:
        services.return_mapping_set(
            actor=Actor.staff(manager),
            report="half_yearly",
            kind="outcome",
            source=Outcome.REMEDY,
            target="partly",
        )
    assert "target" in refused.value.fields
    with pytest.raises(ValidationFailed):  # the half-yearly return codes no remedies
        services.return_mapping_set(
            actor=Actor.staff(manager), report="half_yearly", kind="remedy", source="x", target="y"
        )
    row = services.return_mapping_set(
        actor=Actor.staff(manager), report="idr", kind="product", source="Kettle", target="k"
    )
    services.return_mapping_delete(actor=Actor.staff(manager), mapping_id=row.pk)
    assert not ReturnMapping.objects.filter(pk=row.pk).exists()


def test_the_seeded_defaults_code_every_value_of_plaints_own_vocabularies():
    migration = importlib.import_module("plaint.improvement.migrations.0003_regulatory_returns")
    seeded = {(r, k, s) for r, k, s, _t in migration.DEFAULTS}
    for report in ("half_yearly", "idr"):
        assert {(report, "outcome", o) for o in Outcome.LABELS} <= seeded
    assert {("idr", "remedy", k) for k in RemedyKind.values} <= seeded
    assert {("idr", "channel", k) for k in Channel.values} <= seeded
    assert ("idr", SourceKind.SEGMENT, ANY_VALUE) in seeded


def test_the_docs_describe_every_column():
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "returns.md").read_text()
    for column in (*HALF_YEARLY_COLUMNS, *IDR_COLUMNS):
        assert f"| `{column.name}` | {column.meaning} |" in docs, column.name
