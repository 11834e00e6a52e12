"""The objectives page, the corrective-action list, form and workspace: what each role sees and
may post, and the statements the list costs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaint.core.actors import Actor
from plaint.improvement import services as s
from plaint.improvement.models import CorrectiveAction, Objective
from plaint.improvement.states import State
from tests.factories import CategoryFactory
from tests.html import textarea_text

pytestmark = pytest.mark.django_db

LIST, NEW, OBJECTIVES = (
    "/staff/improvement/corrective-actions/",
    "/staff/improvement/corrective-actions/new/",
    "/staff/improvement/objectives/",
)


def _open(manager, n=1):
    category = CategoryFactory(code="delivery", name="Delivery")
    return [
        s.corrective_action_open(
            actor=Actor.staff(manager),
            title=f"Crushed parcels {i}",
            problem="Crushed parcels",
            source="manual",
            owner_id=manager.pk,
            indicator={"kind": "received", "category": category.pk},
            comparison="le",
            target=1,
        )
        for i in range(n)
    ]


def test_every_staff_role_reads_the_pages(client, personas, manager):
    [ca] = _open(manager)
    for user in personas.values():
        client.force_login(user)
        for url in (LIST, OBJECTIVES, f"{LIST}{ca.pk}/"):
            assert client.get(url).status_code == 200, (user.role, url)


def test_only_managers_and_admins_get_the_form(client, personas):
    for role, status in (("handler", 403), ("auditor", 403), ("manager", 200), ("admin", 200)):
        client.force_login(personas[role])
        assert client.get(NEW).status_code == status


def test_the_list_costs_the_same_statements_for_one_or_many(client, manager):
    client.force_login(manager)
    _open(manager)
    client.get(LIST)  # the session and the configuration cache, read once
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    CorrectiveAction.objects.all().delete()
    _open(manager, n=6)
    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST).content.count(b"Crushed parcels") == 6
    assert len(many) == len(one) <= 7


def test_the_form_opens_one_prefilled_from_the_analysis_page(client, manager):
    category = CategoryFactory(code="billing", name="Billing")
    client.force_login(manager)
    page = client.get(
        NEW, {"source": "cluster", "source_ref": "Pareto: Billing", "category": category.pk}
    )
    # a two-line box: a long reference is read whole on a phone
    assert textarea_text(page.content.decode(), "source_ref") == "Pareto: Billing"
    response = client.post(
        NEW,
        {
            "title": "Billing errors",
            "problem": "Invoices carry the wrong VAT.",
            "source": "cluster",
            "source_ref": "Pareto: Billing,\r\n  2026-01 to 2026-03",  # pasted on two lines
            "owner": manager.pk,
            "kind": "received",
            "category": category.pk,
            "comparison": "le",
            "target": "3",
            "window_months": "3",
        },
    )
    ca = CorrectiveAction.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{LIST}{ca.pk}/"
    assert ca.indicator == {"kind": "received", "category": category.pk}
    assert ca.source_ref == "Pareto: Billing, 2026-01 to 2026-03"  # kept on one line


def test_a_bad_indicator_is_shown_next_to_the_form(client, manager):
    client.force_login(manager)
    response = client.post(
        NEW,
        {
            "title": "t",
            "problem": "p",
            "source": "manual",
            "owner": manager.pk,
            "kind": "closed_within_days",
            "comparison": "ge",
            "target": "90",
            "window_months": "3",
        },
    )
    assert response.status_code == 422
    assert CorrectiveAction.objects.count() == 0


def test_the_workspace_walks_the_lifecycle(client, manager, handler):
    [ca] = _open(manager)
    url = f"{LIST}{ca.pk}/"
    client.force_login(manager)
    client.post(url, {"form": "containment", "containment": "Double-box fragile parcels."})
    client.post(
        url,
        {
            "form": "cause",
            "why1": "Stacked too high",
            "why2": "No rule",
            "root_cause": "No stacking rule",
        },
    )
    client.post(
        url,
        {
            "form": "action",
            "description": "Write the rule",
            "owner": handler.pk,
            "due_on": "2030-01-10",
        },
    )
    client.post(url, {"form": "step", "step": "start_actions"})
    ca.refresh_from_db()
    assert ca.state == State.ACTING and ca.whys == ["Stacked too high", "No rule"]
    action = ca.actions.get()
    client.force_login(handler)  # the owner marks it done
    assert (
        client.post(url, {"form": "done", "action_id": action.pk, "evidence": "Rule 7"}).status_code
        == 302
    )
    ca.refresh_from_db()
    assert ca.state == State.AWAITING_CHECK
    page = client.get(url).content.decode()
    assert "Rule 7" in page and "Action done" in page


def test_a_handler_cannot_take_steps_and_a_reason_is_asked_for(client, manager, handler):
    [ca] = _open(manager)
    url = f"{LIST}{ca.pk}/"
    client.force_login(handler)
    assert client.post(url, {"form": "step", "step": "cancel", "note": "no"}).status_code == 403
    client.force_login(manager)
    assert client.post(url, {"form": "step", "step": "cancel", "note": ""}).status_code == 422
    assert client.post(url, {"form": "step", "step": "run_check"}).status_code == 409
    assert CorrectiveAction.objects.get().state == State.OPEN


def test_objectives_page_shows_actual_and_saves_a_new_one(client, manager, handler):
    client.force_login(manager)
    response = client.post(
        OBJECTIVES,
        {
            "name": "Fast acknowledgement",
            "owner": manager.pk,
            "kind": "ack_within_business_days",
            "days": "1",
            "comparison": "ge",
            "target": "95",
            "period_start": "2026-01",
            "period_end": "2026-06",
        },
    )
    assert response.status_code == 302
    assert Objective.objects.get().period_end == dt.date(2026, 6, 1)
    page = client.get(OBJECTIVES).content.decode()
    assert "Fast acknowledgement" in page and "≥ 95.0 %" in page
    client.force_login(handler)
    assert client.post(OBJECTIVES, {"name": "x"}).status_code == 403
    assert "New objective" not in client.get(OBJECTIVES).content.decode()


def test_the_case_page_offers_managers_to_open_one_from_the_complaint(client, manager, handler):
    from tests.factories import make_complaint

    CategoryFactory(code="delivery", name="Delivery")
    complaint, _token = make_complaint(category="delivery")
    url = f"/staff/complaints/{complaint.reference}/"
    client.force_login(handler)
    assert b'id="open-corrective"' not in client.get(url).content
    client.force_login(manager)
    page = client.get(url).content.decode()
    assert "source=complaint" in page and f"complaints={complaint.reference}" in page
    form = client.get(f"{NEW}?source=complaint&complaints={complaint.reference}").content.decode()
    assert f'value="{complaint.reference}"' in form


def test_the_analysis_page_offers_managers_a_corrective_action_per_pareto_item(
    client, manager, handler
):
    import time_machine

    from tests.improvement.helpers import at, file_complaint

    category = CategoryFactory(code="delivery", name="Delivery")
    file_complaint(at(2026, 3, 10), handler, category="delivery", product="Parcel")
    with time_machine.travel(at(2026, 4, 2), tick=False):
        client.force_login(handler)
        assert b"corrective-open" not in client.get("/staff/analysis/").content
        client.force_login(manager)
        page = client.get("/staff/analysis/").content.decode()
        form = client.get(f"{NEW}?source=cluster&category_name=Delivery").content.decode()
    assert "category_name=Delivery" in page and "product=Parcel" in page
    assert f'<option value="{category.pk}" selected>' in form


def test_a_bad_or_foreign_action_id_is_not_found(client, manager, handler):
    first, second = _open(manager, n=2)
    action = s.planned_action_add(
        actor=Actor.staff(manager),
        ca_id=second.pk,
        description="x",
        owner_id=handler.pk,
        due_on=dt.date(2030, 1, 1),
    )
    client.force_login(manager)
    url = f"{LIST}{first.pk}/"
    for value in ("abc", "", str(action.pk)):
        assert client.post(url, {"form": "done", "action_id": value}).status_code == 404
    assert client.post(url, {"form": "nonsense"}).status_code == 422


def test_a_recurring_issue_offers_managers_a_corrective_action_from_its_complaints(
    client, manager, handler
):
    from plaint.improvement.services import clusters_detect

    CategoryFactory(code="billing", name="Billing")
    for n in range(3):
        file_complaint_now(handler, n)
    clusters_detect()
    client.force_login(handler)
    assert "corrective-open" not in client.get("/staff/analysis/clusters/").content.decode()
    client.force_login(manager)
    page = client.get("/staff/analysis/clusters/").content.decode()
    assert "source=cluster" in page and "product=Kettle+K-200" in page
    assert page.count("complaints=C-") == 1


def file_complaint_now(handler, n):
    from tests.factories import make_complaint

    return make_complaint(
        subject="Kettle",
        description=f"Kettle {n} leaks",
        product="Kettle K-200",
        category="billing",
    )
