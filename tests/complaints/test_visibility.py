"""Who sees which case (``complaints.visibility``): team visibility as the organisation's setting,
restricted categories with named readers, and what follows from them — a foreign case is not
found, cannot be given to someone who may not read it, costs the queue no statement more."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaint.accounts.models import Team
from plaint.complaints import services
from plaint.complaints.selectors import QueueFilters, complaint_get, complaint_list
from plaint.complaints.visibility import can_read_case, visibility_narrows
from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, NotFound, ValidationFailed
from plaint.core.models import AuditEvent
from plaint.organisation.services import organisation_update
from tests.factories import CategoryFactory, UserFactory, make_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams(admin_user):
    """Team A's case, team B's case, a case with no team, and a handler in each team."""
    a, b = Team.objects.create(name="A"), Team.objects.create(name="B")
    people = {
        "a": UserFactory(username="anna", role="handler", team=a),
        "b": UserFactory(username="bert", role="handler", team=b),
    }
    cases = {}
    for name, team in (("a", a), ("b", b), ("none", None)):
        complaint, _ = make_complaint(subject=f"Case of {name}")
        if team is not None:
            services.complaint_assign(
                complaint_id=complaint.pk,
                actor=Actor.staff(admin_user),
                assignee_id=None,
                team_id=team.pk,
            )
        cases[name] = complaint
    return people, cases


def _listed(user) -> set[str]:
    return {c.subject for c in complaint_list(actor=user, filters=QueueFilters()).items}


def _switch(on: bool, by) -> None:
    organisation_update(actor=Actor.staff(by), team_visibility=on)


def test_off_everyone_reads_every_case_on_a_handler_reads_their_team_and_the_intake(
    teams, manager, auditor, admin_user
):
    people, cases = teams
    every = {"Case of a", "Case of b", "Case of none"}
    assert _listed(people["b"]) == every and not visibility_narrows()
    _switch(True, manager)
    assert visibility_narrows()
    assert _listed(people["a"]) == {"Case of a", "Case of none"}
    assert _listed(people["b"]) == {"Case of b", "Case of none"}
    for organisation_wide in (manager, auditor, admin_user):
        assert _listed(organisation_wide) == every
    with pytest.raises(NotFound):
        complaint_get(actor=people["b"], reference=cases["a"].reference)
    with pytest.raises(NotFound):  # by id too
        complaint_get(actor=people["b"], reference=str(cases["a"].pk))
    _switch(False, manager)
    assert _listed(people["b"]) == every


def test_a_handler_reads_the_case_given_to_them_from_another_team(teams, manager):
    people, cases = teams
    _switch(True, manager)
    services.complaint_assign(
        complaint_id=cases["a"].pk,
        actor=Actor.staff(manager),
        assignee_id=people["b"].pk,
        team_id=cases["a"].team_id,
    )
    assert can_read_case(people["b"], cases["a"])
    assert "Case of a" in _listed(people["b"])


def test_a_foreign_case_is_a_not_found_page_not_a_refusal(client, teams, manager):
    people, cases = teams
    _switch(True, manager)
    client.force_login(people["b"])
    case = f"/staff/complaints/{cases['a'].reference}/"
    response = client.get(case)
    assert response.status_code == 404
    assert "No such complaint." in response.content.decode()
    attachment = client.get(f"{case}attachments/1/")
    assert attachment.status_code == 404
    assert client.get(f"/staff/complaints/{cases['b'].reference}/").status_code == 200


def test_a_restricted_category_is_read_by_its_readers_only_whatever_their_role(
    teams, manager, admin_user, auditor
):
    people, _cases = teams
    health = CategoryFactory(code="health", name="Health")
    case, _ = make_complaint(subject="Sick after the meal", category="health")
    services.category_access_set(
        actor=Actor.staff(admin_user),
        category_id=health.pk,
        restricted=True,
        reader_ids=[people["b"].pk],
    )
    for outsider in (manager, admin_user, auditor, people["a"]):
        assert not can_read_case(outsider, case)
        assert "Sick after the meal" not in _listed(outsider)
    assert can_read_case(people["b"], case)
    _switch(True, manager)  # a named reader reads it whatever its team
    services.complaint_assign(
        complaint_id=case.pk,
        actor=Actor.staff(people["b"]),
        assignee_id=None,
        team_id=people["a"].team_id,
    )
    assert can_read_case(people["b"], case)


def test_a_restricted_case_cannot_be_given_to_someone_who_may_not_read_it(teams, admin_user):
    people, _cases = teams
    health = CategoryFactory(code="health", name="Health")
    case, _ = make_complaint(category="health")
    actor = Actor.staff(admin_user)
    services.category_access_set(
        actor=actor, category_id=health.pk, restricted=True, reader_ids=[people["b"].pk]
    )
    with pytest.raises(ValidationFailed) as refused:
        services.complaint_assign(complaint_id=case.pk, actor=actor, assignee_id=people["a"].pk)
    assert refused.value.fields == {"assignee": ["Not a reader of this restricted category."]}
    services.complaint_assign(complaint_id=case.pk, actor=actor, assignee_id=people["b"].pk)


def test_naming_readers_is_for_managers_and_admins_is_checked_and_audited(
    manager, handler, auditor
):
    health = CategoryFactory(code="health", name="Health")
    with pytest.raises(NotAllowed):
        services.category_access_set(
            actor=Actor.staff(handler), category_id=health.pk, restricted=True, reader_ids=[]
        )
    with pytest.raises(ValidationFailed) as nobody:
        services.category_access_set(
            actor=Actor.staff(manager), category_id=health.pk, restricted=True, reader_ids=[]
        )
    assert nobody.value.fields == {"readers": ["Choose at least one reader."]}
    gone = UserFactory(username="gone", is_active=False)
    with pytest.raises(ValidationFailed):
        services.category_access_set(
            actor=Actor.staff(manager), category_id=health.pk, restricted=True, reader_ids=[gone.pk]
        )
    services.category_access_set(
        actor=Actor.staff(manager), category_id=health.pk, restricted=True, reader_ids=[auditor.pk]
    )
    event = AuditEvent.objects.get(case_type="category", case_id=health.pk)
    assert event.action == "access_changed" and event.actor_id == manager.pk
    assert event.data == {
        "before": {"restricted": False, "readers": []},
        "after": {"restricted": True, "readers": [auditor.pk]},
    }
    with pytest.raises(NotFound):
        services.category_access_set(
            actor=Actor.staff(manager), category_id=999, restricted=False, reader_ids=[]
        )


def test_a_bulk_action_finds_no_foreign_case(client, teams, manager):
    people, cases = teams
    _switch(True, manager)
    client.force_login(people["b"])
    response = client.post(
        "/staff/bulk/",
        {
            "bulk-case": [cases["a"].reference, cases["b"].reference],
            "bulk-action": "note",
            "bulk-body": "Checked.",
            "confirm": "yes",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "No such complaint." in body
    assert cases["a"].messages.count() == 0 and cases["b"].messages.count() == 1


def _queue_statements(client, limit: int) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/staff/", {"sort": "newest", "limit": limit}).status_code == 200
    return len(ctx.captured_queries)


def test_the_queue_costs_the_same_statements_with_the_rule_on_and_at_any_page_size(
    client, teams, manager
):
    people, _cases = teams
    for _ in range(4):
        make_complaint()
    client.force_login(people["b"])
    _queue_statements(client, 2)  # warm the session and the configuration cache
    off = _queue_statements(client, 2)
    _switch(True, manager)
    health = CategoryFactory(code="health")
    services.category_access_set(
        actor=Actor.staff(manager), category_id=health.pk, restricted=True, reader_ids=[manager.pk]
    )
    _queue_statements(client, 2)  # the configuration changed: read once more
    assert _queue_statements(client, 2) == off == _queue_statements(client, 50)


def test_the_setting_is_on_the_settings_page(client, manager):
    client.force_login(manager)
    page = client.get("/staff/settings/").content.decode()
    assert "Handlers see only their own team&#x27;s cases" in page
    form = {
        "org-name": "Plaint",
        "org-country": "EE",
        "org-timezone": "Europe/Tallinn",
        "org-acknowledgement_business_days": 2,
        "org-response_business_days": 20,
        "org-no_answer_close_days": 14,
        "org-team_visibility": "on",
    }
    assert client.post("/staff/settings/", form).status_code == 302
    assert visibility_narrows()
    del form["org-team_visibility"]
    assert client.post("/staff/settings/", form).status_code == 302
    assert not visibility_narrows()


def test_the_categories_page_names_the_readers(client, manager, auditor):
    health = CategoryFactory(code="health", name="Health")
    client.force_login(manager)
    url = f"/staff/settings/categories/{health.pk}/"
    assert client.post(url, {"restricted": "on"}).status_code == 422
    response = client.post(url, {"restricted": "on", "readers": [auditor.pk]})
    assert response.status_code == 302
    listing = client.get("/staff/settings/categories/").content.decode()
    assert "Restricted" in listing and str(auditor) in listing
    assert client.get("/staff/settings/categories/999/").status_code == 404


def test_the_cached_rule_and_the_rule_in_sql_agree(teams, manager, auditor, admin_user):
    """Pages take the rule's configuration from the cache, other callers read it in SQL: both
    give each person the same cases, with the setting off and on, with a restricted category."""
    from plaint.complaints.visibility import visibility_known, visible_complaints
    from plaint.core.selectors import config_token

    people, _cases = teams
    health = CategoryFactory(code="health")
    make_complaint(category="health")
    services.category_access_set(
        actor=Actor.staff(manager), category_id=health.pk, restricted=True, reader_ids=[auditor.pk]
    )
    everyone = [*people.values(), manager, auditor, admin_user]
    for on in (False, True):
        _switch(on, manager)
        known = visibility_known(token=config_token())
        assert known.team_visibility is on and known.readers == {health.pk: {auditor.pk}}
        for person in everyone:
            cached = set(visible_complaints(person, known=known).values_list("pk", flat=True))
            in_sql = set(visible_complaints(person).values_list("pk", flat=True))
            assert cached == in_sql, (person, on)
    assert len(set(visible_complaints(people["a"], known=known))) == 2  # its team's, the intake
