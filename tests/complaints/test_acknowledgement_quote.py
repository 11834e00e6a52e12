# ruff: noqa: RUF001 - Ukrainian and Persian headings on purpose
"""The acknowledgement quotes the complaint as received: its subject, text and the remedy sought,
in every language, as plain text (nothing escaped, the lines as the person wrote them)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail

from plaint.complaints.services import complaint_acknowledge
from plaint.core.actors import Actor
from plaint.core.selectors import organisation_get
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db

TEXT = 'The parcel arrived two weeks late & the box was "crushed".\n\nThe vase <inside> broke.'
REMEDY = "Refund the delivery fee\nand replace the vase."
# The headings above the quoted text and the remedy sought, as the complaint form words them.
HEADINGS = {
    "en": ("What happened?", "What would put it right?"),
    "et": ("Mis juhtus?", "Mis olukorra heastaks?"),
    "uk": ("Що сталося?", "Що могло б це виправити?"),
    "sv": ("Vad har hänt?", "Vad skulle rätta till det?"),
    "fa": ("چه اتفاقی افتاده است؟", "چه چیزی مشکل را برطرف می‌کند؟"),
}


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_the_acknowledgement_quotes_subject_text_and_remedy(language, run_jobs):
    make_complaint(
        language=language, subject="Late & crushed", description=TEXT, desired_outcome=REMEDY
    )
    assert run_jobs() == 1
    [email] = mail.outbox
    what, remedy = HEADINGS[language]
    assert "Late & crushed" in email.body
    assert f"{what}\n{TEXT}\n" in email.body
    assert f"{remedy}\n{REMEDY}\n" in email.body
    assert "&amp;" not in email.body and "&lt;" not in email.body
    # the quote comes after the tracking link, and the organisation still signs the mail
    assert email.body.index("/track/") < email.body.index(TEXT)
    assert email.body.rstrip().endswith(organisation_get().name)


def test_without_a_remedy_sought_the_mail_has_no_empty_heading(run_jobs):
    make_complaint(description="The parcel was late.", desired_outcome="")
    assert run_jobs() == 1
    [email] = mail.outbox
    assert "What happened?\nThe parcel was late.\n" in email.body
    assert "What would put it right?" not in email.body


def test_a_staff_acknowledgement_quotes_the_complaint_too(handler, run_jobs):
    complaint, _ = make_complaint(
        channel="phone",
        actor=Actor.staff(handler),
        subject="",
        description="Called about a late parcel; the box was crushed.",
        desired_outcome="A refund.",
    )
    complaint_acknowledge(complaint_id=complaint.pk, actor=Actor.staff(handler))
    assert run_jobs() == 1
    [email] = mail.outbox
    assert "Called about a late parcel; the box was crushed." in email.body
    assert "What would put it right?\nA refund.\n" in email.body
