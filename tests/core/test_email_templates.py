"""Every complainant mail renders in every language with the reference, the tracking link and the
due dates, and plain-text mails are not HTML-escaped."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.template.loader import get_template

from plaint.complaints.services import RemedyInput, complaint_propose_response
from plaint.core.actors import Actor
from plaint.core.locales import money
from plaint.core.models import OutboundEmail
from plaint.core.services import _render_email
from tests.factories import advance, make_complaint

LANGUAGES = [code for code, _ in settings.LANGUAGES]
KINDS = ["acknowledgement", "decision", "out_of_scope", "message", "referred_external", "closed"]
# Month names as the date filter writes them in each language (genitive in Ukrainian).
MONTH = {"en": "March", "et": "märts", "uk": "березня", "sv": "mars", "fa": "مارس"}
# 16 March 2026, 15:00 UTC in the organisation's zone (Tallinn) and each language's short format.
SHORT_DUE = {
    "en": "16 Mar 2026, 17:00",
    "et": "16.03.2026 17:00",
    "uk": "16.03.2026 17:00",
    "sv": "2026-03-16 17:00",
    "fa": "2026/3/16",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_template_exists_for_every_language(language, kind):
    get_template(f"emails/{language}/{kind}.txt")


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_acknowledgement_has_reference_link_and_due_dates(language, run_jobs):
    import datetime as dt

    import time_machine

    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        complaint, token = make_complaint(language=language, name="Siobhán O'Neill")
        assert run_jobs() == 1  # the worker renders it
    stored = OutboundEmail.objects.get(complaint=complaint, kind="acknowledgement")
    assert stored.language == language and stored.status == "sent"
    [email] = mail.outbox
    assert complaint.reference in email.subject == stored.subject
    assert f"{settings.BASE_URL}/track/{token}/" in email.body
    assert "O'Neill" in email.body and "&#x27;" not in email.body
    # received Monday 2 March 2026 (Tallinn): acknowledgement due 4 March, response due 30 March
    assert "4" in email.body and "30" in email.body and MONTH[language] in email.body
    assert "17:00" in email.body
    assert email.body.count("2026") >= 2


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_kind_renders_with_its_content(language, handler):
    complaint, _ = make_complaint(language=language)
    advance(complaint, "investigating", by=handler)
    complaint_propose_response(
        complaint_id=complaint.pk,
        actor=Actor.staff(handler),
        decision="Refund <approved> & apology",
        remedies=[RemedyInput("refund", amount=Decimal("12.50"), currency="EUR")],
    )
    complaint.refresh_from_db()
    context = {
        "complaint": complaint,
        "organisation": type("Org", (), {"name": "Polaris & Co"})(),
        "decision": complaint.decision,
        "remedies": list(complaint.remedies.all()),
        "reason": "Bought from another shop",
        "body": "Please send the receipt",
        "note": "Provider: Consumer Disputes Committee",
    }
    for kind in KINDS:
        subject, body, used = _render_email(kind, language, context)
        assert used == language
        assert complaint.reference in subject, kind
        assert complaint.complainant.name in body, kind
        assert "Polaris & Co" in body, kind
        assert "{{" not in body and "{%" not in body, kind
        assert "\n" not in subject
    decision_body = _render_email("decision", language, context)[1]
    assert "Refund <approved> & apology" in decision_body
    # the amount as the mail's language writes money: "€12.50", "12,50 €", "12,50 EUR"
    assert money(Decimal("12.50"), "EUR", language) in decision_body
    assert "Bought from another shop" in _render_email("out_of_scope", language, context)[1]
    assert "Please send the receipt" in _render_email("message", language, context)[1]
    assert "Consumer Disputes Committee" in _render_email("referred_external", language, context)[1]


# Mails to staff (the promise sweep's alerts): a list of cases, no complainant in them.
PROMISE_KINDS = ["promise_at_risk", "promise_breached"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", PROMISE_KINDS)
def test_promise_alert_renders_in_every_language(language, kind):
    import datetime as dt

    get_template(f"emails/{language}/{kind}.txt")
    due = dt.datetime(2026, 3, 16, 15, 0, tzinfo=dt.UTC)
    context = {
        "organisation": type("Org", (), {"name": "Polaris & Co"})(),
        "count": 52,
        "items": [
            {"reference": f"C-2026-{n:06d}", "promise": "service/respond", "due_at": due}
            for n in range(1, 51)
        ],
        "more": 2,
        "base_url": settings.BASE_URL,
    }
    subject, body, used = _render_email(kind, language, context)
    assert used == language
    assert "52" in subject and "\n" not in subject
    assert "C-2026-000001" in body and "C-2026-000050" in body
    assert f"{settings.BASE_URL}/staff/complaints/C-2026-000001/" in body
    assert "Polaris & Co" in body and SHORT_DUE[language] in body
    assert "{{" not in body and "{%" not in body


@pytest.mark.django_db
def test_worker_delivers_a_persian_decision_mail(handler, run_jobs):
    complaint, _ = make_complaint(language="fa", name="مریم احمدی")
    advance(complaint, "decision_communicated", by=handler)
    run_jobs()
    decision = [m for m in mail.outbox if complaint.reference in m.subject and "تصمیم" in m.subject]
    assert len(decision) == 1
    assert "مریم احمدی" in decision[0].body
