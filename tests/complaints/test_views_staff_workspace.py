"""The case page is a workspace (issue 16, items 6 and 7): the case with its next steps as links
to each step's own page and the message composer inline; a reply to the complainant and an internal note are two
distinct actions, and the page says who receives the reply and in which language."""

from __future__ import annotations

import re

import pytest

from plaint.complaints.models import Message
from plaint.complaints.states import Step, case_steps
from plaint.core.models import AuditEvent, OutboundEmail
from tests.complaints.test_views_staff import _post_step
from tests.factories import advance, make_complaint

pytestmark = pytest.mark.django_db


def _page(client, complaint) -> str:
    return client.get(f"/staff/complaints/{complaint.reference}/").content.decode()


def _disclosures(body: str) -> dict[str, bool]:
    """The action bar's disclosures by id, each with whether it is rendered open."""
    return {
        m.group(1): m.group(2) == " open"
        for m in re.finditer(
            r'<details class="action[^"]*" name="case-action" id="action-([a-z_]+)"( open)?>', body
        )
    }


def _step_links(body: str) -> dict[str, str]:
    """The action bar's links to a step's (or the assignment's) own page: id → address."""
    return dict(
        re.findall(r'<a class="action-link[^"]*" id="action-([a-z_]+)" href="([^"]+)">', body)
    )


def test_every_allowed_step_is_a_link_to_its_own_page(client, handler):
    complaint, _ = make_complaint()
    complaint = advance(complaint, "investigating", by=handler)
    client.force_login(handler)
    body = _page(client, complaint)
    steps = {s.value for s in case_steps(complaint, "staff")}
    links = _step_links(body)
    base = f"/staff/complaints/{complaint.reference}"
    assert links == {**{s: f"{base}/step/{s}/" for s in steps}, "assign": f"{base}/assign/"}
    # the composer is the one disclosure left, closed by default; no step's form is on the page
    assert _disclosures(body) == {"message": False}
    assert 'name="step"' not in body and 'name="assignee"' not in body
    # the action bar comes before the case itself
    assert body.index('id="actions"') < body.index('id="details-heading"')
    for step in steps:
        page = client.get(f"{base}/step/{step}/")
        assert page.status_code == 200
        html = page.content.decode()
        assert f'<h1 id="step-{step}-heading">{Step(step).label}</h1>' in html
        assert complaint.reference in html and complaint.subject in html
        assert f'href="{base}/"' in html and "Back to the case" in html


def test_a_step_form_with_errors_comes_back_on_its_page_and_the_composer_on_the_case(
    client, handler
):
    complaint, _ = make_complaint()
    client.force_login(handler)
    response = _post_step(client, complaint, "reject_out_of_scope", {"reason": ""}, confirm=False)
    assert response.status_code == 422
    body = response.content.decode()
    assert '<h1 id="step-reject_out_of_scope-heading">' in body
    assert 'class="error-summary"' in body and 'id="step-form"' in body

    empty = client.post(
        f"/staff/complaints/{complaint.reference}/message/", {"body": "", "action": "send"}
    )
    assert empty.status_code == 422
    assert _disclosures(empty.content.decode()) == {"message": True}


def test_send_to_complainant_sends_and_add_internal_note_keeps_it_internal(client, handler):
    complaint, _ = make_complaint()
    client.force_login(handler)
    url = f"/staff/complaints/{complaint.reference}/message/"
    sent = client.post(url, {"body": "We have found your parcel.", "action": "send"}, follow=True)
    assert "Message sent." in sent.content.decode()
    noted = client.post(url, {"body": "Courier to be warned.", "action": "note"}, follow=True)
    assert "Internal note added." in noted.content.decode()
    messages = list(Message.objects.order_by("id").values_list("direction", "body"))
    assert messages == [("out", "We have found your parcel."), ("note", "Courier to be warned.")]
    mails = OutboundEmail.objects.filter(complaint=complaint, kind="message")
    assert [m.to for m in mails] == ["mari@example.org"]


