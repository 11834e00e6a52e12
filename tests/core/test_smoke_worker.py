from django.core import mail

from tests.factories import make_complaint


def test_acknowledgement_is_delivered_by_the_worker(db, run_jobs):
    complaint, token = make_complaint()
    assert mail.outbox == []
    assert run_jobs() == 1
    assert len(mail.outbox) == 1
    assert complaint.reference in mail.outbox[0].subject
    assert token in mail.outbox[0].body
