"""What the promises add to the complaint's own flow: the acknowledgement mail states the promised
deadlines, the complainant's answer on the tracking page resumes a waiting case, and every
notification kind has its mail template in every language."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.template.loader import get_template
from django.test import Client

from plaint.complaints import services as cs
from plaint.complaints.models import Complaint
from plaint.core.actors import Actor
from plaint.core.models import OutboundEmail
from plaint.promises.models import PromiseCheck
from tests.factories import make_complaint
from tests.promises.factories import make_code

T0 = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
@pytest.mark.parametrize("kind", ["promise_at_risk", "promise_breached"])
def test_notification_templates_exist_in_every_language(kind, language):
    get_template(f"emails/{language}/{kind}.txt")


@pytest.mark.parametrize(("language", "text"), [("en", "We decide within 10"), ("et", "Otsustame")])
def test_acknowledgement_mail_states_the_promised_deadlines(manager, run_jobs, language, text):
    from django.core import mail as sent

    with time_machine.travel(T0, tick=False):
        make_code(manager)
        complaint, _ = make_complaint(language=language)
        run_jobs()  # the worker renders and sends the acknowledgement
    assert OutboundEmail.objects.get(complaint=complaint, kind="acknowledgement").status == "sent"
    body = sent.outbox[-1].body
    assert text in body
    # the response promise is due Monday 16 March 2026, 17:00 in Tallinn
    assert "16" in body and "17:00" in body


def test_the_complainants_answer_on_the_tracking_page_resumes_the_case(manager, handler):
    with time_machine.travel(T0, tick=False):
        make_code(manager)
        complaint, token = make_complaint()
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        cs.complaint_request_information(
            complaint_id=complaint.pk, actor=Actor.staff(handler), reason="Order number?"
        )
    client = Client()
    page = client.get(f"/track/{token}/").content.decode()
    assert "Waiting for your answer" in page and "Order number?" in page
    with time_machine.travel(T0 + dt.timedelta(days=3), tick=False):
        response = client.post(f"/track/{token}/message/", {"body": "It is 4711."})
    assert response.status_code == 302
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.state == "acknowledged"
    respond = PromiseCheck.objects.get(complaint=complaint, promise__key="respond")
    # Tuesday and Wednesday (16 opening hours) paused: due Wednesday 18 March 17:00
    assert respond.due_at == dt.datetime(2026, 3, 18, 15, 0, tzinfo=dt.UTC)
