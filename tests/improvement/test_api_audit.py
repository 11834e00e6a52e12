"""The internal-audit API: a programme and an audit planned by a manager with idempotent creates,
recorded by its auditor, the nonconformity's corrective action opened by the manager, and
problem+json refusals per role."""

from __future__ import annotations

import pytest

from plaint.core.models import AuditEvent
from plaint.improvement.models import Audit, CorrectiveAction, Finding
from tests.api_client import ApiClient, assert_problem
from tests.improvement.audits import team_case

pytestmark = pytest.mark.django_db


def _plan(api, auditor, programme_id, **kw):
    body = {
        "programme_id": programme_id,
        "title": "Delivery: handling",
        "standards": ["iso10002"],
        "clauses": ["iso10002:7"],
        "planned_start": "2026-05-04",
        "planned_end": "2026-05-08",
        "lead_auditor_id": auditor.pk,
        **kw,
    }
    return api.post("/audits", body, **{"Idempotency-Key": "plan-1"})


def test_plan_record_report_and_act_through_the_api(manager, auditor):
    boss, lead = ApiClient(manager), ApiClient(auditor)
    team, case = team_case(manager)
    made = boss.post("/audit-programmes", {"year": 2026, "title": "Processes"})
    assert made.status_code == 201
    programme = made.json()["id"]
    first = _plan(boss, auditor, programme, team_ids=[team.pk])
    again = _plan(boss, auditor, programme, team_ids=[team.pk])
    assert (first.status_code, again.status_code) == (201, 200)
    assert Audit.objects.count() == 1
    audit = first.json()
    assert audit["next_steps"] == ["cancel"] and len(audit["checklist"]) == 5
    url = f"/audits/{audit['id']}"
    assert lead.get(url).json()["next_steps"] == ["start"]
    assert lead.post(f"{url}/steps", {"step": "start"}).json()["state"] == "in_progress"
    for item in audit["checklist"]:
        assert lead.post(f"{url}/checklist/{item['id']}", {"answer": "yes"}).status_code == 200
    finding = {
        "kind": "nonconformity",
        "clause": "iso10002:7",
        "statement": "Late acknowledgements.",
        "complaints": [case.reference],
    }
    assert lead.post(f"{url}/findings", finding, **{"Idempotency-Key": "f-1"}).status_code == 201
    assert lead.post(f"{url}/findings", finding, **{"Idempotency-Key": "f-1"}).status_code == 200
    assert Finding.objects.count() == 1
    body = lead.post(f"{url}/steps", {"step": "report", "note": "One nonconformity."}).json()
    assert body["state"] == "reported" and body["findings"][0]["complaints"] == [case.reference]
    assert_problem(boss.post(f"{url}/steps", {"step": "close"}), 409, "conflict")
    nc = body["findings"][0]["id"]
    action = {
        "owner_id": manager.pk,
        "indicator": {"kind": "ack_within_business_days", "days": 1},
        "comparison": "ge",
        "target": 95,
    }
    assert_problem(lead.post(f"{url}/findings/{nc}/corrective-action", action), 403, "not_allowed")
    opened = boss.post(f"{url}/findings/{nc}/corrective-action", action)
    assert opened.status_code == 201
    assert (
        opened.json()["findings"][0]["corrective_action"]
        == CorrectiveAction.objects.get().reference
    )
    assert boss.post(f"{url}/steps", {"step": "close"}).json()["state"] == "closed"
    assert AuditEvent.objects.filter(case_type="internal_audit").count() == 11


def test_handlers_neither_read_nor_record_and_auditors_do_not_plan(manager, auditor, handler):
    assert_problem(ApiClient(handler).get("/audits"), 403, "not_allowed")
    assert_problem(ApiClient(handler).get("/audit-checklists"), 403, "not_allowed")
    assert_problem(
        ApiClient(auditor).post("/audit-programmes", {"year": 2026, "title": "Mine"}),
        403,
        "not_allowed",
    )
    assert_problem(ApiClient(auditor).get("/audits/99"), 404, "not_found")


def test_a_dependent_auditor_is_a_problem_with_the_field_named(manager):
    from tests.factories import UserFactory

    team, _case = team_case(manager)
    insider = UserFactory(username="inga", role="auditor", team=team)
    boss = ApiClient(manager)
    programme = boss.post("/audit-programmes", {"year": 2026, "title": "P"}).json()["id"]
    body = assert_problem(
        _plan(boss, insider, programme, team_ids=[team.pk]), 422, "validation_failed"
    )
    assert "independent" in body["errors"]["lead_auditor_id"][0]


def test_the_checklists_come_in_the_language_asked(auditor):
    body = ApiClient(auditor).get("/audit-checklists", **{"Accept-Language": "uk"}).json()
    assert [c["standard"] for c in body] == ["iso10002", "iso10003", "iso10001"]
    first = body[0]["clauses"][0]["questions"][0]
    assert first["code"] == "iso10002/4/1" and not first["text"].startswith("Can customers")


def test_a_nul_in_a_text_is_invalid_input_not_a_database_error(manager):
    body = {"year": 2026, "title": "Pro\x00cesses"}
    assert_problem(ApiClient(manager).post("/audit-programmes", body), 422, "validation_failed")
