"""The dispute reports and the annual dispute report against a seeded year whose answers are worked
out by hand below: counts by provider, method and outcome, the share of complaints that became
disputes, the share upheld and compliance with their Wilson intervals, duration percentiles,
fees and money owed per currency (never added across currencies), the CSV, XLSX and PDF read back,
and a fixed number of statements however many disputes there are."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from plaint.core import pdf
from plaint.core.actors import Actor
from plaint.core.stats import wilson_interval
from plaint.disputes import services
from plaint.disputes.models import Dispute, Obligation
from plaint.disputes.selectors_dispute_reports import (
    REPORT_STATEMENTS,
    ReportFilters,
    dispute_report,
)
from tests.disputes.helpers import make_provider
from tests.factories import make_complaint
from tests.html import period_inputs

pytestmark = pytest.mark.django_db

UTC = dt.UTC
YEAR = ReportFilters(
    start=dt.datetime(2025, 1, 1, tzinfo=UTC), end=dt.datetime(2026, 1, 1, tzinfo=UTC)
)
TODAY = dt.date(2026, 6, 1)


def at(month: int, day: int, year: int = 2025) -> dt.datetime:
    return dt.datetime(year, month, day, 9, 0, tzinfo=UTC)


def _providers(manager):
    committee = make_provider(manager, name="Consumer Disputes Committee")
    ombudsman = make_provider(manager, name="Payments Ombudsman")
    actor = Actor.staff(manager)
    services.provider_methods_set(
        actor=actor,
        provider_id=committee.pk,
        methods=[
            {"method": "facilitative"},
            {
                "method": "determinative",
                "fee": "50",
                "currency": "EUR",
                "fee_payer": "organisation",
            },
        ],
    )
    services.provider_methods_set(
        actor=actor,
        provider_id=ombudsman.pk,
        methods=[
            {
                "method": "determinative",
                "fee": "100",
                "currency": "SEK",
                "fee_payer": "organisation",
            },
            {"method": "advisory", "fee": "20", "currency": "EUR", "fee_payer": "shared"},
        ],
    )
    return committee, ombudsman


def _dispute(complaint, provider, method, opened, **fields) -> Dispute:
    values = {"state": "closed", "opened_via": "notice", "binding_on_organisation": True}
    values.update(fields)
    return Dispute(
        complaint=complaint, provider=provider, method=method, opened_at=opened, **values
    )


@pytest.fixture
def year(manager):
    """Ten complaints received in 2025 (five of them disputed) and one in 2024; seven disputes."""
    with time_machine.travel(at(1, 15), tick=False):
        complaints = [make_complaint(subject=f"Complaint {i}")[0] for i in range(10)]
    with time_machine.travel(at(12, 1, 2024), tick=False):
        old = make_complaint(subject="Complaint of 2024")[0]
    a, b = _providers(manager)
    c = complaints
    rows = [
        # A, determinative: upheld after 10 days, closed after 20
        _dispute(c[0], a, "determinative", at(2, 1), outcome="upheld",
                 outcome_at=at(2, 11), closed_at=at(2, 21)),
        # A, determinative: not upheld after 4 days, closed then
        _dispute(c[1], a, "determinative", at(3, 1), outcome="not_upheld",
                 outcome_at=at(3, 5), closed_at=at(3, 5)),
        # B, determinative: partly upheld after 20 days, being carried out
        _dispute(c[2], b, "determinative", at(4, 1), outcome="partly_upheld",
                 outcome_at=at(4, 21), state="implementation"),
        # B, advisory: still exchanging submissions
        _dispute(c[3], b, "advisory", at(5, 1), state="exchange"),
        # A, facilitative: withdrawn after 2 days
        _dispute(c[4], a, "facilitative", at(6, 1), state="withdrawn", closed_at=at(6, 3),
                 binding_on_organisation=False),
        # A, facilitative, opened in 2024: settled after 20 days, in 2025
        _dispute(old, a, "facilitative", at(12, 20, 2024), outcome="settled",
                 outcome_at=at(1, 9), closed_at=at(1, 9), binding_on_organisation=False),
        # B, determinative, a second dispute of complaint 0: out of scope after 7 days
        _dispute(c[0], b, "determinative", at(7, 1), state="out_of_scope",
                 closed_at=at(7, 8)),
    ]  # fmt: skip
    disputes = Dispute.objects.bulk_create(rows)
    d1, d3 = disputes[0], disputes[2]

    def owe(dispute, kind, due, done=None, amount=None, currency=""):
        return Obligation(
            dispute=dispute, kind=kind, description=kind, due_on=due, owner=manager,
            done_at=done, amount=amount, currency=currency,
        )  # fmt: skip

    Obligation.objects.bulk_create(
        [
            owe(d1, "refund", dt.date(2025, 3, 1), at(2, 25), Decimal("100.00"), "EUR"),
            owe(d3, "compensation", dt.date(2025, 5, 1), at(5, 10), Decimal("500.00"), "SEK"),
            owe(d3, "apology", dt.date(2025, 5, 1)),
            owe(d3, "refund", dt.date(2025, 6, 1), at(6, 1), Decimal("30.00"), "EUR"),
            owe(d3, "refund", dt.date(2026, 2, 1), None, Decimal("9.00"), "EUR"),  # next year
        ]
    )
    return {"a": a, "b": b}


def test_the_years_figures_are_the_hand_counted_ones(year):
    report = dispute_report(YEAR, today=TODAY)
    assert (report.received, report.ended, report.binding) == (6, 6, 3)
    by_provider = {
        g.label: (g.received, g.ended, g.upheld.successes, g.upheld.n) for g in report.providers
    }
    assert by_provider == {
        "Consumer Disputes Committee": (3, 4, 1, 2),
        "Payments Ombudsman": (3, 2, 1, 1),
    }
    by_method = {g.key: (g.received, g.ended) for g in report.methods}
    assert by_method == {"determinative": (4, 4), "facilitative": (1, 2), "advisory": (1, 0)}
    assert dict((k, (n, b)) for k, n, b in report.outcomes) == {
        "upheld": (1, 1),
        "partly_upheld": (1, 1),
        "not_upheld": (1, 1),
        "settled": (1, 0),
        "withdrawn": (1, 0),
        "out_of_scope": (1, 0),
    }


def test_shares_carry_their_wilson_intervals(year):
    report = dispute_report(YEAR, today=TODAY)
    # five of the ten complaints of 2025 went to a dispute (complaint 0 twice: counted once)
    assert (report.complaints.successes, report.complaints.n) == (5, 10)
    assert report.complaints.interval == wilson_interval(5, 10)
    # determinative decisions: upheld, partly upheld, not upheld
    assert (report.upheld.successes, report.upheld.n) == (2, 3)
    assert report.upheld.interval == pytest.approx((0.2077, 0.9385), abs=1e-4)
    c = report.compliance
    assert (c.due, c.on_time, c.late, c.open_overdue) == (4, 2, 1, 1)
    assert c.interval == wilson_interval(2, 4)


def test_durations_are_percentiles_in_days_with_intervals(year):
    report = dispute_report(YEAR, today=TODAY)
    # to the outcome: 4, 10, 20, 20 days; to the close: 2, 4, 7, 20, 20 days (nearest rank)
    assert [q.value for q in report.to_outcome] == [10.0, 20.0]
    assert [q.value for q in report.to_close] == [7.0, 20.0]
    assert report.to_close[0].n == 5
    assert (report.to_close[0].low, report.to_close[0].high) == (None, None)  # five: too few


def test_money_is_summed_per_currency_never_across(year):
    report = dispute_report(YEAR, today=TODAY)
    fees = {(f.payer, f.currency): (f.disputes, f.total) for f in report.fees}
    assert fees == {
        ("organisation", "EUR"): (2, Decimal("100.00")),
        ("organisation", "SEK"): (2, Decimal("200.00")),
        ("shared", "EUR"): (1, Decimal("20.00")),
    }
    owed = {o.currency: (o.obligations, o.total, o.done) for o in report.owed}
    assert owed == {
        "EUR": (2, Decimal("130.00"), Decimal("130.00")),
        "SEK": (1, Decimal("500.00"), Decimal("500.00")),
    }


def test_a_provider_or_a_method_narrows_every_figure(year):
    ombudsman = dispute_report(
        ReportFilters(start=YEAR.start, end=YEAR.end, provider=year["b"].pk), today=TODAY
    )
    assert (ombudsman.received, ombudsman.ended) == (3, 2)
    assert (ombudsman.complaints.successes, ombudsman.complaints.n) == (3, 10)
    assert ombudsman.compliance.due == 3
    assert [f.currency for f in ombudsman.fees] == ["SEK", "EUR"]
    decided = dispute_report(
        ReportFilters(start=YEAR.start, end=YEAR.end, method="determinative"), today=TODAY
    )
    assert (decided.received, decided.upheld.n) == (4, 3)
    assert [g.key for g in decided.methods] == ["determinative"]


def test_the_report_is_a_fixed_number_of_statements(year, manager):
    with CaptureQueriesContext(connection) as ctx:
        dispute_report(YEAR, today=TODAY)
    assert len(ctx.captured_queries) == REPORT_STATEMENTS
    first = Dispute.objects.order_by("pk").first()
    Dispute.objects.bulk_create(
        [
            _dispute(first.complaint, year["a"], "determinative", at(8, 1 + i), outcome="upheld",
                     outcome_at=at(9, 1 + i), closed_at=at(9, 2 + i))
            for i in range(20)
        ]
    )  # fmt: skip
    with CaptureQueriesContext(connection) as ctx:
        report = dispute_report(YEAR, today=TODAY)
    assert len(ctx.captured_queries) == REPORT_STATEMENTS
    assert report.received == 26
    # 24 outcomes now (20 of them after 31 days): enough for the median's interval
    median = report.to_outcome[0]
    assert (median.n, median.value, median.low, median.high) == (24, 31.0, 31.0, 31.0)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_reports_page_shows_charts_and_tables_for_the_chosen_period(year, auditor):
    client = signed_in(auditor)
    page = client.get(
        "/staff/disputes/reports/",
        {"start": "2025-01", "end": "2025-12", "method": "determinative"},
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "Payments Ombudsman" in body and "<svg" in body
    assert 'id="table-providers"' in body and 'id="table-costs"' in body
    assert "Complaints that became disputes" in body
    default = client.get("/staff/disputes/reports/")
    assert default.status_code == 200
    assert 'href="/staff/disputes/reports/annual/?year=' in default.content.decode()


def test_the_month_inputs_show_the_period_the_page_shows(year, auditor):
    client = signed_in(auditor)
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False):
        body = client.get("/staff/disputes/reports/").content.decode()
        assert period_inputs(body) == {"start": "2025-07", "end": "2026-06"}
        assert "From 1 July 2025 to 30 June 2026 (UTC)." in body
        body = client.get("/staff/disputes/reports/", {"end": "2025-12"}).content.decode()
        assert period_inputs(body) == {"start": "2025-01", "end": "2025-12"}


def test_bad_filters_are_a_page_with_the_error_not_a_failure(year, handler):
    client = signed_in(handler)
    later = client.get("/staff/disputes/reports/", {"start": "2025-06", "end": "2025-01"})
    assert later.status_code == 400
    assert "The last month comes before the first." in later.content.decode()
    assert client.get("/staff/disputes/reports/", {"provider": "x"}).status_code == 400
    assert client.get("/staff/disputes/reports/annual/", {"year": "1"}).status_code == 400
    assert client.get("/staff/disputes/reports/annual.csv", {"year": "abc"}).status_code == 400


def test_the_annual_report_reads_back_as_csv_and_xlsx(year, manager):
    from openpyxl import load_workbook

    client = signed_in(manager)
    page = client.get("/staff/disputes/reports/annual/", {"year": "2025"})
    assert page.status_code == 200 and "annual.pdf?year=2025" in page.content.decode()
    response = client.get("/staff/disputes/reports/annual.csv", {"year": "2025"})
    assert (
        response.streaming
        and 'filename="plaint-disputes-2025.csv"' in response["Content-Disposition"]
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "Annual dispute report 2025"
    assert ["Period", "2025-01-01", "2025-12-31"] in rows
    committee = next(r for r in rows if r[:1] == ["Consumer Disputes Committee"])
    assert committee[:6] == ["Consumer Disputes Committee", "3", "4", "2", "1", "50.0"]
    assert ["Fees: The organisation pays", "SEK", "2", "200.00"] in rows
    xlsx = client.get("/staff/disputes/reports/annual.xlsx", {"year": "2025"})
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True)
    cells = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert any(r[:3] == ["Fees: The organisation pays", "SEK", 2] for r in cells)
    assert any(r[:2] == ["Complaints that became disputes", 5] for r in cells)


def test_the_annual_report_as_a_pdf_reads_back(year, manager):
    if not pdf.pdf_available():
        if os.environ.get("PLAINT_REQUIRE_PDF"):
            pytest.fail("WeasyPrint/Pango expected (PLAINT_REQUIRE_PDF) but it does not load")
        pytest.skip("WeasyPrint or Pango is not installed here")
    import pypdf

    response = signed_in(manager).get("/staff/disputes/reports/annual.pdf", {"year": "2025"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Annual dispute report 2025" in text
    assert "Payments Ombudsman" in text and "Compliance with outcomes" in text


def test_the_pages_statements_do_not_grow_with_the_disputes(year, manager):
    client = signed_in(manager)
    params = {"start": "2025-01", "end": "2025-12"}

    def statements(path: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path, params | {"year": "2025"}).status_code == 200
        return len(ctx.captured_queries)

    statements("/staff/disputes/reports/")  # the configuration cache read once per process
    before = [
        statements(p) for p in ("/staff/disputes/reports/", "/staff/disputes/reports/annual/")
    ]
    first = Dispute.objects.order_by("pk").first()
    Dispute.objects.bulk_create(
        [_dispute(first.complaint, year["b"], "advisory", at(10, 1 + i)) for i in range(15)]
    )
    after = [statements(p) for p in ("/staff/disputes/reports/", "/staff/disputes/reports/annual/")]
    assert after == before
