"""The hash-chained audit trail: intact chains verify; any tampering is found and named."""

from __future__ import annotations

import itertools

from plaint.complaints import services as s
from plaint.core.actors import Actor
from plaint.core.audit import GENESIS, audit_seal, audit_verify, hash_of
from plaint.core.models import AuditEvent
from tests.factories import advance, make_complaint


def chain(complaint):
    return list(
        AuditEvent.objects.filter(case_type="complaint", case_id=complaint.pk).order_by("seq")
    )


def test_each_case_has_its_own_chain_linked_by_hashes(handler):
    first, _ = make_complaint()
    second, _ = make_complaint(name="Olena Kovalenko", email="olena@example.org")
    advance(first, "investigating", by=handler)
    events = chain(first)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    assert chain(second)[0].prev_hash == GENESIS
    report = audit_verify()
    assert report.breaks == [] and report.chains == 2 and report.events == len(events) + 2


def test_events_record_who_and_before_after(handler):
    complaint, _ = make_complaint()
    s.complaint_assess(complaint_id=complaint.pk, actor=Actor.staff(handler), severity="high")
    event = chain(complaint)[-1]
    assert event.actor_id == handler.pk and event.actor_label == "hans"
    assert event.data["before"]["state"] == "acknowledged"
    assert event.data["after"]["state"] == "assessed"
    assert event.data["after"]["severity"] == "high"


def test_personal_data_stays_out_of_the_hash_so_erasure_keeps_the_chain(db):
    complaint, _ = make_complaint(name="Sara Lindqvist")
    first = chain(complaint)[0]
    assert first.personal == {"name": "Sara Lindqvist"}
    assert "Sara" not in str(first.data)
    audit_seal()
    AuditEvent.objects.filter(pk=first.pk).update(personal={})
    assert audit_verify().ok


def test_altered_event_is_detected_and_named(handler):
    complaint, _ = make_complaint()
    advance(complaint, "investigating", by=handler)
    victim = chain(complaint)[2]
    AuditEvent.objects.filter(pk=victim.pk).update(data={"after": {"state": "closed"}})
    report = audit_verify()
    assert not report.ok
    (brk,) = report.breaks
    assert (brk.event_id, brk.seq) == (victim.pk, 3)
    assert "altered" in brk.reason


def test_deleted_event_is_detected(handler):
    complaint, _ = make_complaint()
    advance(complaint, "investigating", by=handler)
    AuditEvent.objects.filter(pk=chain(complaint)[1].pk).delete()
    (brk,) = audit_verify().breaks
    assert brk.seq == 3 and "gap" in brk.reason


def test_rehashed_forgery_breaks_the_link_to_the_next_event(handler):
    complaint, _ = make_complaint()
    advance(complaint, "investigating", by=handler)
    victim = chain(complaint)[1]
    victim.data = {"forged": True}
    AuditEvent.objects.filter(pk=victim.pk).update(data=victim.data, hash=hash_of(victim))
    (brk,) = audit_verify().breaks
    assert brk.seq == victim.seq + 1 and "previous-hash" in brk.reason


def test_the_actor_label_the_case_page_shows_is_inside_the_hash(handler):
    complaint, _ = make_complaint()
    advance(complaint, "investigating", by=handler)
    victim = chain(complaint)[-1]
    assert victim.hash_version == 2 and victim.actor_label == "hans"
    AuditEvent.objects.filter(pk=victim.pk).update(actor_label="maria")
    (brk,) = audit_verify().breaks
    assert (brk.event_id, brk.seq) == (victim.pk, victim.seq) and "altered" in brk.reason


def test_events_from_before_hash_version_2_still_verify_as_written(handler):
    """An event written before core 0008 (hash version 1, label outside the hash) verifies under
    its own rules and is counted as legacy; a chain cannot go back from version 2 to 1."""
    complaint, _ = make_complaint()
    first = chain(complaint)[0]
    first.hash_version = 1
    first.hash = hash_of(first)  # what the old code wrote
    AuditEvent.objects.filter(pk=first.pk).update(hash_version=1, hash=first.hash)
    later = chain(complaint)[1]
    later.prev_hash = first.hash
    AuditEvent.objects.filter(pk=later.pk).update(prev_hash=first.hash, hash=hash_of(later))
    report = audit_verify()
    assert report.breaks == [] and report.legacy_events == 1
    other, _ = make_complaint(name="Jaan Tamm")
    downgraded = chain(other)[1]
    downgraded.hash_version = 1
    AuditEvent.objects.filter(pk=downgraded.pk).update(hash_version=1, hash=hash_of(downgraded))
    (brk,) = audit_verify().breaks
    assert brk.seq == 2 and "hash version 1 after version 2" in brk.reason


def test_a_seal_remembers_a_chain_deleted_whole(db):
    complaint, _ = make_complaint()
    audit_seal()
    assert audit_verify().ok
    AuditEvent.objects.filter(case_id=complaint.pk).delete()
    (brk,) = audit_verify().breaks
    assert (brk.case_id, brk.event_id) == (complaint.pk, None)
    assert "whole chain is missing" in brk.reason


def test_the_payload_text_is_the_canonical_json_of_the_payload():
    from plaint.core.audit.chains import canonical, payload_text

    cases = [
        ("received", 7, "Mari Maasikas", {"state": "received", "b": [1, None], "a": True}),
        ('quote " and \\ back', None, "ربات «پلینت»", {"متن": "ی ک\u200c", "x": {"z": 1, "y": 2}}),
        ("close", 12, "", {}),
    ]
    for action, actor_id, label, data in cases:
        payload = {
            "prev": GENESIS, "case": ["complaint", 42, 3], "at": "2026-01-02T03:04:05+00:00",
            "actor": actor_id, "action": action, "data": data, "label": label, "v": 2,
        }  # fmt: skip
        text = payload_text(
            prev_hash=GENESIS, case_type="complaint", case_id=42, seq=3,
            at_iso="2026-01-02T03:04:05+00:00", actor_id=actor_id, actor_label=label,
            action=action, data_text=canonical(data), version=2,
        )  # fmt: skip
        assert text == canonical(payload)
