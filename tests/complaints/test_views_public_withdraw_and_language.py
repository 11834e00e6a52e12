"""The tracking page (issue 16, items 3 and 4): withdrawing asks for a confirmation that says what
it means; the page speaks the complainant's language unless the visitor chose another; states
are shown in public words."""

from __future__ import annotations

import pytest
from django.conf import settings

from plaint.complaints.models import Message
from plaint.complaints.services import complaint_decline_decision, complaint_request_information
from plaint.complaints.states import PUBLIC_LABELS, State, public_label
from plaint.core.actors import Actor
from plaint.core.models import AuditEvent
from tests.factories import advance, make_complaint

pytestmark = pytest.mark.django_db

FA_TITLE = "شکایت شما"  # "Your complaint"
FA_CONFIRM = "شکایت خود را پس می\u200cگیرید؟"  # "Withdraw your complaint?"


def _withdrawals(complaint) -> int:
    return AuditEvent.objects.filter(case_id=complaint.pk, action="withdraw").count()


# --- withdrawing asks first --------------------------------------------------------------------


def test_the_tracking_page_says_what_withdrawing_means_before_the_button(client):
    _complaint, token = make_complaint()
    body = client.get(f"/track/{token}/").content.decode()
    hint = body.index("no decision will follow. You are asked to confirm first.")
    assert hint < body.index('id="withdraw-button"')
    assert 'id="withdraw-button" class="button-danger"' in body


def test_withdraw_without_the_confirmation_only_asks(client):
    complaint, token = make_complaint()
    response = client.post(f"/track/{token}/withdraw/", {"comment": "Sorted out in the shop."})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Withdraw your complaint? " in body
    assert "Your complaint is closed now and we stop handling it." in body
    assert "No decision will follow." in body
    assert "It cannot be reopened. To complain again, make a new complaint." in body
    # what they wrote is repeated and carried to the confirming post
    assert "Sorted out in the shop." in body
    assert '<input type="hidden" name="comment" value="Sorted out in the shop."' in body
    assert (
        '<button type="submit" name="confirm" value="yes" id="confirm-withdraw-button" '
        'class="button-danger">Yes, withdraw my complaint</button>'
    ) in body
    assert f'href="/track/{token}/">No, keep my complaint</a>' in body
    assert response["Referrer-Policy"] == "same-origin" and "no-store" in response["Cache-Control"]
    complaint.refresh_from_db()
    assert complaint.state == "acknowledged"
    assert _withdrawals(complaint) == 0
    assert not Message.objects.filter(complaint=complaint).exists()


def test_withdraw_with_the_confirmation_closes_the_case(client):
    complaint, token = make_complaint()
    response = client.post(
        f"/track/{token}/withdraw/", {"comment": "Sorted out in the shop.", "confirm": "yes"}
    )
    assert response.status_code == 302 and response["Location"] == f"/track/{token}/"
    complaint.refresh_from_db()
    assert complaint.state == "closed" and complaint.closure_reason == "withdrawn"
    assert _withdrawals(complaint) == 1
    assert Message.objects.get(complaint=complaint).body == "Sorted out in the shop."
    page = client.get(f"/track/{token}/").content.decode()
    assert "Your complaint has been withdrawn." in page
    assert '<strong id="state">Closed</strong>' in page


def test_a_closed_case_gets_no_confirmation_but_the_reason_in_public_words(client, handler):
    complaint, token = make_complaint()
    advance(complaint, "closed", by=handler)
    for data in ({}, {"confirm": "yes"}):
        response = client.post(f"/track/{token}/withdraw/", data)
        assert response.status_code == 409
        body = response.content.decode()
        assert "confirm-withdraw-button" not in body
        assert "This is not possible any more: your complaint is now “Closed”." in body
    assert _withdrawals(complaint) == 0


def test_a_refusal_names_the_state_in_public_words(client, handler):
    complaint, token = make_complaint()
    advance(complaint, "decision_communicated", by=handler)
    complaint_decline_decision(complaint_id=complaint.pk, actor=Actor.complainant(), reason="No.")
    response = client.post(f"/track/{token}/accept/", {})
    assert response.status_code == 409
    body = response.content.decode()
    assert "your complaint is now “Under review”" in body
    assert "Internal review" not in body


# --- public words for the states -----------------------------------------------------------------


