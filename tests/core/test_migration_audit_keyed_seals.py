"""Migration core 0008: events written before keep hash version 1 and verify as written; the
unkeyed digests stay as legacy rows; new events are version 2 and everything is sealed anew."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from plaint.core.audit import GENESIS, audit_append, audit_seal, audit_verify, event_hash
from plaint.core.models import AuditDigest, AuditEvent

BEFORE = [("core", "0007_configuration_token")]
AFTER = [("core", "0008_audit_keyed_seals")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _latest_schema_afterwards():
    """The test moves core back to 0007 and up to 0008 only: every app goes back to its newest
    migration afterwards, or the next tests in this process would meet an old schema."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _old_chain(apps, case_id: int) -> str:
    """Two events as the code before 0008 wrote them: the label outside the hash."""
    event_model = apps.get_model("core", "AuditEvent")
    at = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    prev = GENESIS
    for seq, (label, action) in enumerate([("complainant", "received"), ("hans", "assess")], 1):
        digest = event_hash(
            prev_hash=prev,
            case_type="complaint",
            case_id=case_id,
            seq=seq,
            at_iso=at.isoformat(),
            actor_id=None,
            actor_label="(not hashed in version 1)",
            action=action,
            data={"state": action},
            version=1,
        )
        event_model.objects.create(
            case_type="complaint",
            case_id=case_id,
            seq=seq,
            at=at,
            actor_id=None,
            actor_label=label,
            action=action,
            data={"state": action},
            prev_hash=prev,
            hash=digest,
        )
        prev = digest
    return prev


@pytest.mark.django_db(transaction=True)
def test_old_chains_verify_after_the_upgrade_and_new_events_cover_the_label():
    old = _migrate(BEFORE)
    head = _old_chain(old, 9001)
    old.get_model("core", "AuditDigest").objects.create(
        chains=1, digest="0" * 64, heads={"complaint:9001": head}
    )
    _migrate(AFTER)

    assert set(AuditEvent.objects.values_list("hash_version", flat=True)) == {1}
    legacy = AuditDigest.objects.get()
    assert legacy.number is None and legacy.mac == ""
    audit_append(
        case_type="complaint", case_id=9001, actor_id=None, actor_label="maria", action="close"
    )
    assert AuditEvent.objects.get(seq=3).hash_version == 2
    assert audit_seal().number == 1  # the legacy digest is not part of the keyed sequence
    report = audit_verify()
    assert report.ok and report.legacy_events == 2 and report.events == 3
