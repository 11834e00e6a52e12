"""A person with data in every place Plaint keeps personal data, and another who must be left
alone; the statistics an erasure must not change."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from plaint.complaints.models import Complaint
from plaint.complaints.services import message_post
from plaint.complaints.services.exports import register_export_personal_record
from plaint.core.actors import Actor
from plaint.core.uploads import check_uploads
from plaint.insights.selectors.indicators import indicators
from plaint.mailin.services import mail_receive
from plaint.surveys import services as surveys
from plaint.surveys.models import Invitation
from plaint.webhooks.services import webhook_create
from tests.factories import CategoryFactory, advance, make_complaint
from tests.surveys.factories import make_survey

NAME = "Kadri Kask"
EMAIL = "kadri.kask@example.org"
PHONE = "+372 5123 4567"
OTHER_NAME = "Mari Maasikas"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _attachment(name: str, text: str):
    return check_uploads([SimpleUploadedFile(name, text.encode(), content_type="text/plain")])


@pytest.fixture
def person(media, manager, handler):
    """Kadri's two closed cases (the second a repeat), with messages both ways, a note, an
    attachment, mails, a webhook delivery, a survey answer in her words, a register export that
    searched for her address and a job row naming her; and Mari's open case."""
    webhook_create(
        actor=Actor.staff(manager),
        name="Helpdesk",
        url="https://hooks.example.org/plaint",
        events=["complaint.created", "complaint.closed"],
    )
    make_survey(manager)
    delivery, _ = CategoryFactory(code="delivery"), CategoryFactory(code="billing")
    # Someone else's complaint about the same locker: with hers, a recurring issue.
    make_complaint(
        name="Jaan Tamm", email="jaan@example.org", category="delivery", product="Parcel locker"
    )
    cases = []
    for n in range(2):
        complaint, _token = make_complaint(
            name=NAME,
            email=EMAIL,
            phone=PHONE,
            subject=f"Parcel {n} for {NAME}",
            description=f"I am {NAME}, write to {EMAIL} or call {PHONE}.",
            category="delivery",
            product="Parcel locker",
            attachments=_attachment(f"{NAME} receipt.txt", f"Receipt for {NAME}\n"),
        )
        staff = Actor.staff(handler)
        message_post(complaint_id=complaint.pk, actor=Actor.complainant(), body=f"{NAME} here.")
        message_post(complaint_id=complaint.pk, actor=staff, body=f"Dear {NAME}, thank you.")
        message_post(complaint_id=complaint.pk, actor=staff, body=f"Called {PHONE}.", internal=True)
        mail_receive(  # and she answered by e-mail: the raw message is kept on disk
            raw=(
                f"From: {NAME} <{EMAIL}>\r\nTo: complaints@example.com\r\n"
                f"Subject: Re: {complaint.reference}\r\nMessage-ID: <kadri-{n}@example.org>\r\n"
                f"Content-Type: text/plain; charset=utf-8\r\n\r\nCall me on {PHONE}. {NAME}\r\n"
            ).encode(),
            source="test",
        )
        cases.append(advance(complaint, "closed", by=handler))
    invitation = surveys.invitation_send(
        invitation_id=Invitation.objects.get(complaint=cases[0]).pk
    )
    token = surveys.invitation_token(invitation.token_salt)
    surveys.response_save(
        token=token,
        answers={"overall": "2", "comment": f"Call me, {NAME}, on {PHONE}."},
        submit=True,
    )
    register_export_personal_record(
        actor=Actor.staff(manager), query=f"state=closed&q={EMAIL}", file_format="csv"
    )
    from plaint.promises.tasks import recompute_promise_checks

    # A job whose row names her (no job of Plaint's takes a person's details today; the erasure
    # must still find one that does).
    recompute_promise_checks.enqueue(f"check {EMAIL}", None, 0)
    other, _token = make_complaint(name=OTHER_NAME, email="mari@example.org", category="billing")
    assert delivery and other
    # A recurring issue labelled with one of her subjects (her cases share product and category).
    from plaint.improvement.models import RecurringCluster
    from plaint.improvement.services import clusters_detect

    clusters_detect()
    assert RecurringCluster.objects.filter(label__contains=NAME).exists()
    return cases


def statistics(actor) -> dict:
    """What reports show: indicators of this month, counts per category, state and outcome,
    survey answer values and the survey aggregates the dashboard reads."""
    from plaint.insights.models import AnswerCount
    from plaint.surveys.models import Answer

    month = timezone.now().date()
    figures = indicators(actor=actor, start=month, end=month, use_rollup=False)
    rows = Complaint.objects.values_list(
        "category__code", "state", "closure_reason", "channel", "received_at", "closed_at"
    )
    return {
        "indicators": figures["months"],
        "summary": figures["summary"],
        "complaints": Counter(rows),
        "answers": Counter(Answer.objects.values_list("question__code", "value")),
        "answer_count": Answer.objects.count(),
        "survey_aggregates": Counter(
            AnswerCount.objects.values_list(
                "question__code", "dimension", "segment", "value", "count"
            )
        ),
    }
