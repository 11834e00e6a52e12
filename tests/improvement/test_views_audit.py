"""The internal-audit pages: who sees them, the programme and plan forms, the workspace where
the auditor answers the checklist and records findings with evidence links, the corrective action
opened from a nonconformity, and the report as a page and as a PDF read back with pypdf."""

from __future__ import annotations

import io
import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaint.core import pdf
from plaint.core.actors import Actor
from plaint.improvement import services as s
from plaint.improvement.models import Audit, AuditProgramme, CorrectiveAction, Finding
from tests.factories import UserFactory
from tests.improvement.audits import answer_all, plan, team_case

pytestmark = pytest.mark.django_db

AUDITS = "/staff/improvement/audits/"


def _url(audit, rest: str = "") -> str:
    return f"{AUDITS}{audit.pk}/{rest}"


def test_handlers_do_not_see_audits_managers_and_auditors_do(client, handler, manager, auditor):
    plan(manager, auditor)
    client.force_login(handler)
    assert client.get(AUDITS).status_code == 403
    assert b"audits-link" not in client.get("/staff/").content
    for who in (manager, auditor):
        client.force_login(who)
        page = client.get(AUDITS)
        assert page.status_code == 200 and b"Delivery: handling" in page.content
        assert b"audits-link" in page.content


def test_a_manager_writes_a_programme_and_plans_an_audit(client, manager, auditor):
    client.force_login(manager)
    response = client.post(AUDITS, {"year": 2026, "title": "Processes", "objectives": "All."})
    assert response.status_code == 302
    programme = AuditProgramme.objects.get()
    plan_url = f"{AUDITS}programmes/{programme.pk}/plan/"
    form = {
        "title": "Disputes",
        "standards": ["iso10003"],
        "clauses": ["iso10003:7"],
        "planned_start": "2026-06-01",
        "planned_end": "2026-06-03",
        "lead_auditor": auditor.pk,
    }
    response = client.post(plan_url, form)
    audit = Audit.objects.get()
    assert response.status_code == 302 and response["Location"] == _url(audit)
    assert audit.items.count() == 3
    client.force_login(auditor)  # auditors record; they do not plan
    assert client.get(plan_url).status_code == 403
    assert client.post(AUDITS, {"year": 2026, "title": "Mine"}).status_code == 403


def test_planning_a_dependent_auditor_says_why(client, manager):
    team, _case = team_case(manager)
    insider = UserFactory(username="inga", role="auditor", team=team)
    programme = s.audit_programme_create(actor=Actor.staff(manager), year=2026, title="P")
    client.force_login(manager)
    response = client.post(
        f"{AUDITS}programmes/{programme.pk}/plan/",
        {
            "title": "Delivery",
            "standards": ["iso10002"],
            "teams": [team.pk],
            "planned_start": "2026-06-01",
            "planned_end": "2026-06-03",
            "lead_auditor": insider.pk,
        },
        headers={"Accept-Language": "et"},
    )
    assert response.status_code == 422
    assert "sõltumatu" in response.content.decode()  # the reason, in the reader's language
    assert not Audit.objects.exists()


