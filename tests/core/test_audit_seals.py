"""The tampering catalogue: what an insider with write access to the database (but not to the
audit key nor the seal log) can do to the trail with SQL, each found by ``plaint audit verify`` at
the exact event or seal. Plus: keyed seals in the database and in the log, key rotation, a missing
key, stale seals, several sealers."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import stat
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from plaint.core.audit import (
    AuditKeyProblem,
    audit_seal,
    audit_verify,
    hash_of,
    rotate_key,
)
from plaint.core.digest import sha256_hex
from plaint.core.models import AuditDigest, AuditEvent
from tests.factories import advance, make_complaint


def sql(statement: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def chain(complaint) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(case_type="complaint", case_id=complaint.pk))


def log_lines(settings) -> list[dict]:
    return [json.loads(line) for line in settings.AUDIT_SEAL_LOG.read_text().splitlines()]


@dataclass
class Trail:
    """Three cases; ``worked`` was sealed after each step (as the worker does every five minutes
    while a case is worked), ``waiting`` moved once more and ``quiet`` never after intake."""

    worked: object
    waiting: object
    quiet: object
    seals: list[AuditDigest]


@pytest.fixture
def trail(handler) -> Trail:
    worked, _ = make_complaint()
    waiting, _ = make_complaint(name="Olena Kovalenko", email="olena@example.org")
    quiet, _ = make_complaint(name="Jaan Tamm", email="jaan@example.org")
    seals = [audit_seal()]
    for state in ("assessed", "investigating"):
        advance(worked, state, by=handler)
        seals.append(audit_seal())
    advance(waiting, "assessed", by=handler)
    seals.append(audit_seal())
    assert all(seals) and [s.number for s in seals] == [1, 2, 3, 4]
    report = audit_verify()
    assert report.ok, (report.breaks, report.seal_problems)
    return Trail(worked, waiting, quiet, seals)


def test_the_untampered_trail_verifies_clean_from_the_command(trail):
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "checked 3 chains" in out.getvalue() and "against 4 seals" in out.getvalue()
    assert "audit trail intact" in out.getvalue()


def test_each_seal_is_signed_and_also_written_to_the_log(trail, settings):
    lines = log_lines(settings)
    assert [line["n"] for line in lines] == [1, 2, 3, 4]
    assert [line["mac"] for line in lines] == [s.mac for s in trail.seals]
    assert lines[1]["prev"] == lines[0]["mac"]  # each seal links to the one before
    assert set(lines[0]["heads"]) == {
        f"complaint:{c.pk}" for c in (trail.worked, trail.waiting, trail.quiet)
    }
    assert set(lines[3]["heads"]) == {f"complaint:{trail.waiting.pk}"}  # only what moved
    assert stat.S_IMODE(os.stat(settings.AUDIT_KEY_FILE).st_mode) == 0o600
    key_id, secret = settings.AUDIT_KEY_FILE.read_text().splitlines()[-1].split()
    assert lines[0]["key"] == key_id
    assert secret not in json.dumps(lines) and secret not in str(list(AuditDigest.objects.values()))


# --- the catalogue: each kind of tampering, done with raw SQL, found where it was done ---------


def relabel_one_event(trail):
    victim = chain(trail.worked)[2]
    sql("UPDATE core_auditevent SET actor_label = 'maria' WHERE id = %s", [victim.pk])
    return [(victim.pk, victim.seq, "content does not match its hash")], []


def relabel_every_event(trail):
    sql("UPDATE core_auditevent SET actor_label = 'manager'")
    firsts = [chain(c)[0] for c in (trail.worked, trail.waiting, trail.quiet)]
    return [(e.pk, 1, "content does not match its hash") for e in firsts], []


def delete_every_seal(trail):
    sql("DELETE FROM core_auditdigest")
    return [], [(n, "missing from the database") for n in (1, 2, 3, 4)]


def delete_a_middle_seal(trail):
    sql("DELETE FROM core_auditdigest WHERE number = 2")
    return [], [(2, "missing from the database")]


def delete_the_latest_seal_and_the_events_after_the_one_before(trail):
    before = trail.seals[2]
    removed = AuditEvent.objects.filter(id__gt=before.upto).order_by("seq")
    sealed_head = chain(trail.waiting)[-1]
    assert {e.case_id for e in removed} == {trail.waiting.pk}
    sql("DELETE FROM core_auditevent WHERE id > %s", [before.upto])
    sql("DELETE FROM core_auditdigest WHERE number = 4")
    return [(None, sealed_head.seq, "sealed by seal #4 but missing")], [
        (4, "missing from the database"),
        (4, "events were deleted"),
    ]


def delete_a_chains_head_event(trail):
    head = chain(trail.quiet)[-1]
    sql("DELETE FROM core_auditevent WHERE id = %s", [head.pk])
    return [(None, head.seq, "sealed by seal #1 but missing")], [(4, "events were deleted")]


def delete_a_whole_chain(trail):
    head = chain(trail.quiet)[-1]
    sql("DELETE FROM core_auditevent WHERE case_id = %s", [trail.quiet.pk])
    return [(None, head.seq, "the whole chain is missing: seal #1")], [(4, "events were deleted")]


def rewrite_a_chain_and_its_seal(trail):
    """Change who did step #3, recompute every hash from there with the code's own event_hash,
    and rewrite the latest seal of that chain to match (its MAC cannot be made without the key)."""
    events = chain(trail.worked)
    altered = events[2]
    prev = events[1].hash
    for event in events[2:]:
        event.prev_hash = prev
        if event.pk == altered.pk:
            event.actor_label = "maria"
        event.hash = prev = hash_of(event)
        sql(
            "UPDATE core_auditevent SET actor_label = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [event.actor_label, event.prev_hash, event.hash, event.pk],
        )
    seal = AuditDigest.objects.get(number=3)
    heads = {**seal.heads, f"complaint:{trail.worked.pk}": [events[-1].seq, events[-1].hash]}
    sql(
        "UPDATE core_auditdigest SET heads = %s, digest = %s, mac = %s WHERE number = 3",
        [json.dumps(heads), sha256_hex(json.dumps(heads)), sha256_hex("guess")],
    )
    return [(altered.pk, altered.seq, "hash differs from seal #2")], [
        (3, "signature does not match"),
    ]


def move_the_sealers_note_ahead(trail):
    """So that the next events of a chain would never be sealed, and could be rewritten later."""
    sql("UPDATE core_auditsealedhead SET seq = seq + 5 WHERE case_id = %s", [trail.quiet.pk])
    return [], [(None, f"sealer's note for complaint:{trail.quiet.pk}")]


CATALOGUE = [
    relabel_one_event,
    relabel_every_event,
    delete_every_seal,
    delete_a_middle_seal,
    delete_the_latest_seal_and_the_events_after_the_one_before,
    delete_a_chains_head_event,
    delete_a_whole_chain,
    rewrite_a_chain_and_its_seal,
    move_the_sealers_note_ahead,
]


@pytest.mark.parametrize("tamper", CATALOGUE, ids=lambda f: f.__name__)
def test_tampering_is_found_at_the_exact_event_or_seal(trail, tamper):
    expected_breaks, expected_seal_problems = tamper(trail)
    report = audit_verify()
    assert not report.ok
    found = {(b.event_id, b.seq) for b in report.breaks}
    for event_id, seq, reason in expected_breaks:
        assert (event_id, seq) in found, report.breaks
        assert any(reason in b.reason for b in report.breaks if b.seq == seq), report.breaks
    assert len(report.breaks) == len(expected_breaks), report.breaks
    for number, reason in expected_seal_problems:
        assert any(p.seal == number and reason in p.reason for p in report.seal_problems), (
            report.seal_problems
        )
    assert len(report.seal_problems) == len(expected_seal_problems), report.seal_problems


def test_the_command_names_the_problem_and_exits_non_zero(trail):
    delete_the_latest_seal_and_the_events_after_the_one_before(trail)
    out = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("audit", "verify", stdout=out)
    assert excinfo.value.returncode == 1
    text = out.getvalue()
    assert f"BROKEN: complaint {trail.waiting.pk} event #" in text and "(missing)" in text
    assert "BROKEN SEAL: seal #4: made at " in text and "missing from the database" in text


# --- stale and missing seals ---------------------------------------------------------------------


def test_a_stale_seal_is_reported_when_events_wait_past_the_interval_and_margin(trail, handler):
    advance(trail.quiet, "assessed", by=handler)  # not sealed yet
    assert audit_verify().ok  # within the interval: nothing wrong
    later = timezone.now() + dt.timedelta(minutes=16)
    (problem,) = audit_verify(now=later).seal_problems
    assert (
        problem.seal == 4
        and "stale" in problem.reason
        and "were written after it" in problem.reason
    )
    audit_seal()
    assert audit_verify(now=later).ok


def test_events_never_sealed_are_reported(db):
    make_complaint()
    (problem,) = audit_verify().seal_problems
    assert "never sealed" in problem.reason


def test_a_lost_seal_log_is_reported_and_the_database_seals_still_hold(trail, settings):
    settings.AUDIT_SEAL_LOG.unlink()
    delete_a_whole_chain(trail)
    report = audit_verify()
    assert any("seal log" in p.reason and "is missing" in p.reason for p in report.seal_problems)
    assert any("whole chain is missing" in b.reason for b in report.breaks)


def test_a_forged_log_line_is_refused(trail, settings):
    forged = {**log_lines(settings)[-1], "n": 5, "heads": {}}
    with settings.AUDIT_SEAL_LOG.open("a") as log:
        log.write(json.dumps(forged) + "\n")
    problems = [str(p) for p in audit_verify().seal_problems]
    assert any("seal #5" in p and "signature does not match" in p for p in problems), problems


def test_a_seal_made_after_the_latest_was_deleted_is_flagged_as_a_reseal(trail):
    sql("DELETE FROM core_auditdigest WHERE number = 4")
    make_complaint(name="Kadri Kask", email="kadri@example.org")
    assert audit_seal().number == 4  # numbered after what the database still has
    problems = [str(p) for p in audit_verify().seal_problems]
    assert any("seal #4" in p and "written 2 times" in p for p in problems), problems


# --- keys ----------------------------------------------------------------------------------------


def test_after_key_rotation_old_seals_still_verify(trail, settings, handler):
    old_key = trail.seals[-1].key_id
    new_key = rotate_key()
    assert new_key.key_id != old_key
    advance(trail.quiet, "assessed", by=handler)
    assert audit_seal().key_id == new_key.key_id
    report = audit_verify()
    assert report.ok and report.seals == 5
    assert {line["key"] for line in log_lines(settings)} == {old_key, new_key.key_id}


def test_rotate_key_command_appends_a_key_and_keeps_the_old_ones(trail, settings):
    before = settings.AUDIT_KEY_FILE.read_text().splitlines()
    out = io.StringIO()
    call_command("audit", "rotate-key", stdout=out)
    after = settings.AUDIT_KEY_FILE.read_text().splitlines()
    assert after[: len(before)] == before and len(after) == len(before) + 1
    assert f"new signing key {after[-1].split()[0]} appended" in out.getvalue()
    settings.AUDIT_KEY = "env-2026:" + "s" * 40
    with pytest.raises(CommandError) as excinfo:
        call_command("audit", "rotate-key", stdout=io.StringIO())
    assert "PLAINT_AUDIT_KEY_FALLBACKS" in str(excinfo.value)


def test_keys_from_the_environment_with_fallbacks(trail, settings, handler):
    old_line = settings.AUDIT_KEY_FILE.read_text().splitlines()[-1]
    settings.AUDIT_KEY_FILE.unlink()
    settings.AUDIT_KEY = "env-2026:" + "s" * 40
    settings.AUDIT_KEY_FALLBACKS = [old_line.replace(" ", ":", 1)]
    advance(trail.quiet, "assessed", by=handler)
    assert audit_seal().key_id == "env-2026"
    assert audit_verify().ok
    settings.AUDIT_KEY_FALLBACKS = []
    problems = [str(p) for p in audit_verify().seal_problems]
    assert any("which is not configured" in p for p in problems), problems


def test_a_missing_key_is_a_clear_message_not_a_traceback(trail, settings, handler):
    settings.AUDIT_KEY_FILE.unlink()
    with pytest.raises(CommandError) as excinfo:
        call_command("audit", "verify", stdout=io.StringIO())
    assert excinfo.value.returncode == 2
    assert "no audit key" in str(excinfo.value) and str(settings.AUDIT_KEY_FILE) in str(
        excinfo.value
    )
    # and the sealer does not quietly start a new key: the operator must restore the old one
    advance(trail.quiet, "assessed", by=handler)
    with pytest.raises(AuditKeyProblem):
        audit_seal()
    assert not settings.AUDIT_KEY_FILE.exists()


def test_a_malformed_key_is_named(db, settings):
    settings.AUDIT_KEY = "short"
    with pytest.raises(CommandError) as excinfo:
        call_command("audit", "verify", stdout=io.StringIO())
    assert "PLAINT_AUDIT_KEY" in str(excinfo.value) and "ID:SECRET" in str(excinfo.value)
