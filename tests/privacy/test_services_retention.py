"""Retention: daily, with a dry run; closed cases anonymised (not deleted), old rows deleted."""

from __future__ import annotations

import datetime as dt

import time_machine

from plaint.complaints.models import CaseRead, Complaint
from plaint.complaints.services import case_read_record
from plaint.core.actors import Actor
from plaint.core.audit import audit_seal, audit_verify
from plaint.core.models import OutboundEmail
from plaint.privacy.models import Erasure, RetentionPolicy
from plaint.privacy.services import retention_apply, retention_policy_update
from plaint.privacy.services.retention import retention_housekeeping
from tests.privacy.conftest import NAME, statistics
from tests.privacy.scan import database_hits

LATER = dt.timedelta(days=3 * 366)  # past the default 36 months after closure


def test_dry_run_counts_and_changes_nothing(person, manager):
    with time_machine.travel(dt.datetime.now(dt.UTC) + LATER):
        report = retention_apply(dry_run=True)
    assert report.counts["complaints"] == 2
    assert report.counts["mails"] == OutboundEmail.objects.exclude(status="pending").count()
    assert database_hits([NAME])


def test_closed_cases_are_anonymised_and_statistics_stay(person, manager, handler):
    before = statistics(manager)
    audit_seal()
    case_read_record(user=handler, complaint=person[0], via="page")
    with time_machine.travel(dt.datetime.now(dt.UTC) + LATER):
        report = retention_apply(dry_run=False)
    assert report.counts["complaints"] == 2 and report.counts["access-log entries"] == 1
    assert statistics(manager) == before
    assert Complaint.objects.filter(complainant__name=NAME).count() == 0
    assert database_hits([NAME]) == {}
    report = audit_verify()
    assert report.ok, (report.breaks, report.seal_problems)
    assert Erasure.objects.get().kind == "retention"
    assert not CaseRead.objects.exists()
    # Run again: nothing left to do.
    with time_machine.travel(dt.datetime.now(dt.UTC) + LATER):
        assert retention_apply(dry_run=False).counts["complaints"] == 0


def test_nothing_is_due_before_its_time(person):
    report = retention_apply(dry_run=True)
    assert not report.counts


def test_a_rule_set_to_zero_is_off(person, admin_user):
    retention_policy_update(actor=Actor.staff(admin_user), values={"closed_complaint_months": 0})
    with time_machine.travel(dt.datetime.now(dt.UTC) + LATER):
        assert retention_apply(dry_run=True).counts["complaints"] == 0


def test_the_worker_applies_the_rules_once_a_day(person):
    start = dt.datetime.now(dt.UTC) + LATER
    with time_machine.travel(start):
        retention_housekeeping()
    assert Complaint.objects.filter(complainant__name=NAME).count() == 0
    first = RetentionPolicy.objects.get().last_run_at
    with time_machine.travel(start + dt.timedelta(hours=5)):
        retention_housekeeping()
    assert RetentionPolicy.objects.get().last_run_at == first
