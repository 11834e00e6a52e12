"""Erasure by anonymisation: nothing of the person left anywhere, statistics and chains intact."""

from __future__ import annotations

import pytest

from plaint.complaints.models import Complaint, Message
from plaint.core.actors import Actor
from plaint.core.audit import audit_seal, audit_verify
from plaint.core.errors import Conflict, NotAllowed
from plaint.core.models import Attachment, AuditEvent, OutboundEmail
from plaint.privacy.models import Erasure
from plaint.privacy.selectors import subject_lookup
from plaint.privacy.services import erasure_plan, subject_erase
from tests.factories import make_complaint
from tests.privacy.conftest import EMAIL, NAME, OTHER_NAME, PHONE, statistics
from tests.privacy.scan import database_hits, file_hits

# "Kadri_Kask": a stored file name (LIKE's "_" matches the space too)
NEEDLES = [EMAIL, NAME, PHONE, "51234567", "Kadri_Kask"]


def test_erasure_leaves_nothing_of_the_person_and_changes_no_statistic(
    person, admin_user, manager, media
):
    assert database_hits(NEEDLES) and file_hits(media, NEEDLES)  # the scan finds her first
    before = statistics(manager)
    audit_seal()
    actor = Actor.staff(admin_user)
    subject = subject_lookup(query=EMAIL)

    plan = erasure_plan(actor=actor, subject=subject)
    assert plan.counts["complaints"] == 2 and plan.counts["attachments"] == 2
    assert plan.counts["survey answers"] == 1 and not plan.blocked
    assert database_hits(NEEDLES)  # a dry run writes nothing

    erasure = subject_erase(actor=actor, subject=subject_lookup(query=EMAIL))

    assert database_hits(NEEDLES) == {}
    assert file_hits(media, NEEDLES) == []
    assert statistics(manager) == before
    report = audit_verify()
    assert report.ok, report.breaks
    assert erasure.counts == plan.counts
    # Evidence without the erased data: an event on each case's chain and the erasure's own.
    for case in person:
        last = AuditEvent.objects.filter(case_type="complaint", case_id=case.pk).last()
        assert last.action == "personal_data_erased" and last.data["erasure"] == erasure.pk
    assert AuditEvent.objects.filter(case_type="erasure", case_id=erasure.pk).count() == 1
    # Mari is untouched.
    assert database_hits([OTHER_NAME])


def test_attachments_keep_their_metadata_under_a_placeholder(person, admin_user):
    subject_erase(actor=Actor.staff(admin_user), subject=subject_lookup(query=PHONE))
    for attachment in Attachment.objects.filter(complaint__in=person):
        assert not attachment.file and attachment.original_name == "erased.txt"
        assert attachment.size > 0 and attachment.content_type == "text/plain"
    assert set(
        Message.objects.filter(complaint__in=person).values_list("direction", flat=True)
    ) == {
        "in",
        "out",
        "note",
    }


def test_found_by_name_or_reference_too(person):
    by_name = subject_lookup(query=NAME.upper())
    by_reference = subject_lookup(query=person[1].reference)
    by_phone = subject_lookup(query="5123-4567")
    assert by_name.complaint_ids == by_reference.complaint_ids == by_phone.complaint_ids
    assert len(by_name.complaint_ids) == 2 and by_name.emails == {EMAIL}


def test_an_open_case_stops_the_erasure(person, admin_user, handler):
    make_complaint(name=NAME, email=EMAIL)
    subject = subject_lookup(query=EMAIL)
    plan = erasure_plan(actor=Actor.staff(admin_user), subject=subject)
    assert plan.blocked and len(plan.open_references) == 1
    with pytest.raises(Conflict) as refused:
        subject_erase(actor=Actor.staff(admin_user), subject=subject)
    assert "still open" in refused.value.message
    assert Complaint.objects.filter(complainant__name=NAME).count() == 3


def test_pending_mails_to_the_person_are_cancelled(person, admin_user):
    assert OutboundEmail.objects.filter(to=EMAIL, status="pending").exists()
    subject_erase(actor=Actor.staff(admin_user), subject=subject_lookup(query=EMAIL))
    assert not OutboundEmail.objects.filter(status="pending", subject="[erased]").exists()


def test_only_admins_and_permitted_managers_erase(person, manager, handler, auditor):
    subject = subject_lookup(query=EMAIL)
    for user in (manager, handler, auditor):
        with pytest.raises(NotAllowed):
            subject_erase(actor=Actor.staff(user), subject=subject)
    assert not Erasure.objects.exists()


def test_erasing_twice_finds_nobody_the_second_time(person, admin_user):
    subject_erase(actor=Actor.staff(admin_user), subject=subject_lookup(query=EMAIL))
    assert not subject_lookup(query=EMAIL).found
    cases = Complaint.objects.filter(pk__in=[c.pk for c in person])
    assert set(cases.values_list("state", "closure_reason")) == {("closed", "accepted")}


def test_no_mail_goes_to_an_erased_persons_stand_in(person, admin_user):
    from plaint.complaints.models import Complainant
    from plaint.core.services import email_enqueue_deferred

    subject_erase(actor=Actor.staff(admin_user), subject=subject_lookup(query=EMAIL))
    stand_in = Complainant.objects.get(complaints=person[0]).email
    assert stand_in.endswith("@erased.invalid")
    mail = email_enqueue_deferred(
        to=stand_in,
        kind="message",
        language="en",
        context_builder="case_mail",
        data={"body": "x"},
        complaint=person[0],
    )
    assert mail.status == "failed" and mail.last_error == "the address was erased"
