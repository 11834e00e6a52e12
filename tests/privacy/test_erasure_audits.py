"""Erasure reaches what auditors wrote: a finding, its evidence note, a checklist note and the
audit's conclusion that name the person are redacted, the audit events' unhashed part is cleared,
and the audit's chain still verifies."""

from __future__ import annotations

from plaint.core.actors import Actor
from plaint.core.audit import audit_verify
from plaint.improvement import services as s
from plaint.improvement.models import Finding
from plaint.privacy.selectors import subject_lookup
from plaint.privacy.services import subject_erase
from tests.factories import UserFactory
from tests.improvement.audits import answer_all, plan
from tests.privacy.conftest import EMAIL, NAME
from tests.privacy.scan import database_hits


def test_an_audit_that_names_the_person_keeps_nothing_of_her(person, admin_user, manager):
    auditor = UserFactory(username="aino", role="auditor")
    audit = plan(manager, auditor)
    lead = Actor.staff(auditor)
    s.audit_start(actor=lead, audit_id=audit.pk)
    s.finding_record(
        actor=lead,
        audit_id=audit.pk,
        kind="nonconformity",
        clause="iso10002:7",
        statement=f"{NAME}'s complaint was acknowledged late.",
        evidence_note=f"Letter to {NAME}.",
        complaint_references=[person[0].reference],
    )
    answer_all(audit, auditor)
    item = audit.items.first()
    s.checklist_answer(
        actor=lead, audit_id=audit.pk, item_id=item.pk, answer="no", notes=f"See {NAME}."
    )
    s.audit_report(actor=lead, audit_id=audit.pk, conclusion=f"One late case ({NAME}).")
    assert database_hits([NAME])

    subject_erase(actor=Actor.staff(admin_user), subject=subject_lookup(query=EMAIL))

    assert database_hits([NAME]) == {}
    finding = Finding.objects.get()
    assert "acknowledged late" in finding.statement and finding.complaints.count() == 1
    assert audit_verify().breaks == []
