"""The analysis page: Pareto and control chart over a seeded set with known answers, its
filters, exports and access."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from openpyxl import load_workbook

from plaint.core.actors import Actor
from plaint.improvement.selectors import AnalysisFilters, complaint_analysis
from plaint.insights.models import PeriodVolume
from tests.factories import CategoryFactory, make_complaint
from tests.html import period_inputs

pytestmark = pytest.mark.django_db

URL = "/staff/analysis/"
PERIOD = {"start": "2026-01", "end": "2026-03"}
# (month, category, product, channel, how many)
SEED = [
    (1, "delivery", "Parcel", "web", 5),
    (1, "billing", "Invoice", "phone", 2),
    (2, "delivery", "Parcel", "web", 3),
    (2, "staff", "Shop", "letter", 1),
    (3, "delivery", "Courier", "web", 2),
    (3, "billing", "Invoice", "web", 3),
    (3, "staff", "Shop", "phone", 1),
]


@pytest.fixture
def seeded(db, handler):
    staff = Actor.staff(handler)
    for code in ("delivery", "billing", "staff"):
        CategoryFactory(code=code, name=code.title())
    for month, category, product, channel, n in SEED:
        with time_machine.travel(dt.datetime(2026, month, 10, 9, tzinfo=dt.UTC), tick=False):
            for _ in range(n):
                make_complaint(category=category, product=product, channel=channel, actor=staff)
    # one outside the period, which nothing may count
    with time_machine.travel(dt.datetime(2026, 4, 2, 9, tzinfo=dt.UTC), tick=False):
        make_complaint(category="delivery", product="Parcel")


def _filters(**kw) -> AnalysisFilters:
    return AnalysisFilters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 1), **kw)


def test_pareto_orders_the_causes_and_accumulates_their_shares(seeded):
    result = complaint_analysis(_filters())

    assert result.total == 17
    assert result.received == [7, 4, 6]
    assert [(k, c) for k, c, _s, _cum in result.pareto["category"]] == [
        ("Delivery", 10),
        ("Billing", 5),
        ("Staff", 2),
    ]
    assert [round(cum, 4) for *_x, cum in result.pareto["category"]] == [
        round(10 / 17, 4),
        round(15 / 17, 4),
        1.0,
    ]
    assert [(k, c) for k, c, *_ in result.pareto["product"]] == [
        ("Parcel", 8),
        ("Invoice", 5),
        ("Courier", 2),  # a tie: by name
        ("Shop", 2),
    ]
    assert dict((k, c) for k, c, *_ in result.pareto["channel"]) == {
        "web": 13,
        "phone": 3,
        "letter": 1,
    }


def test_without_volumes_the_chart_is_a_c_chart_of_monthly_counts(seeded):
    chart = complaint_analysis(_filters()).chart

    assert chart is not None and chart.kind == "u"
    assert chart.values == [7.0, 4.0, 6.0]
    assert chart.centre == pytest.approx(17 / 3)
    assert chart.upper[0] == pytest.approx(17 / 3 + 3 * (17 / 3) ** 0.5)


def test_with_orders_the_chart_is_complaints_per_thousand_orders(seeded):
    now = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    for month, orders in ((1, 2000), (2, 1000), (3, 3000)):
        PeriodVolume.objects.create(month=dt.date(2026, month, 1), orders=orders, updated_at=now)

    result = complaint_analysis(_filters())

    assert result.per_thousand and result.orders == [2000, 1000, 3000]
    assert result.chart.values == pytest.approx([3.5, 4.0, 2.0])
    assert result.chart.centre == pytest.approx(17 / 6)
    assert result.chart.upper[1] > result.chart.upper[2]  # the smaller month, the wider limits


def test_filters_narrow_every_figure(seeded):
    from plaint.complaints.models import Category

    delivery = Category.objects.get(code="delivery").pk
    assert complaint_analysis(_filters(category=delivery)).received == [5, 3, 2]
    assert complaint_analysis(_filters(product="Invoice")).total == 5
    assert complaint_analysis(_filters(channel="phone")).received == [2, 0, 1]
    assert complaint_analysis(_filters(segment="business")).total == 0


@pytest.mark.parametrize("role", ["admin", "manager", "handler", "auditor"])
def test_every_staff_role_reads_the_page_with_its_tables(client, personas, seeded, role):
    client.force_login(personas[role])
    response = client.get(URL, PERIOD)

    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<svg") >= 4  # the control chart and three Pareto charts
    for key in ("control-chart", "pareto-category", "pareto-product", "pareto-channel"):
        assert f'id="table-{key}"' in body
    assert "Delivery" in body and "17 complaints" in body


def test_the_period_line_names_one_month_once_in_the_page_language(client, personas, seeded):
    client.force_login(personas["manager"])
    body = client.get(URL, PERIOD, HTTP_ACCEPT_LANGUAGE="et").content.decode()
    assert "Periood: jaanuar 2026 kuni märts 2026 (kuud UTC järgi)" in body
    one = client.get(URL, {"start": "2026-02", "end": "2026-02"}, HTTP_ACCEPT_LANGUAGE="et")
    assert "Periood: veebruar 2026 (UTC järgi)" in one.content.decode()
    ukrainian = client.get(URL, PERIOD, HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "Період: Січень 2026 \u2013 Березень 2026 (місяці за UTC), 17 скарг." in ukrainian


def test_the_month_inputs_show_the_period_the_page_shows(client, personas, seeded):
    client.force_login(personas["manager"])
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC), tick=False):
        body = client.get(URL).content.decode()  # nothing chosen: the twelve months to March
        assert period_inputs(body) == {"start": "2025-04", "end": "2026-03"}
        assert "Period: April 2025 to March 2026 (months in UTC), 17 complaints." in body
        body = client.get(URL, {"start": "2026-02", "channel": "web"}).content.decode()
        assert period_inputs(body) == {"start": "2026-02", "end": "2026-03"}
        # filled in, the period is checked as if typed: over 120 months is refused
        refused = client.get(URL, {"start": "2010-01"})
        assert refused.status_code == 400
        assert "Choose at most 120 months." in refused.content.decode()


def test_a_corrective_action_opened_from_a_pareto_names_its_source_in_the_page_language(
    client, personas, seeded
):
    client.force_login(personas["manager"])  # a manager may open one: the page links it

    def source_refs(language: str) -> list[str]:
        body = client.get(URL, PERIOD, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        links = re.findall(r'href="(/staff/improvement/corrective-actions/new/[^"]*)"', body)
        queries = [parse_qs(urlsplit(html.unescape(link)).query) for link in links]
        return [q["source_ref"][0] for q in queries if "source_ref" in q]

    english = source_refs("en")
    assert "Pareto: Complaints by category = Delivery, 2026-01 to 2026-03" in english
    ukrainian = source_refs("uk")
    assert "Парето: Скарги за категоріями = Delivery, 2026-01 \u2013 2026-03" in ukrainian
    assert not [ref for ref in ukrainian if ref.startswith("Pareto") or " to " in ref]


def test_the_page_reads_in_a_constant_number_of_statements(
    client, personas, seeded, django_assert_max_num_queries
):
    client.force_login(personas["manager"])
    client.get(URL, PERIOD)  # the configuration cache read once per process
    # 17: the header's unread count reads the configuration token (site.templatetags.plaint)
    with django_assert_max_num_queries(17):
        assert client.get(URL, PERIOD).status_code == 200


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-13"}, "Give a month like 2026-03."),
        ({"start": "2026-05", "end": "2026-01"}, "The last month comes before the first."),
        ({"start": "2000-01", "end": "2026-01"}, "Choose at most 120 months."),
        ({"channel": "pigeon"}, "Select a valid choice."),
    ],
)
def test_bad_filters_say_what_to_fix(client, personas, params, message):
    client.force_login(personas["handler"])
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_csv_export_writes_the_table_on_the_page(client, personas, seeded):
    client.force_login(personas["manager"])
    response = client.get(URL + "export/pareto-category.csv", PERIOD)

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('plaint-pareto-category-2026-01-2026-03.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Category", "Complaints", "Share %", "Cumulative %"]
    assert rows[1] == ["Delivery", "10", "58.8", "58.8"]
    assert rows[-1] == ["Staff", "2", "11.8", "100.0"]


def test_xlsx_export_of_the_control_chart(client, personas, seeded):
    client.force_login(personas["auditor"])
    response = client.get(URL + "export/control-chart.xlsx", PERIOD)

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Month" and [r[1] for r in rows[1:]] == [7, 4, 6]


def test_an_unknown_table_is_not_found(client, personas, seeded):
    client.force_login(personas["manager"])
    assert client.get(URL + "export/nothing.csv", PERIOD).status_code == 404
    assert client.get(URL + "export/pareto-category.pdf", PERIOD).status_code == 404


def test_persian_page_reads_right_to_left(client, personas, seeded):
    client.force_login(personas["manager"])
    response = client.get(URL, PERIOD, HTTP_ACCEPT_LANGUAGE="fa")
    body = response.content.decode()
    assert 'dir="rtl"' in body and 'direction="rtl"' in body