def test_every_state_has_a_public_label():
    assert set(PUBLIC_LABELS) == set(State)
    assert public_label("internal_review") == public_label("response_proposed") == "Under review"


@pytest.mark.parametrize(
    ("state", "shown", "hidden"),
    [
        ("response_proposed", "Under review", "Response proposed"),
        ("internal_review", "Under review", "Internal review"),
        ("decision_communicated", "Decision sent", "Decision communicated"),
        ("waiting_on_complainant", "Waiting for your answer", "Waiting on the complainant"),
    ],
)
def test_the_tracking_page_shows_the_state_in_public_words(client, handler, state, shown, hidden):
    complaint, token = make_complaint()
    if state == "internal_review":
        advance(complaint, "decision_communicated", by=handler)
        complaint_decline_decision(
            complaint_id=complaint.pk, actor=Actor.complainant(), reason="Too little."
        )
    elif state == "waiting_on_complainant":
        complaint_request_information(
            complaint_id=complaint.pk, actor=Actor.staff(handler), reason="Order number?"
        )
    else:
        advance(complaint, state, by=handler)
    body = client.get(f"/track/{token}/").content.decode()
    assert f'<strong id="state">{shown}</strong>' in body
    assert hidden not in body


def test_the_how_to_page_uses_the_same_public_words(client):
    body = client.get("/").content.decode()
    assert "<strong>Decision sent</strong>" in body
    assert "Decision communicated" not in body


# --- the complainant's language ------------------------------------------------------------------


def test_a_persian_case_opens_in_persian_right_to_left(client):
    _complaint, token = make_complaint(language="fa")
    # the browser asks for English: that is not a choice the visitor made on this site
    response = client.get(f"/track/{token}/", HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in body
    assert f"<h1>{FA_TITLE} " in body
    assert "Your complaint" not in body
    assert response["Content-Language"] == "fa"
    # the language switcher shows Persian as the current language
    assert '<option value="fa" lang="fa" dir="rtl" selected>' in body


def test_the_visitors_choice_of_language_sticks(client):
    _complaint, token = make_complaint(language="fa")
    switched = client.post("/i18n/setlang/", {"language": "en", "next": f"/track/{token}/"})
    assert switched.status_code == 302 and switched["Location"] == f"/track/{token}/"
    for _ in range(2):
        body = client.get(f"/track/{token}/").content.decode()
        assert '<html lang="en" dir="ltr">' in body
        assert "<h1>Your complaint " in body


def test_a_language_cookie_from_another_page_is_the_visitors_choice(client):
    _complaint, token = make_complaint(language="fa")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "et"
    body = client.get(f"/track/{token}/").content.decode()
    assert '<html lang="et" dir="ltr">' in body and "<h1>Teie kaebus " in body


def test_the_confirmation_and_the_answer_come_in_the_case_language(client):
    complaint, token = make_complaint(language="fa")
    asked = client.post(f"/track/{token}/withdraw/", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert asked.status_code == 200
    assert '<html lang="fa" dir="rtl">' in asked.content.decode()
    assert FA_CONFIRM in asked.content.decode()
    done = client.post(f"/track/{token}/withdraw/", {"confirm": "yes"}, follow=True)
    body = done.content.decode()
    assert "شکایت شما پس گرفته شد." in body  # "Your complaint has been withdrawn."
    assert '<strong id="state">بسته شد</strong>' in body  # "Closed"
    complaint.refresh_from_db()
    assert complaint.state == "closed"


def test_a_form_error_comes_in_the_case_language(client):
    _complaint, token = make_complaint(language="uk")
    response = client.post(f"/track/{token}/message/", {"body": ""})
    assert response.status_code == 422
    body = response.content.decode()
    assert '<html lang="uk" dir="ltr">' in body
    assert "Ваша скарга" in body


def test_switching_language_on_the_confirmation_returns_to_the_tracking_page(client):
    complaint, token = make_complaint(language="fa")
    client.post(f"/track/{token}/withdraw/", {})
    # the switcher's "next" is the address the confirmation was shown at
    switched = client.post(
        "/i18n/setlang/", {"language": "en", "next": f"/track/{token}/withdraw/"}, follow=True
    )
    assert switched.redirect_chain[-1] == (f"/track/{token}/", 302)
    assert "<h1>Your complaint " in switched.content.decode()
    complaint.refresh_from_db()
    assert complaint.state == "acknowledged"
