"""Reads of the internal audits: the programmes, one audit's workspace, the evidence a reader may
see, and ``audit_summary`` — the audit results of a period for the management review."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader, can_read_internal_audits
from plaint.accounts.models import Role, User
from plaint.complaints.models import Complaint
from plaint.complaints.visibility import readable_case_ids
from plaint.core.errors import NotFound
from plaint.core.models import AuditEvent
from plaint.improvement.models_audit import Audit, AuditProgramme, ChecklistItem, Finding
from plaint.improvement.states import OPEN_STATES
from plaint.improvement.states_audit import AuditState, FindingKind

LIST_LIMIT = 200


def _require(actor: Reader) -> None:
    if not can_read_internal_audits(actor):
        raise NotFound(_("Not found."))


def audit_programme_list(*, actor: Reader, year: int | None = None) -> list[AuditProgramme]:
    """The programmes, newest year first, each with its audits and their finding counts."""
    _require(actor)
    audits = Audit.objects.select_related("lead_auditor").annotate(
        nonconformities=Count("findings", filter=Q(findings__kind=FindingKind.NONCONFORMITY)),
        finding_count=Count("findings"),
    )
    qs = AuditProgramme.objects.select_related("owner").prefetch_related(
        Prefetch("audits", queryset=audits.order_by("planned_start", "id"))
    )
    if year is not None:
        qs = qs.filter(year=year)
    return list(qs[:LIST_LIMIT])


def audit_programme_get(*, actor: Reader, programme_id: int) -> AuditProgramme:
    _require(actor)
    found = AuditProgramme.objects.select_related("owner").filter(pk=programme_id).first()
    if found is None:
        raise NotFound(_("No such audit programme."))
    return found


def audit_list(
    *, actor: Reader, state: str = "", programme_id: int | None = None
) -> QuerySet[Audit]:
    _require(actor)
    qs = Audit.objects.select_related("programme", "lead_auditor")
    if state:
        qs = qs.filter(state=state)
    if programme_id is not None:
        qs = qs.filter(programme_id=programme_id)
    return qs.order_by("-planned_start", "-id")[:LIST_LIMIT]


def audit_get(*, actor: Reader, audit_id: int) -> Audit:
    """One audit with its scope, auditors, checklist and findings (evidence and actions)."""
    _require(actor)
    found = (
        Audit.objects.select_related("programme", "lead_auditor")
        .prefetch_related(
            "teams",
            "categories",
            "co_auditors",
            Prefetch("items", queryset=ChecklistItem.objects.select_related("answered_by")),
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related(
                    "recorded_by", "corrective_action"
                ).prefetch_related(
                    Prefetch("complaints", queryset=Complaint.objects.only("pk", "reference"))
                ),
            ),
        )
        .filter(pk=audit_id)
        .first()
    )
    if found is None:
        raise NotFound(_("No such audit."))
    return found


def finding_get(*, actor: Reader, audit_id: int, finding_id: int) -> Finding:
    _require(actor)
    found = (
        Finding.objects.select_related("audit", "corrective_action")
        .filter(pk=finding_id, audit_id=audit_id)
        .first()
    )
    if found is None:
        raise NotFound(_("No such finding."))
    return found


def visible_evidence(actor: Reader, findings: list[Finding]) -> dict[int, list[Complaint]]:
    """Each finding's evidence cases that ``actor`` may read (one statement): a case in a
    restricted category stays a link only for its named readers."""
    every = {c.pk for f in findings for c in f.complaints.all()}
    readable = readable_case_ids(actor, every) if every else set()
    return {f.pk: [c for c in f.complaints.all() if c.pk in readable] for f in findings}


def audit_timeline(item: Audit) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(case_type="internal_audit", case_id=item.pk).order_by("seq")
    )


def auditors() -> QuerySet[User]:
    return User.objects.filter(role=Role.AUDITOR, is_active=True).order_by("username")


@dataclass(frozen=True)
class AuditLine:
    reference: str
    title: str
    url: str
    state: str
    reported_on: dt.date | None
    findings: dict[str, int]  # FindingKind value -> count


@dataclass(frozen=True)
class OpenNonconformity:
    reference: str
    statement: str
    audit_reference: str
    url: str
    corrective_action: str  # its reference, "" when none is open yet
    corrective_action_url: str
    corrective_action_state: str


@dataclass(frozen=True)
class AuditSummary:
    """The audit results of a period: the audits reported in it with their findings by kind,
    and the nonconformities (of any audit reported by its end) whose corrective action is not
    closed — or not opened. URLs are site paths (``/staff/improvement/audits/…``)."""

    start: dt.date
    end: dt.date
    audits: list[AuditLine] = field(default_factory=list)
    findings_by_kind: dict[str, int] = field(default_factory=dict)
    open_nonconformities: list[OpenNonconformity] = field(default_factory=list)

    @property
    def held(self) -> int:
        return len(self.audits)


def audit_summary(start: dt.date, end: dt.date) -> AuditSummary:
    """The audits reported from ``start`` to ``end`` (days, inclusive; two statements plus one
    for the open nonconformities). Callers apply their own gate (the review pack's)."""
    held = (
        Audit.objects.filter(reported_at__date__gte=start, reported_at__date__lte=end)
        .prefetch_related("findings")
        .order_by("reported_at", "id")
    )
    lines, kinds = [], Counter({k: 0 for k in FindingKind.values})
    for a in held:
        counts = Counter({k: 0 for k in FindingKind.values})
        counts.update(f.kind for f in a.findings.all())
        kinds.update(counts)
        lines.append(
            AuditLine(
                a.reference,
                a.title,
                reverse("improvement:audit_detail", kwargs={"audit_id": a.pk}),
                a.state,
                a.reported_at.date() if a.reported_at else None,
                dict(counts),
            )
        )
    open_ncs = (
        Finding.objects.filter(
            kind=FindingKind.NONCONFORMITY,
            audit__reported_at__date__lte=end,
            audit__state__in=[AuditState.REPORTED, AuditState.CLOSED],
        )
        .filter(Q(corrective_action__isnull=True) | Q(corrective_action__state__in=OPEN_STATES))
        .select_related("audit", "corrective_action")
        .order_by("audit_id", "number")
    )
    return AuditSummary(start, end, lines, dict(kinds), [_open_line(f) for f in open_ncs])


def _open_line(f: Finding) -> OpenNonconformity:
    ca = f.corrective_action
    return OpenNonconformity(
        reference=f.reference,
        statement=f.statement,
        audit_reference=f.audit.reference,
        url=reverse("improvement:audit_detail", kwargs={"audit_id": f.audit_id})
        + f"#finding-{f.number}",
        corrective_action=ca.reference if ca else "",
        corrective_action_url=reverse("improvement:corrective_detail", kwargs={"ca_id": ca.pk})
        if ca
        else "",
        corrective_action_state=ca.state if ca else "",
    )
