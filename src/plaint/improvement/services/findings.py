"""What auditors record in an audit under way — checklist answers and findings with evidence in
cases — and the corrective action a manager opens from a nonconformity (ISO 10002 8.5; ISO 9001
10.2). Evidence is a case the auditor may read (``complaints.visibility``), stored as a link."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.complaints.models import Complaint
from plaint.complaints.visibility import visible_complaints
from plaint.core.actors import Actor
from plaint.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from plaint.improvement import checklists
from plaint.improvement.models import CorrectiveAction
from plaint.improvement.models_audit import STATEMENT_LIMIT, ChecklistItem, Finding
from plaint.improvement.services.audit import audit_event, lock_audit, require_auditor
from plaint.improvement.services.common import require_manager, text_clean
from plaint.improvement.services.corrective import corrective_action_open
from plaint.improvement.states import Source
from plaint.improvement.states_audit import RECORDING, Answer, AuditState, FindingKind

MAX_EVIDENCE = 50


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(_("Check the highlighted fields."), fields={field: [message]})


def _recording(state: str) -> None:
    if state not in RECORDING:
        raise InvalidTransition(
            _(
                "Answers and findings are recorded while the audit is in progress; it is “%(state)s”."
            )
            % {"state": AuditState(state).label}
        )


@transaction.atomic
def checklist_answer(
    *,
    actor: Actor,
    audit_id: int,
    item_id: int,
    answer: str,
    notes: str = "",
    now: dt.datetime | None = None,
) -> ChecklistItem:
    """Answer one question of the audit's checklist (again, to change the answer)."""
    item = lock_audit(audit_id)
    require_auditor(item, actor)
    _recording(item.state)
    row = ChecklistItem.objects.filter(pk=item_id, audit=item).first()
    if row is None:
        raise NotFound(_("No such checklist question."))
    if answer not in Answer.values:
        raise _invalid("answer", _("Choose an answer."))
    now = now or timezone.now()
    row.answer, row.answered_by_id, row.answered_at = answer, actor.user_id, now
    row.notes = text_clean(notes, "notes", required=False)
    row.save(update_fields=["answer", "notes", "answered_by", "answered_at"])
    data = {"question": row.code, "answer": answer}
    audit_event(item.pk, actor, "answered", data, {"notes": row.notes} if row.notes else None, now)
    return row


def evidence_clean(actor: Actor, references: Iterable[str]) -> list[Complaint]:
    """The cases named as evidence, each one the auditor may read; a case they may not read is
    "no such case", like one that does not exist."""
    refs = sorted({r.strip() for r in references if r and r.strip()})
    if len(refs) > MAX_EVIDENCE:
        raise _invalid("complaints", _("At most %(n)s cases.") % {"n": MAX_EVIDENCE})
    found = list(
        visible_complaints(actor.user)
        .filter(reference__in=refs)
        .only("pk", "reference")
        .order_by("reference")
    )
    missing = sorted(set(refs) - {c.reference for c in found})
    if missing:
        raise _invalid(
            "complaints", _("No such complaint: %(refs)s.") % {"refs": ", ".join(missing)}
        )
    return found


def _clause_clean(standards: list[str], clause: str) -> tuple[str, str]:
    standard, _sep, number = clause.partition(":") if isinstance(clause, str) else ("", "", "")
    if standard not in standards or number not in checklists.load(standard).clause_numbers():
        raise _invalid("clause", _("Choose a clause of the standards in scope."))
    return standard, number


@transaction.atomic
def finding_record(
    *,
    actor: Actor,
    audit_id: int,
    kind: str,
    clause: str,
    statement: str,
    evidence_note: str = "",
    complaint_references: Iterable[str] = (),
    now: dt.datetime | None = None,
) -> Finding:
    """Record a finding against a clause ("iso10002:7") with its evidence: cases (by reference)
    and a note on other records seen. A nonconformity needs evidence of one kind or the other."""
    item = lock_audit(audit_id)
    require_auditor(item, actor)
    _recording(item.state)
    if kind not in FindingKind.values:
        raise _invalid("kind", _("Choose a kind of finding."))
    standard, number = _clause_clean(item.standards, clause)
    text = text_clean(statement, "statement", limit=STATEMENT_LIMIT)
    note = text_clean(evidence_note, "evidence_note", required=False, limit=STATEMENT_LIMIT)
    cases = evidence_clean(actor, complaint_references)
    if kind == FindingKind.NONCONFORMITY and not cases and not note:
        raise _invalid("evidence_note", _("A nonconformity needs its evidence: cases or a note."))
    now = now or timezone.now()
    last = item.findings.aggregate(n=Max("number"))["n"] or 0
    finding = Finding.objects.create(
        audit=item,
        number=last + 1,
        kind=kind,
        standard=standard,
        clause=number,
        statement=text,
        evidence_note=note,
        recorded_by=actor.user,
        recorded_at=now,
    )
    finding.complaints.set(cases)
    data: dict[str, Any] = {
        "finding": finding.reference,
        "kind": kind,
        "clause": f"{standard}:{number}",
        "complaints": [c.reference for c in cases],
    }
    personal = {"statement": text, "evidence_note": note}
    audit_event(item.pk, actor, "finding_recorded", data, personal, now)
    return finding


@transaction.atomic
def finding_corrective_action_open(
    *,
    actor: Actor,
    finding_id: int,
    owner_id: int,
    indicator: dict[str, Any],
    comparison: str,
    target: float,
    window_months: int = 3,
    title: str = "",
    problem: str = "",
    now: dt.datetime | None = None,
) -> CorrectiveAction:
    """A manager opens the corrective action of a nonconformity (the auditee acts on what the
    auditor found): source "audit", the finding as its reference, its evidence cases linked."""
    require_manager(actor)
    audit_id = Finding.objects.filter(pk=finding_id).values_list("audit_id", flat=True).first()
    if audit_id is None:
        raise NotFound(_("No such finding."))
    item = lock_audit(audit_id)
    finding = Finding.objects.get(pk=finding_id)
    if finding.kind != FindingKind.NONCONFORMITY:
        raise Conflict(_("Only a nonconformity opens a corrective action."))
    if finding.corrective_action_id is not None:
        raise Conflict(_("This nonconformity already has its corrective action."))
    if item.state not in (AuditState.IN_PROGRESS, AuditState.REPORTED):
        raise InvalidTransition(
            _("A corrective action is opened from an audit in progress or reported.")
        )
    ca = corrective_action_open(
        actor=actor,
        title=title or _("Nonconformity %(ref)s") % {"ref": finding.reference},
        problem=problem or finding.statement,
        source=Source.AUDIT,
        source_ref=finding.reference,
        owner_id=owner_id,
        indicator=indicator,
        comparison=comparison,
        target=target,
        window_months=window_months,
        complaint_ids=list(finding.complaints.values_list("pk", flat=True)),
        now=now,
    )
    finding.corrective_action = ca
    finding.save(update_fields=["corrective_action"])
    data = {"finding": finding.reference, "corrective_action": ca.reference}
    audit_event(item.pk, actor, "corrective_action_opened", data, None, now)
    return ca
