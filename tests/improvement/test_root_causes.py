"""The root-cause taxonomy: kept by managers, chosen when findings are recorded (page and API),
audited, and counted by the analysis page."""

from __future__ import annotations

import datetime as dt

import pytest

from plaint.complaints import services as s
from plaint.complaints.models import RootCause
from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, ValidationFailed
from plaint.core.models import AuditEvent
from plaint.improvement.selectors import AnalysisFilters, complaint_analysis
from tests.api_client import ApiClient
from tests.factories import advance, make_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def taxonomy(manager):
    staff = Actor.staff(manager)
    s.root_cause_create(actor=staff, name="People", code="people")
    s.root_cause_create(actor=staff, name="Training gap", parent="people")
    s.root_cause_create(actor=staff, name="Supplier", code="supplier")
    return staff


@pytest.fixture
def investigating(handler):
    complaint, _token = make_complaint()
    return advance(complaint, "investigating", by=handler)


def test_causes_form_a_tree_with_codes_made_from_names(taxonomy):
    child = RootCause.objects.get(code="training-gap")
    assert child.parent.code == "people" and child.active


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": ""}, "Give the cause a name."),
        ({"name": "People"}, "A cause with this code exists."),
        ({"name": "Late", "parent": "nothing"}, "There is no cause with the code nothing."),
        ({"name": "x" * 101}, "Keep the name under 100 characters."),
    ],
)
def test_bad_causes_are_refused_with_a_reason(taxonomy, kwargs, message):
    with pytest.raises(ValidationFailed) as exc:
        s.root_cause_create(actor=taxonomy, **kwargs)
    assert exc.value.message == message


def test_only_configuring_roles_keep_the_taxonomy(handler, auditor):
    for user in (handler, auditor):
        with pytest.raises(NotAllowed):
            s.root_cause_create(actor=Actor.staff(user), name="Anything")


def test_findings_name_a_cause_and_the_audit_event_records_it(taxonomy, investigating, handler):
    staff = Actor.staff(handler)
    s.complaint_record_findings(
        complaint_id=investigating.pk,
        actor=staff,
        findings="The new courier was never trained.",
        root_cause="Nobody showed them the returns desk.",
        cause="training-gap",
    )
    investigating.refresh_from_db()
    assert investigating.cause_id == "training-gap"
    assert investigating.root_cause == "Nobody showed them the returns desk."  # the words stay
    event = AuditEvent.objects.filter(case_id=investigating.pk, action="record_findings").last()
    assert event.data["after"]["cause_id"] == "training-gap"

    # None keeps the cause; "" clears it
    s.complaint_record_findings(complaint_id=investigating.pk, actor=staff, findings="More.")
    investigating.refresh_from_db()
    assert investigating.cause_id == "training-gap"
    s.complaint_record_findings(complaint_id=investigating.pk, actor=staff, findings="x", cause="")
    investigating.refresh_from_db()
    assert investigating.cause_id is None


def test_a_retired_or_unknown_cause_cannot_be_chosen(taxonomy, investigating, handler):
    s.root_cause_set_active(actor=taxonomy, code="supplier", active=False)
    for code in ("supplier", "no-such-cause"):
        with pytest.raises(ValidationFailed) as exc:
            s.complaint_record_findings(
                complaint_id=investigating.pk, actor=Actor.staff(handler), findings="x", cause=code
            )
        assert exc.value.fields == {"cause": ["Unknown cause."]}


def test_the_api_takes_and_shows_the_cause(taxonomy, investigating, handler):
    api = ApiClient(handler)
    ref = investigating.reference
    body = {"findings": "Batch 12 was faulty.", "cause": "supplier"}
    assert api.post(f"/complaints/{ref}/steps/record_findings", body).status_code == 200
    assert api.get(f"/complaints/{ref}").json()["cause"] == "supplier"
    bad = api.post(f"/complaints/{ref}/steps/record_findings", {"findings": "x", "cause": "nope"})
    assert bad.status_code == 422


def test_the_step_page_offers_the_active_causes(client, taxonomy, investigating, handler):
    s.root_cause_set_active(actor=taxonomy, code="supplier", active=False)
    client.force_login(handler)
    body = client.get(
        f"/staff/complaints/{investigating.reference}/step/record_findings/"
    ).content.decode()
    assert 'value="training-gap"' in body and 'value="supplier"' not in body


def test_the_analysis_counts_complaints_by_cause(taxonomy, investigating, handler):
    s.complaint_record_findings(
        complaint_id=investigating.pk, actor=Actor.staff(handler), findings="x", cause="supplier"
    )
    make_complaint()  # no cause yet
    month = dt.date.today().replace(day=1)
    result = complaint_analysis(AnalysisFilters(start=month, end=month))
    assert {k: c for k, c, *_ in result.pareto["cause"]} == {"Supplier": 1, "": 1}


def test_managers_keep_the_taxonomy_on_its_page(client, manager, taxonomy):
    client.force_login(manager)
    response = client.post(
        "/staff/analysis/causes/",
        {"cause-name": "Faulty batch", "cause-parent": "supplier", "cause-code": ""},
        follow=True,
    )
    assert "Cause “Faulty batch” added." in response.content.decode()
    assert RootCause.objects.get(code="faulty-batch").parent.code == "supplier"

    client.post("/staff/analysis/causes/", {"code": "faulty-batch", "active": "0"})
    assert not RootCause.objects.get(code="faulty-batch").active

    response = client.post("/staff/analysis/causes/", {"cause-name": "People"})
    assert response.status_code == 422
    assert "Already used." in response.content.decode()  # beside the code field


def test_handlers_may_not_open_the_taxonomy_page(client, handler):
    client.force_login(handler)
    assert client.get("/staff/analysis/causes/").status_code == 403