def test_the_auditor_works_the_audit_from_its_page(client, manager, auditor):
    team, case = team_case(manager)
    audit = plan(manager, auditor, team=team)
    s.audit_start(actor=Actor.staff(auditor), audit_id=audit.pk)
    client.force_login(auditor)
    page = client.get(_url(audit)).content.decode()
    assert "Is each complaint acknowledged promptly" in page and "answer-form" in page
    item = audit.items.first()
    response = client.post(
        _url(audit), {"form": "answer", "item_id": item.pk, "answer": "partly", "notes": "2/10"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.answer, item.notes) == ("partly", "2/10")
    finding = {
        "form": "finding",
        "kind": "nonconformity",
        "clause": "iso10002:7",
        "statement": "Late acknowledgements.",
        "complaints": f"{case.reference}, C-2099-999999",
    }
    response = client.post(_url(audit), finding)
    assert response.status_code == 422 and "C-2099-999999" in response.content.decode()
    finding["complaints"] = case.reference
    assert client.post(_url(audit), finding).status_code == 302
    page = client.get(_url(audit)).content.decode()
    assert f'href="/staff/complaints/{case.reference}/"' in page or case.reference in page
    assert "finding-1" in page


def test_a_manager_opens_the_corrective_action_of_a_nonconformity(client, manager, auditor):
    audit = plan(manager, auditor)
    s.audit_start(actor=Actor.staff(auditor), audit_id=audit.pk)
    nc = s.finding_record(
        actor=Actor.staff(auditor),
        audit_id=audit.pk,
        kind="nonconformity",
        clause="iso10002:7",
        statement="Late acknowledgements.",
        evidence_note="Log of May.",
    )
    client.force_login(manager)
    link = _url(audit, f"findings/{nc.pk}/corrective-action/")
    assert link in client.get(_url(audit)).content.decode()
    form = client.get(link).content.decode()
    assert nc.reference in form
    response = client.post(
        link,
        {
            "title": f"Nonconformity {nc.reference}",
            "problem": "Late acknowledgements.",
            "owner": manager.pk,
            "kind": "ack_within_business_days",
            "days": 1,
            "comparison": "ge",
            "target": 95,
            "window_months": 2,
        },
    )
    ca = CorrectiveAction.objects.get()
    assert response.status_code == 302 and ca.source_ref == nc.reference
    assert Finding.objects.get().corrective_action == ca
    client.force_login(auditor)
    assert client.get(link).status_code == 403


def _reported(manager, auditor):
    team, case = team_case(manager)
    audit = plan(manager, auditor, team=team)
    lead = Actor.staff(auditor)
    s.audit_start(actor=lead, audit_id=audit.pk)
    s.finding_record(
        actor=lead,
        audit_id=audit.pk,
        kind="observation",
        clause="iso10002:7",
        statement="Letters vary in tone.",
        complaint_references=[case.reference],
    )
    answer_all(audit, auditor)
    s.audit_report(actor=lead, audit_id=audit.pk, conclusion="Sound; one observation.")
    return audit


def test_the_report_page_shows_conclusion_findings_and_checklist(client, manager, auditor):
    audit = _reported(manager, auditor)
    client.force_login(manager)
    page = client.get(_url(audit, "report/"), headers={"Accept-Language": "sv"}).content.decode()
    assert "Sound; one observation." in page and "Letters vary in tone." in page
    assert "Registreras varje klagomål med ett unikt referensnummer" in page  # in Swedish


@pytest.fixture
def pypdf():
    if not pdf.pdf_available():
        if os.environ.get("PLAINT_REQUIRE_PDF"):
            pytest.fail("WeasyPrint/Pango expected (PLAINT_REQUIRE_PDF) but it does not load")
        pytest.skip("WeasyPrint or Pango is not installed here")
    return pytest.importorskip("pypdf")


def test_the_report_pdf_reads_back_with_its_findings_and_conclusion(
    client, manager, auditor, pypdf
):
    audit = _reported(manager, auditor)
    client.force_login(auditor)
    response = client.get(_url(audit, "report.pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert f"AUD-{audit.pk}" in text
    assert "Sound; one observation." in text and "Letters vary in tone." in text
    assert "Is every complaint recorded with a unique reference" in text


def test_the_programme_list_costs_the_same_statements_for_more_audits(client, manager, auditor):
    plan(manager, auditor)
    client.force_login(manager)
    client.get(AUDITS)  # warm the configuration cache
    with CaptureQueriesContext(connection) as one:
        client.get(AUDITS)
    for n in range(3):
        plan(manager, auditor, programme=f"Other {n}")
    with CaptureQueriesContext(connection) as four:
        assert client.get(AUDITS).content.count(b'href="/staff/improvement/audits/') >= 4
    assert len(four) == len(one)
