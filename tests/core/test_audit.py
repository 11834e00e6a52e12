"""The hash-chained audit trail: intact chains verify; any tampering is found and named."""

from __future__ import annotations

import itertools

from plaint.complaints import services as s
from plaint.core.actors import Actor
from plaint.core.audit import GENESIS, audit_check_digests, audit_seal, audit_verify
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
    assert report.ok and report.chains == 2 and report.events == len(events) + 2


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
    from plaint.core.audit import event_hash

    complaint, _ = make_complaint()
    advance(complaint, "investigating", by=handler)
    victim = chain(complaint)[1]
    forged = {"forged": True}
    AuditEvent.objects.filter(pk=victim.pk).update(
        data=forged,
        hash=event_hash(
            prev_hash=victim.prev_hash,
            case_type=victim.case_type,
            case_id=victim.case_id,
            seq=victim.seq,
            at_iso=victim.at.astimezone(__import__("datetime").UTC).isoformat(),
            actor_id=victim.actor_id,
            action=victim.action,
            data=forged,
        ),
    )
    (brk,) = audit_verify().breaks
    assert brk.seq == victim.seq + 1 and "previous-hash" in brk.reason


def test_digest_detects_a_chain_deleted_whole(db):
    complaint, _ = make_complaint()
    audit_seal()
    assert audit_check_digests() == []
    AuditEvent.objects.filter(case_id=complaint.pk).delete()
    assert audit_verify().ok  # nothing left to recompute...
    (problem,) = audit_check_digests()  # ...but the seal remembers the chain
    assert f"complaint:{complaint.pk}" in problem
