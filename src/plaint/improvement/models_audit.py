"""Internal audit of the complaints, dispute-resolution and codes-of-conduct processes (ISO
10002:2018 8.5): a yearly programme of audits; each audit's scope (standards and clauses, teams and
categories), its independent auditors, the checklist answers per clause, and its findings —
conformities, observations and nonconformities with evidence in cases. A nonconformity opens a
corrective action (``CorrectiveAction`` with source ``audit``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from plaint.improvement.states_audit import Answer, AuditState, FindingKind

STATEMENT_LIMIT = 5000


class AuditProgramme(models.Model):
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    objectives = models.TextField(blank=True, default="")  # what the programme means to cover
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["year", "title"], name="audit_programme_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class Audit(models.Model):
    programme = models.ForeignKey(AuditProgramme, on_delete=models.PROTECT, related_name="audits")
    title = models.CharField(max_length=200)
    state = models.CharField(max_length=16, choices=AuditState.choices, default=AuditState.PLANNED)
    # Scope: the standards (checklists.STANDARDS) and, optionally, some of their clauses
    # ("iso10002:7"); the teams and categories whose cases are audited (none: all).
    standards = models.JSONField(default=list)
    clauses = models.JSONField(default=list, blank=True)
    teams = models.ManyToManyField("accounts.Team", related_name="+", blank=True)
    categories = models.ManyToManyField("complaints.Category", related_name="+", blank=True)
    scope_note = models.TextField(blank=True, default="")
    planned_start = models.DateField()
    planned_end = models.DateField()
    lead_auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    co_auditors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    conclusion = models.TextField(blank=True, default="")  # the report's summary
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["planned_start", "id"]
        indexes = [models.Index(fields=["reported_at"], name="audit_reported_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=AuditState.values), name="audit_state_known"
            ),
            models.CheckConstraint(
                condition=models.Q(planned_start__lte=models.F("planned_end")),
                name="audit_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"AUD-{self.pk}"


class ChecklistItem(models.Model):
    """One question of the audit's checklist (copied from the shipped checklist when the audit
    is planned, so a later edition of the file leaves the audit as it was) and its answer."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(max_length=40)  # checklists.Question.code
    standard = models.CharField(max_length=16)
    clause = models.CharField(max_length=16)
    question = models.CharField(max_length=500)  # English, translated when shown
    answer = models.CharField(max_length=8, choices=Answer.choices, blank=True, default="")
    notes = models.TextField(blank=True, default="")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["audit", "id"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "code"], name="checklist_item_once"),
            models.CheckConstraint(
                condition=models.Q(answer__in=["", *Answer.values]), name="checklist_answer_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.answer or '-'})"


class Finding(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=FindingKind.choices)
    standard = models.CharField(max_length=16)
    clause = models.CharField(max_length=16)
    statement = models.TextField()
    evidence_note = models.TextField(blank=True, default="")  # records, interviews, documents
    complaints = models.ManyToManyField("complaints.Complaint", related_name="+", blank=True)
    corrective_action = models.ForeignKey(
        "improvement.CorrectiveAction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["audit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "number"], name="finding_number_once"),
            models.CheckConstraint(
                condition=models.Q(kind__in=FindingKind.values), name="finding_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"AUD-{self.audit_id}-F{self.number}"
