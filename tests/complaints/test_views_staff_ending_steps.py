"""Steps that end a case (close, withdraw on behalf, out of scope, refer to external dispute
resolution) look destructive on the case page and are taken only after a confirmation that says
what they mean (issue 16, item 3)."""

from __future__ import annotations

import re

import pytest

from plaint.complaints.services import complaint_assess
from plaint.complaints.states import CASE_ENDING_STEPS, Step
from plaint.complaints.views_steps import ENDING_STEP_MEANINGS
from plaint.core.actors import Actor
from plaint.core.models import AuditEvent, OutboundEmail
from tests.complaints.test_views_staff import _post_step
from tests.factories import advance, make_complaint

pytestmark = pytest.mark.django_db

# step: (the state to bring the case to, the form's data, the state after it, a phrase it means)
ENDING = {
    "close": ("accepted", {"reason": "accepted"}, "closed", "Closing ends the case"),
    "withdraw": (
        "acknowledged",
        {"comment": "Called back, sorted."},
        "closed",
        "only when the complainant has asked to withdraw",
    ),
    "reject_out_of_scope": (
        "acknowledged",
        {"reason": "We do not sell this product."},
        "out_of_scope",
        "the reason is sent to the complainant",
    ),
    "refer_external": (
        "decision_communicated",
        {"note": "To the ADR body."},
        "referred_external",
        "goes to external dispute resolution",
    ),
}


def test_the_ending_steps_are_those_with_a_terminal_target():
    assert {s.value for s in CASE_ENDING_STEPS} == set(ENDING)
    assert set(ENDING_STEP_MEANINGS) == set(CASE_ENDING_STEPS)


def _case(handler, state: str):
    complaint, _token = make_complaint()
    return advance(complaint, state, by=handler)


def _step_events(complaint, step: str) -> int:
    return AuditEvent.objects.filter(case_id=complaint.pk, action=step).count()


@pytest.mark.parametrize("step", list(ENDING))
def test_an_ending_step_looks_destructive_on_the_case_page(client, handler, step):
    before, _data, _after, _meaning = ENDING[step]
    complaint = _case(handler, before)
    client.force_login(handler)
    body = client.get(f"/staff/complaints/{complaint.reference}/").content.decode()
    # on the case page: a link to the step's own page, styled destructive, after the others
    link = (
        f'<a class="action-link action-link-danger" id="action-{step}" '
        f'href="/staff/complaints/{complaint.reference}/step/{step}/">{Step(step).label}</a>'
    )
    assert link in body
    assert body.index(link) > body.index('id="action-message"')
    # on its own page: the destructive button and the warning
    page = client.get(f"/staff/complaints/{complaint.reference}/step/{step}/").content.decode()
    assert re.search(
        rf'<button type="submit" name="step" value="{step}" class="button-danger">', page
    )
    assert "This ends the case; you are asked to confirm first." in page


def test_other_steps_do_not_look_destructive(client, handler):
    complaint = _case(handler, "acknowledged")
    client.force_login(handler)
    body = client.get(f"/staff/complaints/{complaint.reference}/").content.decode()
    assert (
        f'<a class="action-link" id="action-assess" href="/staff/complaints/{complaint.reference}/step/assess/">'
        in body
    )
    page = client.get(f"/staff/complaints/{complaint.reference}/step/assess/").content.decode()
    assert '<button type="submit" name="step" value="assess">' in page


@pytest.mark.parametrize("step", list(ENDING))
def test_without_the_confirmation_the_step_only_asks(client, handler, step):
    before, data, after, meaning = ENDING[step]
    complaint = _case(handler, before)
    mails = OutboundEmail.objects.count()
    client.force_login(handler)
    response = _post_step(client, complaint, step, data, confirm=False)
    assert response.status_code == 200
    body = response.content.decode()
    label = Step(step).label
    assert f"<h1>Confirm “{label}”</h1>" in body
    assert meaning in body
    for value in data.values():
        if step != "close":  # the closure reason is shown by its label
            assert value in body
    # the form's values, the version included, go with the confirming post
    assert f'name="{step}-expected_version" value="{complaint.version}"' in body
    assert (
        f'<button type="submit" name="confirm" value="yes" id="confirm-step-button" '
        f'class="button-danger">Confirm “{label}”</button>'
    ) in body
    complaint.refresh_from_db()
    assert complaint.state == before
    assert _step_events(complaint, step) == 0
    assert OutboundEmail.objects.count() == mails

    confirmed = _post_step(client, complaint, step, data, confirm=True)
    assert confirmed.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == after
    assert _step_events(complaint, step) == 1


def test_the_confirmation_shows_the_closure_reason_by_its_label(client, handler):
    complaint = _case(handler, "accepted")
    client.force_login(handler)
    body = _post_step(client, complaint, "close", {"reason": "accepted"}, confirm=False)
    assert '<dt>Closure reason</dt><dd><div class="text"><p>Decision accepted</p>' in (
        body.content.decode()
    )


def test_an_invalid_form_is_returned_before_any_confirmation(client, handler):
    complaint = _case(handler, "acknowledged")
    client.force_login(handler)
    response = _post_step(client, complaint, "reject_out_of_scope", {"reason": ""}, confirm=False)
    assert response.status_code == 422
    assert response.context["form"].errors["reason"]
    body = response.content.decode()
    assert "confirm-step-button" not in body
    assert 'id="step-form"' in body and 'class="error-summary"' in body


def test_a_step_the_case_does_not_allow_is_refused_without_a_confirmation(client, handler):
    complaint = _case(handler, "investigating")
    client.force_login(handler)
    response = _post_step(client, complaint, "close", {"reason": "accepted"}, confirm=False)
    assert response.status_code == 409
    body = response.content.decode()
    assert 'id="page-error"' in body and "is not possible while the complaint is" in body
    assert "confirm-step-button" not in body


def test_a_confirmation_for_a_stale_version_is_refused(client, handler):
    complaint = _case(handler, "acknowledged")
    client.force_login(handler)
    asked = _post_step(client, complaint, "withdraw", {}, confirm=False)
    assert asked.status_code == 200
    seen = complaint.version
    # while the confirmation is open, someone else assesses the case
    complaint_assess(complaint_id=complaint.pk, actor=Actor.staff(handler), severity="low")
    stale = _post_step(client, complaint, "withdraw", {}, version=seen)
    assert stale.status_code == 409
    assert "Someone else changed this complaint" in stale.content.decode()
    complaint.refresh_from_db()
    assert complaint.state == "assessed"


def test_an_auditor_cannot_even_ask(client, auditor, handler):
    complaint = _case(handler, "acknowledged")
    client.force_login(auditor)
    response = _post_step(client, complaint, "withdraw", {}, confirm=False)
    assert response.status_code == 403


def test_switching_language_on_the_confirmation_returns_to_the_step(client, handler):
    complaint = _case(handler, "acknowledged")
    client.force_login(handler)
    _post_step(client, complaint, "withdraw", {}, confirm=False)
    step_url = f"/staff/complaints/{complaint.reference}/step/withdraw/"
    switched = client.post("/i18n/setlang/", {"language": "et", "next": step_url}, follow=True)
    assert switched.redirect_chain[-1] == (step_url, 302)
    body = switched.content.decode()
    assert '<html lang="et"' in body and 'id="step-form"' in body
    complaint.refresh_from_db()
    assert complaint.state == "acknowledged"
