"""The regulatory returns' page, its downloads and the mapping page; and the API's two files:
who may, what they show, bad parameters refused with a clear answer."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.test import Client

from plaint.core.actors import Actor
from plaint.core.audit import audit_verify
from plaint.core.models import AuditEvent
from plaint.improvement.models_returns import ReturnMapping
from tests.api_client import PROBLEM, ApiClient
from tests.factories import CategoryFactory
from tests.improvement.helpers_returns import at, file_at, seed_returns

pytestmark = pytest.mark.django_db

PAGE = "/staff/improvement/returns/"
EXPORT = PAGE + "export/"
MAPPINGS = PAGE + "mappings/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def seeded(manager):
    return seed_returns(manager)


def test_the_page_shows_the_first_rows_the_warnings_and_the_dictionary(seeded, manager):
    page = _client(manager).get(PAGE, {"report": "idr", "period": "2026-H1"})
    assert page.status_code == 200
    body = page.content.decode()
    assert seeded["quick"].reference in body and seeded["after"].reference not in body
    assert 'id="unmapped"' in body and "Mystery" in body  # the product without a code
    assert "within_time_limit" in body and 'id="dictionary"' in body
    assert "export/?report=idr&amp;period=2026-H1&amp;format=xlsx" in body


def test_the_page_defaults_to_the_last_complete_half_year(manager):
    page = _client(manager).get(PAGE)
    assert page.status_code == 200
    assert page.context["report"] == "half_yearly"
    assert page.context["period"].label == page.context["form"].fields["period"].initial


def test_a_handler_may_not_read_returns_and_an_auditor_may(handler, auditor):
    assert _client(handler).get(PAGE).status_code == 403
    assert _client(handler).get(EXPORT, {"report": "idr", "period": "2026-H1"}).status_code == 403
    assert _client(auditor).get(PAGE, {"report": "idr", "period": "2026-H1"}).status_code == 200


def test_the_csv_is_streamed_and_the_xlsx_opens(seeded, auditor):
    client = _client(auditor)
    response = client.get(EXPORT, {"report": "half_yearly", "period": "2026-H1"})
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    assert 'filename="complaints-return-2026-H1.csv"' in response["Content-Disposition"]
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("product_group,cause_category,opened,closed,")
    assert lines[2] == "appliances,service,2,3,1,2,0,1,4.90,0"
    response = client.get(EXPORT, {"report": "idr", "period": "2026-H1", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "complaint_id" and len(rows) == 7
    exports = AuditEvent.objects.filter(case_type="return_export", case_id=auditor.pk)
    assert [e.data for e in exports.order_by("seq")] == [
        {"report": "half_yearly", "period": "2026-H1", "format": "csv"},
        {"report": "idr", "period": "2026-H1", "format": "xlsx"},
    ]


@pytest.mark.parametrize(
    "query",
    [
        {"report": "idr", "period": "2026-H3"},
        {"report": "idr", "period": "2026"},
        {"report": "idr", "period": "2026-H1", "format": "pdf"},
        {"report": "quarterly", "period": "2026-H1"},
        {"report": "idr", "period": "\x00"},
    ],
)
def test_bad_parameters_are_a_page_saying_so(manager, query):
    response = _client(manager).get(EXPORT, query)
    assert response.status_code == 400
    assert b"not valid" in response.content


def test_an_odd_period_on_the_page_is_a_form_error_not_a_failure(manager):
    page = _client(manager).get(PAGE, {"report": "idr", "period": "9999-H9"})
    assert page.status_code == 200 and page.context["form"].errors


def test_a_manager_gives_a_value_its_code_and_an_auditor_only_reads(manager, auditor):
    client = _client(manager)
    response = client.post(
        MAPPINGS, {"report": "idr", "kind": "product", "source": "Kettle", "target": "appliances"}
    )
    assert response.status_code == 302
    row = ReturnMapping.objects.get(report="idr", kind="product", source="Kettle")
    assert row.target == "appliances"
    event = AuditEvent.objects.filter(case_type="return_mapping", case_id=row.pk).get()
    assert event.data["after"] == "appliances" and not audit_verify().breaks
    refused = client.post(MAPPINGS, {"report": "half_yearly", "kind": "outcome", "source": "x"})
    assert refused.status_code == 400
    reader = _client(auditor)
    page = reader.get(MAPPINGS, {"report": "idr"})
    assert page.status_code == 200 and b"appliances" in page.content
    assert b"save-mapping" not in page.content
    assert reader.post(MAPPINGS, {"report": "idr"}).status_code == 403
    assert reader.post(f"{MAPPINGS}{row.pk}/delete/", {"report": "idr"}).status_code == 403
    assert client.post(f"{MAPPINGS}{row.pk}/delete/", {"report": "idr"}).status_code == 302
    assert not ReturnMapping.objects.filter(pk=row.pk).exists()


def test_the_form_offers_only_the_kinds_the_format_codes(manager):
    client = _client(manager)
    page = client.get(MAPPINGS, {"report": "half_yearly"})
    assert [k for k, _label in page.context["form"].fields["kind"].choices] == [
        "product",
        "category",
        "outcome",
    ]
    refused = client.post(
        MAPPINGS, {"report": "half_yearly", "kind": "remedy", "source": "x", "target": "y"}
    )
    assert refused.status_code == 400 and not ReturnMapping.objects.filter(source="x").exists()


def test_a_warning_links_to_the_mapping_form_prefilled(manager):
    page = _client(manager).get(MAPPINGS, {"report": "idr", "kind": "product", "source": "Kettle"})
    assert page.context["form"].initial == {"report": "idr", "kind": "product", "source": "Kettle"}


def test_the_api_gives_both_files_to_managers_only(seeded, manager, handler):
    api = ApiClient(manager)
    response = api.get("/returns/idr", {"period": "2026-H1"})
    assert response.status_code == 200 and response.streaming
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 7 and lines[1].startswith(seeded["carried"].reference)
    response = api.get("/returns/half-yearly", {"period": "2026-H1", "format": "xlsx"})
    assert response.status_code == 200
    refused = ApiClient(handler).get("/returns/idr", {"period": "2026-H1"})
    assert refused.status_code == 403 and refused["Content-Type"].startswith(PROBLEM)


def test_the_api_refuses_a_bad_period_as_a_problem(manager):
    response = ApiClient(manager).get("/returns/half-yearly", {"period": "2026-H7"})
    assert response.status_code == 422 and response["Content-Type"].startswith(PROBLEM)
    assert "period" in json.loads(response.content)["detail"]


def test_the_api_gives_the_column_dictionaries(manager):
    body = json.loads(ApiClient(manager).get("/returns/dictionary").content)
    assert [c["column"] for c in body["idr"]][:3] == [
        "complaint_id",
        "received_date",
        "closed_date",
    ]
    assert body["half_yearly"][0]["source"]


def test_a_restricted_case_is_only_in_its_named_readers_returns(manager, admin_user):
    health = CategoryFactory(code="health", restricted=True)
    health.readers.add(admin_user)
    case = file_at(at(2026, 4, 6), Actor.staff(manager), product="Kettle", category="health")
    query = {"report": "idr", "period": "2026-H1"}
    for person, shown in ((manager, False), (admin_user, True)):
        client = _client(person)
        page = client.get(PAGE, query).content.decode()
        exported = b"".join(client.get(EXPORT, query).streaming_content).decode()
        assert (case.reference in page, case.reference in exported) == (shown, shown)
        assert ('id="hidden-warning"' in page) is not shown