@pytest.mark.parametrize(
    "data",
    [
        {"body": "Old form, box ticked.", "internal": "on"},
        {"body": "Old form, box unticked."},
        {"body": "A made-up action.", "action": "shout"},
    ],
)
def test_a_message_without_a_chosen_action_is_refused(client, handler, data):
    complaint, _ = make_complaint()
    client.force_login(handler)
    events = AuditEvent.objects.count()
    response = client.post(f"/staff/complaints/{complaint.reference}/message/", data)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Choose “Send to complainant” or “Add internal note”." in body
    assert data["body"] in body  # what was written is kept for the second try
    assert not Message.objects.exists()
    assert AuditEvent.objects.count() == events
    assert not OutboundEmail.objects.filter(kind="message").exists()


def test_the_page_names_the_recipient_and_their_language(client, handler):
    complaint, _ = make_complaint(name="Olena Koval", email="olena@example.org", language="uk")
    client.force_login(handler)
    recipient = _page(client, complaint).split('id="message-recipient"')[1].split("</div>")[0]
    assert "Olena Koval" in recipient and "olena@example.org" in recipient
    assert "reads Ukrainian (Українська)" in recipient
    send = '<button type="submit" name="action" value="send" id="send-message-button">'
    assert send + "Send to complainant</button>" in _page(client, complaint)


def test_without_an_email_address_the_page_says_where_the_message_goes(client, handler):
    complaint, token = make_complaint(email="", phone="+372 5555 5555", preferred_channel="phone")
    client.force_login(handler)
    recipient = _page(client, complaint).split('id="message-recipient"')[1].split("</div>")[0]
    assert "No e-mail address: the message is kept on the case and shown on the" in recipient
    url = f"/staff/complaints/{complaint.reference}/message/"
    assert client.post(url, {"body": "Please call us.", "action": "send"}).status_code == 302
    assert not OutboundEmail.objects.filter(kind="message").exists()
    client.logout()
    assert "Please call us." in client.get(f"/track/{token}/").content.decode()


def test_a_finished_case_offers_only_the_internal_note(client, handler):
    complaint, _ = make_complaint()
    complaint = advance(complaint, "closed", by=handler)
    client.force_login(handler)
    body = _page(client, complaint)
    assert 'id="send-message-button"' not in body
    assert 'id="add-note-button"' in body
    assert "nothing more is sent to the complainant" in body


def test_step_and_assign_pages_are_for_those_who_work_cases(client, handler, auditor):
    complaint, _ = make_complaint()
    base = f"/staff/complaints/{complaint.reference}"
    client.force_login(auditor)
    assert client.get(f"{base}/step/assess/").status_code == 403
    assert client.get(f"{base}/assign/").status_code == 403
    assert "action-link" not in _page(client, complaint)  # the auditor's case page links none
    client.force_login(handler)
    assert client.get(f"{base}/step/teleport/").status_code == 404
    assert client.get("/staff/complaints/C-1999-999999/step/assess/").status_code == 404


def test_a_step_the_state_does_not_allow_says_why_and_offers_no_form(client, handler):
    complaint, _ = make_complaint()  # acknowledged: no decision to communicate yet
    client.force_login(handler)
    response = client.get(f"/staff/complaints/{complaint.reference}/step/communicate_decision/")
    assert response.status_code == 409
    body = response.content.decode()
    assert 'id="page-error"' in body and "is not possible while the complaint is" in body
    assert 'id="step-form"' not in body and complaint.reference in body


def test_assigning_from_its_page_and_a_stale_version_comes_back_there(
    client, handler, other_handler
):
    complaint, _ = make_complaint()
    client.force_login(handler)
    url = f"/staff/complaints/{complaint.reference}/assign/"
    page = client.get(url).content.decode()
    assert 'id="assign-form"' in page and f'<option value="{other_handler.pk}"' in page
    assert "Mari Maasikas" in page and "Response due" in page
    data = {"expected_version": complaint.version, "assignee": other_handler.pk, "team": ""}
    saved = client.post(url, data)
    assert saved.status_code == 302 and saved["Location"].endswith(f"/{complaint.reference}/")
    complaint.refresh_from_db()
    assert complaint.assignee_id == other_handler.pk
    stale = client.post(url, data)  # the version has moved on
    assert stale.status_code == 409
    body = stale.content.decode()
    assert 'id="page-error"' in body and 'id="assign-form"' in body
    assert f'name="expected_version" value="{complaint.version}"' in body
