"""The queue's views: built-in ones, saved and shared ones, the last view remembered per person,
and the filters the built-in views need (safety issues, due by the end of the week)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plaint.accounts.models import Team
from plaint.accounts.services import api_token_create
from plaint.complaints.models import Complaint, QueuePreference, SavedView
from plaint.complaints.queue_views import BUILTIN_VIEWS, canonical_query
from plaint.complaints.selectors import QueueFilters, complaint_list, due_by
from plaint.complaints.services import complaint_assess, saved_view_create
from plaint.complaints.states import OPEN
from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed
from tests.factories import UserFactory, advance, make_complaint

pytestmark = pytest.mark.django_db


def _refs(response) -> set[str]:
    return {c.reference for c in response.context["page"].items}


def _view(name: str):
    return next(v for v in BUILTIN_VIEWS if str(v.name) == name)


# --- built-in views ------------------------------------------------------------------------------


def test_every_member_of_staff_sees_the_built_in_views(client, personas):
    for user in personas.values():
        client.force_login(user)
        body = client.get("/staff/?sort=newest").content.decode()
        for name in ("All complaints", "My open cases", "Due this week", "Safety issues"):
            assert f">{name}</a>" in body, (user.role, name)


def test_my_open_cases_is_assigned_to_me_and_open(client, handler, other_handler):
    mine, _ = make_complaint(subject="Mine")
    theirs, _ = make_complaint(subject="Theirs")
    closed, _ = make_complaint(subject="Mine but closed")
    for complaint, person in ((mine, handler), (theirs, other_handler), (closed, handler)):
        complaint_assess(
            complaint_id=complaint.pk,
            actor=Actor.staff(handler),
            severity="low",
            assignee_id=person.pk,
        )
    advance(Complaint.objects.get(pk=closed.pk), "closed", by=handler)
    client.force_login(handler)
    response = client.get("/staff/?" + _view("My open cases").query)
    assert _refs(response) == {mine.reference}
    # the chosen view is marked as the current one
    assert 'aria-current="page">My open cases<' in response.content.decode()


def test_safety_issues_view(client, handler):
    safe, _ = make_complaint(subject="Ordinary")
    unsafe, _ = make_complaint(subject="Sparks from the kettle")
    complaint_assess(
        complaint_id=unsafe.pk, actor=Actor.staff(handler), severity="high", safety_issue=True
    )
    client.force_login(handler)
    assert _refs(client.get("/staff/?" + _view("Safety issues").query)) == {unsafe.reference}
    assert _refs(client.get("/staff/?safety=on")) == {unsafe.reference}
    assert safe.reference in _refs(client.get("/staff/?sort=newest"))


def test_due_this_week_counts_to_sunday_night_in_the_organisations_zone(client, handler):
    zone = ZoneInfo("Europe/Tallinn")
    wednesday = dt.datetime(2026, 12, 2, 10, 0, tzinfo=zone)
    with time_machine.travel(wednesday, tick=False):
        friday, _ = make_complaint(subject="Due Friday")
        tuesday, _ = make_complaint(subject="Due next Tuesday")
        late, _ = make_complaint(subject="Already late")
        paused, _ = make_complaint(subject="Clock stopped")
        dates = {
            friday: dt.datetime(2026, 12, 4, 16, 0, tzinfo=zone),
            tuesday: dt.datetime(2026, 12, 8, 16, 0, tzinfo=zone),
            late: dt.datetime(2026, 11, 30, 16, 0, tzinfo=zone),
            paused: dt.datetime(2026, 12, 3, 16, 0, tzinfo=zone),
        }
        for complaint, due in dates.items():
            Complaint.objects.filter(pk=complaint.pk).update(response_due_at=due)
        Complaint.objects.filter(pk=paused.pk).update(response_paused=True)
        with timezone.override(zone):
            assert due_by("week") == dt.datetime(2026, 12, 7, 0, 0, tzinfo=zone)
            assert due_by("today") == dt.datetime(2026, 12, 3, 0, 0, tzinfo=zone)
        page = complaint_list(actor=handler, filters=QueueFilters(due="week"))
        assert {c.reference for c in page.items} == {friday.reference, late.reference}
        client.force_login(handler)
        response = client.get("/staff/?" + _view("Due this week").query)
        assert _refs(response) == {friday.reference, late.reference}


def test_an_unknown_due_window_is_an_error_next_to_the_filter(client, handler):
    client.force_login(handler)
    response = client.get("/staff/?due=month")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


# --- saving, sharing, renaming, deleting ---------------------------------------------------------


def test_a_handler_saves_the_current_filters_under_a_name(client, handler, other_handler):
    client.force_login(handler)
    response = client.post(
        "/staff/views/new/",
        {"view-name": "  Billing  waiting ", "view-query": "state=received&limit=5&q=&sort=newest"},
    )
    assert response.status_code == 302
    view = SavedView.objects.get()
    assert (view.name, view.owner, view.team, view.query) == (
        "Billing waiting",
        handler,
        None,
        "state=received",
    )
    assert urlsplit(response["Location"]).query == "state=received"
    listed = client.get("/staff/?state=received")
    assert 'aria-current="page">Billing waiting<' in listed.content.decode()
    client.force_login(other_handler)
    assert "Billing waiting" not in client.get("/staff/?sort=newest").content.decode()


def test_saving_refuses_a_missing_name_and_filters_the_queue_would_refuse(client, handler):
    client.force_login(handler)
    response = client.post("/staff/views/new/", {"view-name": "", "view-query": "state=received"})
    assert response.status_code == 422
    assert "This field is required" in response.content.decode()
    response = client.post("/staff/views/new/", {"view-name": "Odd", "view-query": "state=nope"})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not SavedView.objects.exists()


def test_a_manager_shares_a_view_with_a_team_and_only_that_team_sees_it(
    client, manager, handler, other_handler
):
    care = Team.objects.create(name="Care")
    billing = Team.objects.create(name="Billing")
    handler.team = care
    handler.save(update_fields=["team"])
    other_handler.team = billing
    other_handler.save(update_fields=["team"])
    client.force_login(manager)
    response = client.post(
        "/staff/views/new/",
        {"view-name": "Care backlog", "view-query": f"team={care.pk}", "view-team": care.pk},
    )
    assert response.status_code == 302
    assert SavedView.objects.get().team == care
    client.force_login(handler)
    body = client.get("/staff/?sort=newest").content.decode()
    assert "Care backlog" in body and "team Care" in body
    client.force_login(other_handler)
    assert "Care backlog" not in client.get("/staff/?sort=newest").content.decode()


def test_a_handler_cannot_share_with_a_team(client, handler):
    care = Team.objects.create(name="Care")
    with pytest.raises(NotAllowed):
        saved_view_create(user=handler, name="Mine", query="", team_id=care.pk)
    client.force_login(handler)
    # the page offers no team to a handler; a team posted anyway is not taken
    assert 'name="view-team"' not in client.get("/staff/?sort=newest").content.decode()
    client.post("/staff/views/new/", {"view-name": "Mine", "view-query": "", "view-team": care.pk})
    assert SavedView.objects.get().team is None


def test_rename_and_delete_own_view_after_a_confirmation(client, handler):
    view = saved_view_create(user=handler, name="Old", query="severity=high")
    client.force_login(handler)
    page = client.get("/staff/views/")
    assert page.status_code == 200 and "Old" in page.content.decode()
    response = client.post(f"/staff/views/{view.pk}/", {f"v{view.pk}-name": "New name"})
    assert response.status_code == 302
    view.refresh_from_db()
    assert view.name == "New name"
    confirm = client.post(f"/staff/views/{view.pk}/delete/")
    assert confirm.status_code == 200
    assert "Delete the view “New name”" in confirm.content.decode()
    assert SavedView.objects.filter(pk=view.pk).exists()  # asked, nothing done
    client.post(f"/staff/views/{view.pk}/delete/", {"confirm": "yes"})
    assert not SavedView.objects.filter(pk=view.pk).exists()


def test_nobody_changes_someone_elses_view(client, handler, other_handler, manager):
    care = Team.objects.create(name="Care")
    private = saved_view_create(user=other_handler, name="Olga's", query="")
    shared = saved_view_create(user=manager, name="Team", query="", team_id=care.pk)
    client.force_login(handler)
    assert (
        client.post(f"/staff/views/{private.pk}/", {f"v{private.pk}-name": "X"}).status_code == 404
    )
    assert client.post(f"/staff/views/{private.pk}/delete/", {"confirm": "yes"}).status_code == 404
    refused = client.post(f"/staff/views/{shared.pk}/delete/", {"confirm": "yes"})
    assert refused.status_code == 403
    assert SavedView.objects.count() == 2
    # another manager may look after a team's view
    client.force_login(UserFactory(username="mona", role="manager"))
    client.post(f"/staff/views/{shared.pk}/", {f"v{shared.pk}-name": "Care, renamed"})
    shared.refresh_from_db()
    assert shared.name == "Care, renamed"


def test_a_name_too_long_is_refused_with_a_message(client, handler):
    view = saved_view_create(user=handler, name="Short", query="")
    client.force_login(handler)
    response = client.post(f"/staff/views/{view.pk}/", {f"v{view.pk}-name": "x" * 101}, follow=True)
    assert "at most 100 characters" in response.content.decode()
    view.refresh_from_db()
    assert view.name == "Short"


# --- the last view, remembered per person --------------------------------------------------------


def test_the_queue_remembers_the_last_view_per_person(client, handler, other_handler):
    client.force_login(handler)
    client.get("/staff/?state=received&sort=oldest&cursor=&limit=10")
    assert QueuePreference.objects.get(user=handler).last_query == "sort=oldest&state=received"
    response = client.get("/staff/")
    assert response.status_code == 302
    assert dict(parse_qsl(urlsplit(response["Location"]).query)) == {
        "sort": "oldest",
        "state": "received",
    }
    # on another device (a new session) too: the memory is the person's, not a cookie's
    client.logout()
    client.force_login(handler)
    assert client.get("/staff/").status_code == 302
    # someone else's queue is theirs
    client.force_login(other_handler)
    assert client.get("/staff/").status_code == 200
    # "All complaints" (and "Clear filters") is a view too: remembered as no filters
    client.force_login(handler)
    client.get("/staff/?sort=newest")
    assert QueuePreference.objects.get(user=handler).last_query == ""
    assert client.get("/staff/").status_code == 200


def test_filters_with_errors_are_not_remembered(client, handler):
    client.force_login(handler)
    client.get("/staff/?state=received")
    client.get("/staff/?state=nope")
    assert QueuePreference.objects.get(user=handler).last_query == "state=received"


def test_the_same_view_again_writes_nothing(client, handler):
    client.force_login(handler)
    client.get("/staff/?state=received")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/staff/?state=received")
    assert not [q for q in ctx.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]


def test_canonical_query_ignores_order_empties_pages_and_the_default_sort():
    a = canonical_query([("state", "received"), ("q", ""), ("cursor", "x"), ("sort", "newest")])
    b = canonical_query([("sort", "newest"), ("state", "received"), ("limit", "5")])
    assert a == b == "state=received"
    assert canonical_query([("sort", "oldest"), ("assignee", "me")]) == "assignee=me&sort=oldest"


def test_built_in_views_list_every_open_state():
    states = dict(parse_qsl(_view("My open cases").query, keep_blank_values=True))
    assert states["assignee"] == "me"
    listed = {value for key, value in parse_qsl(_view("My open cases").query) if key == "state"}
    assert listed == {state.value for state in OPEN}


# --- statements ----------------------------------------------------------------------------------


def test_the_queue_runs_the_same_statements_for_one_saved_view_or_twenty(client, handler):
    care = Team.objects.create(name="Care")
    handler.team = care
    handler.save(update_fields=["team"])
    for i in range(30):
        make_complaint(subject=f"Complaint {i}")
    client.force_login(handler)
    saved_view_create(user=handler, name="One", query="state=received")
    client.get("/staff/?limit=5")
    counts = []
    for views, limit in ((1, 5), (20, 30)):
        while SavedView.objects.count() < views:
            saved_view_create(user=handler, name=f"View {SavedView.objects.count()}", query="")
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/staff/?limit={limit}")
        assert len(response.context["page"].items) == limit
        assert len(response.context["views"]) == len(BUILTIN_VIEWS) + views
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_the_api_lists_with_the_same_two_filters(client, handler):

    ordinary, _ = make_complaint(subject="Ordinary")
    unsafe, _ = make_complaint(subject="Sparks")
    complaint_assess(
        complaint_id=unsafe.pk, actor=Actor.staff(handler), severity="high", safety_issue=True
    )
    Complaint.objects.filter(pk=ordinary.pk).update(response_due_at=timezone.now())
    _, secret = api_token_create(user=handler, name="test")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def ids(params: str) -> set[int]:
        response = client.get(f"/api/v1/complaints?{params}", **headers)
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["items"]}

    assert ids("safety=true") == {unsafe.pk}
    assert ids("due=today") == {ordinary.pk}
    assert client.get("/api/v1/complaints?due=month", **headers).status_code == 422
