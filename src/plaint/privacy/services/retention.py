"""The retention rules (``RetentionPolicy``): closed complaints anonymised some months after
closure (anonymised, not deleted, so every statistic stays), and old mails, webhook deliveries,
access-log entries, finished jobs and raw survey imports deleted. Applied once a day by the
worker (``retention_housekeeping``) and by ``plaint privacy retention [--dry-run]``."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult

from plaint.complaints.models import CaseRead, Complaint, ComplaintImport
from plaint.core.actors import Actor
from plaint.core.duties import duty_renew, register_duty
from plaint.core.errors import NotAllowed, ValidationFailed
from plaint.core.models import OutboundEmail
from plaint.privacy.access import can_handle_subject_requests
from plaint.privacy.models import Erasure, LegalHold, RetentionPolicy
from plaint.privacy.selectors import Subject
from plaint.privacy.services.anonymise import (
    IMPORTS_FOLDER,
    PLACEHOLDER,
    Changes,
    StandIns,
    anonymise,
    delete_files,
)
from plaint.privacy.services.erasure import erasure_record
from plaint.surveys.models import CallbackTask, Invitation, Response
from plaint.webhooks.models import WebhookDelivery

log = logging.getLogger(__name__)

BATCH = 500  # complaints anonymised per run at most: a backlog is worked off day by day
RULE_FIELDS = (
    "closed_complaint_months",
    "outbox_days",
    "webhook_delivery_days",
    "case_read_months",
    "task_result_days",
    "survey_import_hours",
)
RULE_MAX = 1200  # months, days or hours: a hundred years of months at most


@dataclass
class RetentionReport:
    """Rows each rule changed (or would change), and the cases a legal hold kept."""

    counts: Counter[str] = field(default_factory=Counter)
    held: list[str] = field(default_factory=list)


def retention_policy_get() -> RetentionPolicy:
    policy = RetentionPolicy.objects.filter(pk=1).first()
    return policy or RetentionPolicy(pk=1)


@transaction.atomic
def retention_policy_update(*, actor: Actor, values: dict[str, Any]) -> RetentionPolicy:
    if actor.kind != "staff" or not can_handle_subject_requests(actor.user):
        raise NotAllowed(_("Your role may not handle requests about personal data."))
    errors: dict[str, list[str]] = {}
    clean: dict[str, int] = {}
    for name in RULE_FIELDS:
        if name not in values:
            continue
        try:
            number = int(values[name])
        except (TypeError, ValueError):
            errors[name] = [_("Enter a whole number.")]
            continue
        if not 0 <= number <= RULE_MAX:
            errors[name] = [_("Between 0 and %(max)s.") % {"max": RULE_MAX}]
        clean[name] = number
    if errors:
        raise ValidationFailed(_("Check the retention rules."), fields=errors)
    policy = retention_policy_get()
    for name, number in clean.items():
        setattr(policy, name, number)
    policy.save()
    return policy


def _months_ago(now: dt.datetime, months: int) -> dt.datetime:
    return now - dt.timedelta(days=round(months * 30.44))


def _held_case_ids() -> tuple[set[int], set[int]]:
    holds = LegalHold.objects.filter(released_at__isnull=True)
    cases = {h for h in holds.values_list("complaint_id", flat=True) if h}
    people = {h for h in holds.values_list("complainant_id", flat=True) if h}
    return cases, people


def retention_apply(*, dry_run: bool, now: dt.datetime | None = None) -> RetentionReport:
    """Apply every rule (or, with ``dry_run``, count what each would change)."""
    now = now or timezone.now()
    policy = retention_policy_get()
    report = RetentionReport()
    held_cases, held_people = _held_case_ids()
    if policy.closed_complaint_months:
        _complaints(policy, now, dry_run, report, held_cases, held_people)
    keep = Q(complaint_id__in=held_cases) | Q(complaint__complainant_id__in=held_people)
    rules = [
        (
            "mails",
            policy.outbox_days,
            OutboundEmail.objects.filter(status__in=["sent", "failed"]).exclude(keep),
            "created_at",
            dt.timedelta(days=1),
        ),
        (
            "webhook deliveries",
            policy.webhook_delivery_days,
            WebhookDelivery.objects.filter(status__in=["delivered", "failed"]),
            "created_at",
            dt.timedelta(days=1),
        ),
        ("access-log entries", policy.case_read_months, CaseRead.objects.exclude(keep), "at", None),
        (
            "jobs",
            policy.task_result_days,
            DBTaskResult.objects.filter(status__in=["SUCCESSFUL", "FAILED"]),
            "finished_at",
            dt.timedelta(days=1),
        ),
        (  # a history import's record and report: a finished job too
            "history imports",
            policy.task_result_days,
            ComplaintImport.objects.filter(finished_at__isnull=False),
            "finished_at",
            dt.timedelta(days=1),
        ),
    ]
    for kind, amount, rows, column, unit in rules:
        if not amount:
            continue
        if not dry_run and not duty_renew():  # the duty overran its lease: another worker has it
            return report
        cutoff = now - amount * unit if unit else _months_ago(now, amount)
        due = rows.filter(**{f"{column}__lt": cutoff})
        count = due.count() if dry_run else due.delete()[1].get(due.model._meta.label, 0)
        if count:
            report.counts[kind] += count
    if policy.survey_import_hours:
        _import_files(now - dt.timedelta(hours=policy.survey_import_hours), dry_run, report)
    return report


def _complaints(
    policy: RetentionPolicy,
    now: dt.datetime,
    dry_run: bool,
    report: RetentionReport,
    held_cases: set[int],
    held_people: set[int],
) -> None:
    """Closed cases past their time whose complainant is not anonymised yet, one by one."""
    due = (
        Complaint.objects.filter(
            closed_at__lt=_months_ago(now, policy.closed_complaint_months), state="closed"
        )
        .exclude(complainant__name=PLACEHOLDER)
        .order_by("closed_at", "pk")
        .values_list("pk", "reference", "complainant_id")
    )
    actor = Actor.system("retention")
    cases: list[Complaint] = []
    files: list[str] = []
    stand_ins = StandIns(keyed=True)
    for pk, reference, complainant_id in due[:BATCH]:
        if pk in held_cases or complainant_id in held_people:
            report.held.append(reference or str(pk))
            continue
        if dry_run:
            report.counts["complaints"] += 1
            continue
        with transaction.atomic():
            case = Complaint.objects.select_for_update().select_related("complainant").get(pk=pk)
            subject = _case_subject(case)
            changes = anonymise(subject, dry=False, whole_person=False, stand_ins=stand_ins)
            cases.append(case)
            files += changes.files
            report.counts.update(changes.counts)
    if cases:
        with transaction.atomic():
            erasure_record(actor, Erasure.Kind.RETENTION, cases, Changes(Counter(report.counts)))
        delete_files(files)


def _case_subject(case: Complaint) -> Subject:
    """One case and its complainant row, as the person whose data goes (retention is per case:
    the same person's newer cases keep theirs)."""
    person = case.complainant
    subject = Subject(query="", complainant_ids=[person.pk], complaint_ids=[case.pk])
    subject.references = [case.reference or ""]
    subject.emails = {person.email.strip().lower()} - {""}
    subject.phones = {person.phone.strip()} - {""}
    subject.names = {person.name.strip()} - {""}
    subject.invitation_ids = list(
        Invitation.objects.filter(complaint_id=case.pk).values_list("pk", flat=True)
    )
    subject.response_ids = list(
        Response.objects.filter(
            Q(complaint_id=case.pk) | Q(invitation_id__in=subject.invitation_ids)
        ).values_list("pk", flat=True)
    )
    subject.callback_ids = list(
        CallbackTask.objects.filter(response_id__in=subject.response_ids).values_list(
            "pk", flat=True
        )
    )
    return subject


def _import_files(cutoff: dt.datetime, dry_run: bool, report: RetentionReport) -> None:
    try:
        _dirs, names = default_storage.listdir(IMPORTS_FOLDER)
    except FileNotFoundError:
        return
    for name in names:
        path = f"{IMPORTS_FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) >= cutoff:
                continue
            if not dry_run:
                default_storage.delete(path)
        except FileNotFoundError:
            continue
        report.counts["survey import files"] += 1


def retention_housekeeping() -> None:
    """The worker's periodic duty: apply the rules once a day (the first pass after a day since
    the last run; a second worker that finds the row locked or fresh does nothing)."""
    now = timezone.now()
    with transaction.atomic():
        policy = RetentionPolicy.objects.select_for_update().filter(pk=1).first()
        if policy is None:
            policy = RetentionPolicy(pk=1)
        if policy.last_run_at and policy.last_run_at > now - dt.timedelta(days=1):
            return
        policy.last_run_at = now
        policy.save()
    report = retention_apply(dry_run=False, now=now)
    if report.counts:
        log.info("retention: %s", dict(report.counts))


def register_duties() -> None:
    """The workers' duty of this module (``PrivacyConfig.ready``): the retention rules."""
    register_duty(
        "privacy.retention",
        retention_housekeeping,
        label=gettext_lazy("Retention rules (once a day)"),
        lease=dt.timedelta(minutes=30),
    )
