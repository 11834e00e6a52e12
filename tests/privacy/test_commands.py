"""``plaint privacy``: find, export, erase (dry run, then --confirm), holds, retention."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from django.core.management import CommandError, call_command

from plaint.core.audit import audit_verify
from plaint.privacy.selectors import subject_lookup
from tests.privacy.conftest import EMAIL


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("privacy", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_export_then_erase_in_two_steps(person, tmp_path):
    assert "cases: " + ", ".join(c.reference for c in person) in run("find", EMAIL)
    target = tmp_path / "kadri.zip"
    run("export", EMAIL, "--out", str(target))
    assert "subject.json" in zipfile.ZipFile(target).namelist()

    dry = run("erase", EMAIL)
    assert "complaints: 2" in dry and "dry run: nothing changed" in dry
    assert subject_lookup(query=EMAIL).found
    assert "erased (erasure" in run("erase", EMAIL, "--confirm")
    assert not subject_lookup(query=EMAIL).found
    assert not audit_verify().breaks


def test_a_hold_stops_the_erasure_with_its_reason(person, admin_user):
    assert "placed" in run("hold", person[0].reference, "--reason", "Court order", "--user", "ada")
    with pytest.raises(CommandError, match="Court order") as refused:
        run("erase", EMAIL, "--confirm")
    assert refused.value.returncode == 2


def test_retention_dry_run_shows_counts(person):
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=1200)):
        out = run("retention", "--dry-run")
    assert "complaints: 2 would change" in out
    assert "nothing due" in run("retention", "--dry-run")


def test_nobody_found_is_refused(db):
    with pytest.raises(CommandError, match="Nobody"):
        run("find", "nobody@example.org")


def test_an_operator_grants_a_manager_the_permission(person, manager):
    from plaint.core.models import AuditEvent
    from plaint.privacy.access import can_handle_subject_requests

    assert "maria: permission granted" in run("grant", "--user", "maria")
    assert can_handle_subject_requests(type(manager).objects.get(pk=manager.pk))
    run("revoke", "--user", "maria")
    assert not can_handle_subject_requests(type(manager).objects.get(pk=manager.pk))
    actions = AuditEvent.objects.filter(case_type="privacy_permission").values_list("action")
    assert [a for (a,) in actions] == ["permission_granted", "permission_revoked"]
