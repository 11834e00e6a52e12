"""The staff console through Django's test client: permissions, queue, complaint page, steps."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plaint.accounts.models import Team
from plaint.complaints.models import Complaint, Message
from plaint.complaints.services import complaint_assess, message_post
from plaint.complaints.states import Step
from plaint.core.actors import Actor
from plaint.core.models import AuditEvent, OutboundEmail
from tests.factories import CategoryFactory, advance, make_complaint, office_today
from tests.html import field_error, messages_shown

pytestmark = pytest.mark.django_db

ROLES = ["admin", "manager", "handler", "auditor"]


@pytest.fixture
def complaint(db):
    complaint, _token = make_complaint()
    return complaint


def _login(client, user):
    client.force_login(user)
    return client


def _post_step(client, complaint, step: str, data=None, version=None, confirm=True):
    """Post a step's form; ``confirm`` is the confirmation page's button, which a step that ends
    the case needs (test_views_staff_ending_steps.py posts without it)."""
    complaint.refresh_from_db()
    payload = {f"{step}-expected_version": version or complaint.version}
    payload.update({f"{step}-{k}": v for k, v in (data or {}).items()})
    if confirm:
        payload["confirm"] = "yes"
    return client.post(f"/staff/complaints/{complaint.reference}/step/{step}/", payload)


# --- the permission matrix -----------------------------------------------------------------

EXPECTED_GET = {
    # page: {role: status}
    "/staff/": dict.fromkeys(ROLES, 200),
    "/staff/complaints/{ref}/": dict.fromkeys(ROLES, 200),
    "/staff/complaints/new/": {"admin": 200, "manager": 200, "handler": 200, "auditor": 403},
    "/staff/settings/": {"admin": 200, "manager": 200, "handler": 403, "auditor": 403},
    "/": dict.fromkeys(ROLES, 200),
    "/complain/": dict.fromkeys(ROLES, 200),
}


@pytest.mark.parametrize("page", list(EXPECTED_GET))
def test_anonymous_users_are_sent_to_login_on_staff_pages(client, complaint, page):
    url = page.format(ref=complaint.reference)
    response = client.get(url)
    if url.startswith("/staff/"):
        assert response.status_code == 302
        assert response["Location"].startswith("/staff/login/?next=")
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", list(EXPECTED_GET))
def test_page_permission_matrix(client, personas, complaint, role, page):
    _login(client, personas[role])
    response = client.get(page.format(ref=complaint.reference))
    assert response.status_code == EXPECTED_GET[page][role]


POSTS = [
    ("/staff/complaints/{ref}/step/acknowledge/", {"acknowledge-expected_version": "1"}),
    ("/staff/complaints/{ref}/message/", {"body": "note", "action": "note"}),
    ("/staff/complaints/{ref}/assign/", {"expected_version": "1", "assignee": ""}),
    ("/staff/complaints/new/", {"name": "X", "description": "Y", "channel": "phone"}),
    ("/staff/settings/categories/", {"create_category": "1", "cat-name": "Billing"}),
]


@pytest.mark.parametrize(("url", "data"), POSTS)
def test_auditors_are_refused_on_every_post(client, auditor, url, data):
    complaint, _ = make_complaint(channel="phone", actor=Actor.staff(_worker()))
    before_events = AuditEvent.objects.count()
    _login(client, auditor)
    response = client.post(url.format(ref=complaint.reference), data)
    assert response.status_code == 403
    assert AuditEvent.objects.count() == before_events
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize(("url", "data"), POSTS)
def test_anonymous_posts_are_sent_to_login(client, complaint, url, data):
    response = client.post(url.format(ref=complaint.reference), data)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


def _worker():
    from tests.factories import UserFactory

    return UserFactory(username="intake", role="handler")


def test_auditor_sees_everything_but_no_forms(client, auditor, handler):
    complaint, _ = make_complaint()
    message_post(
        complaint_id=complaint.pk, actor=Actor.staff(handler), body="Check CCTV.", internal=True
    )
    _login(client, auditor)
    body = client.get(f"/staff/complaints/{complaint.reference}/").content.decode()
    assert "Check CCTV." in body
    assert "mari@example.org" in body
    assert "<form" not in body.split('id="main"')[1].replace('class="inline"', "")
    assert "/step/" not in body


def test_login_and_logout(client, handler):
    page = client.get("/staff/login/")
    assert page.status_code == 200
    assert 'name="username"' in page.content.decode()
    bad = client.post("/staff/login/", {"username": "hans", "password": "wrong"})
    assert bad.status_code == 200 and "error-summary" in bad.content.decode()
    response = client.post(
        "/staff/login/", {"username": "hans", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert client.post("/staff/logout/").status_code == 302
    assert client.get("/staff/").status_code == 302


# --- the queue -----------------------------------------------------------------------------


def test_queue_lists_complaints_with_links_and_total(client, handler):
    first, _ = make_complaint(subject="First one")
    second, _ = make_complaint(subject="Second one")
    _login(client, handler)
    response = client.get("/staff/")
    body = response.content.decode()
    assert f'href="/staff/complaints/{first.reference}/"' in body
    assert second.reference in body
    assert "2 complaints" in body


def test_queue_filters_search_and_sort(client, handler, other_handler):
    CategoryFactory(code="billing", name="Billing")
    a, _ = make_complaint(subject="Wrong invoice", category="billing")
    b, _ = make_complaint(subject="Rude driver", name="Jaan Tamm")
    c, _ = make_complaint(subject="Broken lamp", channel="phone", actor=Actor.staff(handler))
    complaint_assess(
        complaint_id=a.pk, actor=Actor.staff(handler), severity="high", assignee_id=handler.pk
    )
    _login(client, handler)

    def refs(query: str) -> set[str]:
        response = client.get("/staff/" + query)
        assert response.status_code == 200, response.content
        return {item.reference for item in response.context["page"].items}

    assert refs("?category=billing") == {a.reference}
    assert refs("?state=received") == {c.reference}
    assert refs("?state=received&state=assessed") == {a.reference, c.reference}
    assert refs("?assignee=me") == {a.reference}
    assert refs("?assignee=none") == {b.reference, c.reference}
    assert refs(f"?assignee={other_handler.pk}") == set()
    assert refs("?channel=phone") == {c.reference}
    assert refs("?severity=high") == {a.reference}
    assert refs("?q=tamm") == {b.reference}
    assert refs(f"?q={b.reference}") == {b.reference}
    today = office_today().isoformat()  # the queue's dates are the organisation's
    assert len(refs(f"?received_from={today}&received_to={today}")) == 3
    oldest = client.get("/staff/?sort=oldest").context["page"].items
    assert [x.reference for x in oldest] == [a.reference, b.reference, c.reference]


def test_queue_bad_filter_is_an_error_not_a_500(client, handler):
    _login(client, handler)
    assert client.get("/staff/?sort=sideways").status_code == 400
    assert client.get("/staff/?cursor=!!!garbage").status_code == 400


def test_queue_keyset_pagination_follows_the_next_link(client, handler):
    made = [make_complaint(subject=f"Complaint {i}")[0] for i in range(5)]
    _login(client, handler)
    seen: list[str] = []
    url = "/staff/?limit=2&sort=oldest"
    for _ in range(5):  # bounded
        response = client.get(url)
        page = response.context["page"]
        assert page.total == 5
        seen += [c.reference for c in page.items]
        if not response.context["next_url"]:
            break
        url = "/staff/" + response.context["next_url"]
        assert "cursor=" in url and "sort=oldest" in url
    assert seen == [c.reference for c in made]


def test_overdue_complaints_are_highlighted(client, handler):
    late, _ = make_complaint(subject="Late one")
    Complaint.objects.filter(pk=late.pk).update(
        response_due_at=timezone.now() - dt.timedelta(days=1)
    )
    make_complaint(subject="On time")
    _login(client, handler)
    body = client.get("/staff/").content.decode()
    assert body.count('<tr class="overdue">') == 1
    assert {c.reference for c in client.get("/staff/?overdue=on").context["page"].items} == {
        late.reference
    }


def test_queue_runs_a_constant_number_of_queries(client, handler, other_handler):
    team = Team.objects.create(name="Care")
    CategoryFactory(code="billing", name="Billing")
    for i in range(60):
        complaint, _ = make_complaint(subject=f"Complaint {i}", category="billing")
        if i % 2:
            complaint_assess(
                complaint_id=complaint.pk,
                actor=Actor.staff(handler),
                severity="low",
                assignee_id=other_handler.pk,
                team_id=team.pk,
            )
    _login(client, handler)
    client.get("/staff/?limit=5")  # warm up the session
    counts = []
    for limit in (5, 50):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/staff/?limit={limit}")
        assert len(response.context["page"].items) == limit
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


# --- the complaint page --------------------------------------------------------------------


def test_complaint_page_shows_everything_and_one_timeline(client, handler):
    complaint, _ = make_complaint(desired_outcome="A refund.", product="Parcel")
    message_post(
        complaint_id=complaint.pk,
        actor=Actor.staff(handler),
        body="Internal: check.",
        internal=True,
    )
    _login(client, handler)
    response = client.get(f"/staff/complaints/{complaint.reference}/")
    body = response.content.decode()
    assert response.status_code == 200
    for text in ("Mari Maasikas", "mari@example.org", "A refund.", "Parcel", "Internal: check."):
        assert text in body
    timeline = body.split('id="timeline"')[1]
    assert "Complaint received" in timeline
    # the automatic acknowledgement is labelled as the step (one verb per event)
    assert '<p class="event-label">Acknowledge</p>' in timeline
    assert ">received<" not in timeline
    # the next steps for an acknowledged complaint, one form each
    assert f"/staff/complaints/{complaint.reference}/step/assess/" in body
    assert f"/staff/complaints/{complaint.reference}/step/reject_out_of_scope/" in body
    assert f"/staff/complaints/{complaint.reference}/step/close/" not in body


def test_unknown_reference_is_404(client, handler):
    _login(client, handler)
    assert client.get("/staff/complaints/C-2026-999999/").status_code == 404


def test_every_staff_step_through_the_step_url(client, handler, manager):
    """Walk the whole lifecycle by posting the forms, including internal review by another person."""
    complaint, _ = make_complaint(channel="phone", actor=Actor.staff(handler))
    CategoryFactory(code="delivery", name="Delivery")
    _login(client, handler)
    walk = [
        ("acknowledge", {}, "acknowledged"),
        (
            "assess",
            {
                "severity": "high",
                "priority": "urgent",
                "category": "delivery",
                "safety_issue": "on",
                "assignee": str(handler.pk),
            },
            "assessed",
        ),
        ("start_investigation", {}, "investigating"),
        ("request_information", {"reason": "Your order number?"}, "waiting_on_complainant"),
        ("resume", {}, "investigating"),
        (
            "record_findings",
            {"findings": "Courier lost it.", "root_cause": "No tracking."},
            "investigating",
        ),
        (
            "propose_response",
            {
                "decision": "We refund the fee.",
                "remedy_1_kind": "refund",
                "remedy_1_amount": "4.90",
                "remedy_1_currency": "eur",
                "remedy_2_kind": "apology",
            },
            "response_proposed",
        ),
        ("communicate_decision", {}, "decision_communicated"),
        ("decline_decision", {"reason": "Too little."}, "internal_review"),
    ]
    for step, data, state in walk:
        response = _post_step(client, complaint, step, data)
        assert response.status_code == 302, (step, response.content.decode()[:3000])
        complaint.refresh_from_db()
        assert complaint.state == state, step
    assert complaint.severity == "high" and complaint.safety_issue
    assert complaint.root_cause == "No tracking."
    assert {(r.kind, str(r.amount), r.currency) for r in complaint.remedies.all()} >= {
        ("refund", "4.90", "EUR"),
        ("apology", "None", ""),
    }
    # the reviewer must be someone else: the handler is refused with the reason
    refused = _post_step(client, complaint, "propose_response", {"decision": "Same again."})
    assert refused.status_code == 403
    assert "someone other than" in refused.content.decode()
    _login(client, manager)
    for step, data, state in [
        ("propose_response", {"decision": "We refund double."}, "response_proposed"),
        ("communicate_decision", {}, "decision_communicated"),
        ("accept_decision", {"comment": "OK by phone."}, "accepted"),
        ("record_remedy_delivered", {}, "accepted"),
        ("close", {"reason": "accepted"}, "closed"),
    ]:
        response = _post_step(client, complaint, step, data)
        assert response.status_code == 302, (step, response.content.decode()[:3000])
        complaint.refresh_from_db()
        assert complaint.state == state, step
    actions = set(
        AuditEvent.objects.filter(case_type="complaint", case_id=complaint.pk).values_list(
            "action", flat=True
        )
    )
    assert {s.value for s in Step} - {
        "reject_out_of_scope",
        "withdraw",
        "refer_external",
        "record_dispute_outcome",  # after refer_external: test_record_dispute_outcome_step...
        "reopen",  # after close: tests/complaints/test_services_reopen.py
    } <= actions
    assert OutboundEmail.objects.filter(complaint=complaint, kind="decision").count() == 2


@pytest.mark.parametrize(
    ("step", "data", "state"),
    [
        ("reject_out_of_scope", {"reason": "Not our product."}, "out_of_scope"),
        ("withdraw", {"comment": "Called back, sorted."}, "closed"),
    ],
)
def test_ending_steps(client, handler, step, data, state):
    complaint, _ = make_complaint()
    _login(client, handler)
    response = _post_step(client, complaint, step, data)
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == state


def test_refer_external_step(client, handler):
    complaint, _ = make_complaint()
    advance(complaint, "decision_communicated", by=handler)
    _login(client, handler)
    response = _post_step(client, complaint, "refer_external", {"note": "To the ADR body."})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "referred_external"


def test_step_field_errors_are_shown_on_the_form(client, handler):
    complaint, _ = make_complaint()
    _login(client, handler)
    response = _post_step(client, complaint, "reject_out_of_scope", {"reason": ""})
    assert response.status_code == 422
    assert response.context["step"] == Step.REJECT_OUT_OF_SCOPE
    assert response.context["form"].errors["reason"]  # on the step's own page, bound
    assert 'id="step-form"' in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.state == "acknowledged"


def test_service_field_errors_land_on_the_step_form(client, handler):
    complaint, _ = make_complaint()
    advance(complaint, "investigating", by=handler)
    _login(client, handler)
    response = _post_step(
        client, complaint, "propose_response", {"decision": "Refund.", "remedy_1_kind": "refund"}
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert response.context["step"] == Step.PROPOSE_RESPONSE
    assert any("needs an amount" in e for e in form.non_field_errors())


def test_illegal_step_is_refused_with_the_reason(client, handler):
    complaint, _ = make_complaint()
    _login(client, handler)
    response = _post_step(client, complaint, "communicate_decision")
    assert response.status_code == 409
    body = response.content.decode()
    assert 'id="page-error"' in body
    assert "is not possible while the complaint is" in body
    complaint.refresh_from_db()
    assert complaint.state == "acknowledged"


def test_unknown_step_is_404(client, handler, complaint):
    _login(client, handler)
    response = client.post(f"/staff/complaints/{complaint.reference}/step/teleport/", {})
    assert response.status_code == 404


def test_stale_expected_version_is_refused(client, handler, other_handler):
    complaint, _ = make_complaint()
    stale_version = complaint.version
    complaint_assess(complaint_id=complaint.pk, actor=Actor.staff(other_handler), severity="low")
    _login(client, handler)
    response = _post_step(client, complaint, "start_investigation", version=stale_version)
    assert response.status_code == 409
    assert "Someone else changed this complaint" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.state == "assessed"


def test_message_and_internal_note(client, handler):
    complaint, _ = make_complaint()
    _login(client, handler)
    url = f"/staff/complaints/{complaint.reference}/message/"
    assert client.post(url, {"body": "Private thought.", "action": "note"}).status_code == 302
    sent = client.post(url, {"body": "Dear Mari, we are on it.", "action": "send"})
    assert sent.status_code == 302
    directions = list(Message.objects.order_by("id").values_list("direction", flat=True))
    assert directions == ["note", "out"]
    assert OutboundEmail.objects.filter(complaint=complaint, kind="message").count() == 1
    empty = client.post(url, {"body": "", "action": "send"})
    assert empty.status_code == 422
    assert field_error(empty.content.decode(), "id_body") == "This field is required."


def test_assign_form(client, handler, other_handler):
    team = Team.objects.create(name="Care")
    complaint, _ = make_complaint()
    _login(client, handler)
    url = f"/staff/complaints/{complaint.reference}/assign/"
    response = client.post(
        url,
        {"expected_version": complaint.version, "assignee": other_handler.pk, "team": team.pk},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.assignee == other_handler and complaint.team == team
    stale = client.post(url, {"expected_version": 1, "assignee": ""})
    assert stale.status_code == 409


def test_log_a_phone_complaint_then_acknowledge(client, handler):
    _login(client, handler)
    response = client.post(
        "/staff/complaints/new/",
        {
            "channel": "phone",
            "name": "Jaan Tamm",
            "phone": "+372 5555 5555",
            "language": "et",
            "preferred_channel": "phone",
            "description": "Called about a broken lamp.",
        },
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert response["Location"] == f"/staff/complaints/{complaint.reference}/"
    assert complaint.channel == "phone" and complaint.state == "received"
    event = AuditEvent.objects.get(case_id=complaint.pk, action="received")
    assert event.actor_id == handler.pk
    assert _post_step(client, complaint, "acknowledge").status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "acknowledged"


def test_log_a_complaint_field_errors(client, handler):
    _login(client, handler)
    response = client.post("/staff/complaints/new/", {"channel": "fax", "name": ""})
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "channel" in errors and "name" in errors
    assert Complaint.objects.count() == 0


def test_a_complaint_logged_without_email_shows_its_tracking_link_once_and_keeps_it(
    client, handler
):
    _login(client, handler)
    response = client.post(
        "/staff/complaints/new/",
        {
            "channel": "letter",
            "name": "Olena Koval",
            "phone": "+380 44 123 4567",
            "language": "uk",
            "preferred_channel": "letter",
            "description": "Лист про зіпсований товар.",
        },
        follow=True,
    )
    shown = messages_shown(response.content.decode())
    links = [m.split(": ")[-1] for m in shown if "/track/" in m]
    assert len(links) == 1
    path = urlsplit(links[0]).path
    complaint = Complaint.objects.get()
    assert _post_step(client, complaint, "acknowledge").status_code == 302
    # Acknowledging a case with no address sends nothing, so the link given out stays valid.
    client.logout()
    assert client.get(path).status_code == 200
    assert client.get("/staff/complaints/" + complaint.reference + "/").status_code == 302


def test_staff_type_receipt_times_in_the_organisation_time_zone(client, handler):
    _login(client, handler)
    client.post(
        "/staff/complaints/new/",
        {
            "channel": "phone",
            "received_at": "2026-01-15T14:05",
            "name": "Jaan Tamm",
            "phone": "+372 5555 5555",
            "language": "et",
            "preferred_channel": "phone",
            "description": "Called about a broken lamp.",
        },
    )
    complaint = Complaint.objects.get()
    # Europe/Tallinn is UTC+2 in January: 14:05 at the office is 12:05 UTC.
    assert complaint.received_at == dt.datetime(2026, 1, 15, 12, 5, tzinfo=dt.UTC)


def test_staff_download_attachments_and_outsiders_cannot(client, handler):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plaint.core.uploads import check_uploads

    complaint, _ = make_complaint()
    note = SimpleUploadedFile("notes.txt", b"internal findings", content_type="text/plain")
    message_post(
        complaint_id=complaint.pk,
        actor=Actor.staff(handler),
        body="Supplier confirmed the fault.",
        internal=True,
        attachments=check_uploads([note]),
    )
    attachment = complaint.attachments.get()
    url = f"/staff/complaints/{complaint.reference}/attachments/{attachment.pk}/"
    assert client.get(url).status_code == 302  # to the login page
    _login(client, handler)
    assert url in client.get(f"/staff/complaints/{complaint.reference}/").content.decode()
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"internal findings"
    assert download["Content-Disposition"].startswith("attachment;")
    other, _ = make_complaint()
    assert (
        client.get(f"/staff/complaints/{other.reference}/attachments/{attachment.pk}/").status_code
        == 404
    )


def test_record_dispute_outcome_step_and_the_page_shows_it(client, handler):
    complaint, _ = make_complaint()
    advance(complaint, "decision_communicated", by=handler)
    _login(client, handler)
    assert _post_step(client, complaint, "refer_external", {"note": "ADR"}).status_code == 302
    page = client.get(f"/staff/complaints/{complaint.reference}/")
    assert 'id="action-record_dispute_outcome"' in page.content.decode()
    future = (office_today() + dt.timedelta(days=2)).isoformat()
    data = {
        "provider": "Consumer Disputes Committee",
        "outcome": "resolved_in_favour_of_complainant",
        "closed_on": future,
        "binding": "on",
        "note": "Refund ordered.",
    }
    refused = _post_step(client, complaint, "record_dispute_outcome", data)
    assert refused.status_code == 422
    assert refused.context["form"].errors["closed_on"]
    data["closed_on"] = office_today().isoformat()
    response = _post_step(client, complaint, "record_dispute_outcome", data)
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.dispute_outcome == "resolved_in_favour_of_complainant"
    assert complaint.dispute_binding is True
    page = client.get(f"/staff/complaints/{complaint.reference}/")
    html = page.content.decode()
    assert (
        "Resolved in the complainant&#x27;s favour" in html or "Resolved in the complainant" in html
    )
    assert "Consumer Disputes Committee" in html and "Refund ordered." in html
    assert 'id="action-record_dispute_outcome"' not in html


def test_the_case_page_marks_a_response_due_date_that_has_passed(client, handler):
    complaint, _ = make_complaint()
    _login(client, handler)
    page = client.get(f"/staff/complaints/{complaint.reference}/").content.decode()
    assert "Response due</dt><dd>" in page
    Complaint.objects.filter(pk=complaint.pk).update(
        response_due_at=timezone.now() - dt.timedelta(hours=1)
    )
    page = client.get(f"/staff/complaints/{complaint.reference}/").content.decode()
    assert 'Response due</dt><dd class="overdue">' in page
