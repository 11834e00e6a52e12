"""The notification pages: the list (open, mark read, mark all read), the header's unread count
on every staff page, the preferences and the teams' categories; query counts and permissions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaint.accounts.models import Team
from plaint.complaints import services as cs
from plaint.core.actors import Actor
from plaint.notifications.models import Notification, Preference, TeamCategory
from tests.factories import CategoryFactory, make_complaint

pytestmark = pytest.mark.django_db


def assign_cases(count: int, to, by) -> list:
    cases = []
    for _ in range(count):
        complaint, _token = make_complaint()
        cs.complaint_assign(complaint_id=complaint.pk, actor=Actor.staff(by), assignee_id=to.pk)
        cases.append(complaint)
    return cases


def test_the_list_shows_the_persons_notifications_newest_first(client, handler, manager):
    first, second = assign_cases(2, handler, manager)
    client.force_login(handler)
    response = client.get("/staff/notifications/")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.index(second.reference) < text.index(first.reference)
    assert "A case assigned to me" in text and "Unread" in text
    assert '<span class="badge badge-count" id="unread-count">2 unread</span>' in text


def test_nobody_sees_anothers_notifications(client, handler, other_handler, manager):
    [case] = assign_cases(1, handler, manager)
    client.force_login(other_handler)
    assert case.reference not in client.get("/staff/notifications/").content.decode()
    notification = Notification.objects.get()
    response = client.post(f"/staff/notifications/{notification.pk}/open/")
    assert response.status_code == 404
    assert Notification.objects.get().read_at is None


def test_the_list_costs_the_same_queries_for_one_row_or_thirty(client, handler, manager):
    assign_cases(1, handler, manager)
    client.force_login(handler)
    client.get("/staff/notifications/")  # warm up the session
    with CaptureQueriesContext(connection) as one:
        client.get("/staff/notifications/")
    assign_cases(29, handler, manager)
    with CaptureQueriesContext(connection) as thirty:
        response = client.get("/staff/notifications/")
    assert len(response.context["page"].items) == 30
    assert len(one.captured_queries) == len(thirty.captured_queries)
    # session, user, the header's count, the list (the organisation name may be cached)
    assert len(thirty.captured_queries) <= 5


def test_the_header_count_is_one_query_on_every_staff_page(client, handler, manager):
    assign_cases(3, handler, manager)
    client.force_login(handler)
    client.get("/staff/")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/staff/")
    assert (
        '<span class="badge badge-count" id="unread-count">3 unread</span>'
        in response.content.decode()
    )
    counting = [q["sql"] for q in ctx.captured_queries if "notifications_notification" in q["sql"]]
    # one statement, and a bounded one: at most the 100 ids the header counts
    assert len(counting) == 1 and counting[0].upper().endswith("LIMIT 100")


def test_the_header_count_builds_no_rule_in_sql_on_pages_that_read_no_configuration(
    client, handler, manager
):
    assign_cases(2, handler, manager)
    client.force_login(handler)
    for path in ("/staff/notifications/", "/staff/notifications/settings/"):
        client.get(path)  # the configuration cache read once per process
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        [counting] = [
            q["sql"]
            for q in ctx.captured_queries
            if "notifications_notification" in q["sql"] and q["sql"].endswith("LIMIT 100")
        ]
        # who sees which case came from the cache: with nothing restricted and team visibility
        # off, the count asks nothing of the cases, the categories or the organisation
        assert "complaints_" not in counting and "core_organisation" not in counting, path


def test_the_header_says_99_plus_beyond_what_it_counts(client, handler, manager):
    complaint, _ = make_complaint()
    Notification.objects.bulk_create(
        Notification(
            recipient=handler,
            kind="assigned",
            complaint=complaint,
            created_at=complaint.received_at,
        )
        for _ in range(120)
    )
    client.force_login(handler)
    assert "99+ unread" in client.get("/staff/notifications/").content.decode()


def test_opening_marks_read_and_goes_to_the_case(client, handler, manager):
    [case] = assign_cases(1, handler, manager)
    notification = Notification.objects.get()
    client.force_login(handler)
    response = client.post(f"/staff/notifications/{notification.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/complaints/{case.reference}/"
    assert Notification.objects.get().read_at is not None
    assert "unread-count" not in client.get(response["Location"]).content.decode()


def test_opening_needs_a_post(client, handler, manager):
    assign_cases(1, handler, manager)
    client.force_login(handler)
    notification = Notification.objects.get()
    assert client.get(f"/staff/notifications/{notification.pk}/open/").status_code == 405


def test_mark_read_and_mark_all_read(client, handler, manager):
    assign_cases(3, handler, manager)
    client.force_login(handler)
    first = Notification.objects.order_by("id").first()
    client.post(f"/staff/notifications/{first.pk}/read/")
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    response = client.post("/staff/notifications/read-all/", follow=True)
    assert "2 notifications marked read." in response.content.decode()
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_a_bad_page_cursor_says_so_and_shows_the_first_page(client, handler):
    client.force_login(handler)
    response = client.get("/staff/notifications/?before=abc", follow=True)
    assert response.status_code == 200
    assert "does not exist; here is the first" in response.content.decode()


def test_older_notifications_are_on_the_next_page(client, handler, manager):
    cases = assign_cases(3, handler, manager)
    client.force_login(handler)
    first = client.get("/staff/notifications/?limit=2")
    assert cases[0].reference not in first.content.decode()
    before = first.context["page"].next_before
    older = client.get(f"/staff/notifications/?limit=2&before={before}").content.decode()
    assert cases[0].reference in older and cases[2].reference not in older


def test_anonymous_visitors_sign_in_first(client):
    response = client.get("/staff/notifications/")
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_preferences_are_shown_with_the_defaults_and_saved(client, handler):
    client.force_login(handler)
    page = client.get("/staff/notifications/settings/").content.decode()
    assert 'name="assigned-email" id="id_assigned-email" checked' in page
    assert 'name="new_case-email" id="id_new_case-email" aria' in page  # off by default
    response = client.post(
        "/staff/notifications/settings/",
        {"assigned-in_app": "on", "new_case-in_app": "on", "new_case-email": "on"},
        follow=True,
    )
    assert "Your notification choices are saved." in response.content.decode()
    chosen = {p.kind: (p.in_app, p.email) for p in Preference.objects.filter(user=handler)}
    assert chosen == {
        "new_case": (True, True),
        "assigned": (True, False),
        "complainant_wrote": (False, False),
        "promise_at_risk": (False, False),
        # the corrective-action and dispute kinds (in the app only) were left unticked too
        "ca_action_due": (False, False),
        "ca_action_overdue": (False, False),
        "ca_check_due": (False, False),
        "ca_check_overdue": (False, False),
        "dispute_neutral": (False, False),  # a neutral's request or conflict (disputes)
        "dispute_obligation_overdue": (False, False),
    }


def test_only_managers_and_admins_set_the_teams_categories(client, handler, manager):
    team = Team.objects.create(name="Billing desk")
    billing = CategoryFactory(code="billing", name="Billing")
    client.force_login(handler)
    refused = client.get("/staff/notifications/teams/")
    assert refused.status_code == 403
    assert "Only managers and admins decide" in refused.content.decode()
    client.force_login(manager)
    assert "Billing desk" in client.get("/staff/notifications/teams/").content.decode()
    response = client.post(
        "/staff/notifications/teams/", {f"team-{team.pk}": [str(billing.pk)]}, follow=True
    )
    assert "The teams&#x27; categories are saved." in response.content.decode()
    assert list(TeamCategory.objects.values_list("team_id", "category_id")) == [
        (team.pk, billing.pk)
    ]
    bad = client.post("/staff/notifications/teams/", {f"team-{team.pk}": ["999999"]})
    assert bad.status_code == 422 and "There is a problem" in bad.content.decode()


def test_the_pages_answer_only_the_methods_they_serve(client, handler, admin_user):
    client.force_login(handler)
    assert client.post("/staff/notifications/").status_code == 405
    assert client.put("/staff/notifications/settings/").status_code == 405
    client.force_login(admin_user)
    assert client.delete("/staff/notifications/teams/").status_code == 405


def _give_up(complaint, error: str) -> None:
    from plaint.core.models import OutboundEmail

    OutboundEmail.objects.filter(complaint=complaint).update(
        status=OutboundEmail.Status.FAILED, attempts=1, last_error=error
    )


def test_undelivered_mails_are_listed_for_managers_with_their_reason_and_case(
    client, manager, django_assert_max_num_queries
):
    cases = [make_complaint(email=f"gone{i}@example.org")[0] for i in range(3)]
    for case in cases:
        _give_up(case, "SMTPRecipientsRefused: 550 5.1.1 No such mailbox")
    make_complaint(email="fine@example.org")  # delivered: not listed
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        response = client.get("/staff/notifications/undelivered/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "3 undelivered mails." in text and "550 5.1.1 No such mailbox" in text
    assert all(
        f"gone{i}@example.org" in text and case.reference in text for i, case in enumerate(cases)
    )
    assert "fine@example.org" not in text
    # newest first, in pages
    second_page = client.get("/staff/notifications/undelivered/?limit=2").content.decode()
    assert "gone2@example.org" in second_page and "gone0@example.org" not in second_page
    assert "Older mails" in second_page


def test_undelivered_mails_are_for_managers_and_admins_only(client, handler, manager):
    client.force_login(handler)
    response = client.get("/staff/notifications/undelivered/")
    assert response.status_code == 403
    assert "Only managers and admins see undelivered mails." in response.content.decode()
    client.force_login(manager)
    assert (
        "Every mail was delivered."
        in client.get("/staff/notifications/undelivered/").content.decode()
    )
    assert client.get("/staff/notifications/undelivered/?before=x").status_code == 302


def test_the_settings_page_links_the_undelivered_mails(client, admin_user):
    client.force_login(admin_user)
    assert "/staff/notifications/undelivered/" in client.get("/staff/settings/").content.decode()
