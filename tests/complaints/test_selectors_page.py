"""How the case page reads its complaint (``complaint_get(case_page=True)``): its category, team
and people by name only, the names those of the related rows; through one query kept per
process (``case_page_complaints``), narrowed to each reader and case at every read."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.test import Client

from plaint.accounts.models import Team
from plaint.complaints import services
from plaint.complaints.models import Complaint
from plaint.complaints.selectors import complaint_get
from plaint.complaints.selectors_page import CaseNames, case_names, case_page_complaints
from plaint.complaints.visibility import Known, visible_complaints
from plaint.core.actors import Actor
from plaint.core.errors import NotFound
from plaint.organisation.services import organisation_update
from tests.factories import CategoryFactory, UserFactory, advance, make_complaint

pytestmark = pytest.mark.django_db


def _both(actor, complaint) -> tuple[CaseNames, CaseNames]:
    ref = complaint.reference
    return (
        case_names(complaint_get(actor=actor, reference=ref, case_page=True)),
        case_names(complaint_get(actor=actor, reference=ref)),
    )


def test_names_read_as_columns_are_those_of_the_related_rows(manager):
    complaint, _ = make_complaint()
    handler = UserFactory(username="kadri", role="handler", first_name="Kadri", last_name="Kask")
    decider = UserFactory(username="jaan", role="manager")  # no full name: the user name
    team = Team.objects.create(name="Customer care")
    category = CategoryFactory(code="billing", name="Billing")
    Complaint.objects.filter(pk=complaint.pk).update(
        assignee=handler, team=team, category=category, decided_by=decider
    )
    by_columns, by_rows = _both(manager, complaint)
    assert by_columns == by_rows == CaseNames("Billing", "Customer care", "Kadri Kask", "jaan")


def test_a_case_without_them_has_empty_names(manager, handler):
    complaint, _ = make_complaint()
    by_columns, by_rows = _both(manager, complaint)
    assert by_columns == by_rows == CaseNames("", "", "", "")
    advance(complaint, "decision_communicated", by=handler)
    by_columns, by_rows = _both(manager, complaint)
    assert by_columns == by_rows
    assert by_columns.decided_by == str(handler)


def test_one_query_kept_for_the_case_page_still_narrows_to_each_reader(admin_user, manager):
    """The case page's query is built once per process (``case_page_complaints``); who may read
    which case is still applied at each read: the setting changed after the first read counts,
    and one reader's view does not open a case to the next."""
    team_a, team_b = Team.objects.create(name="A"), Team.objects.create(name="B")
    anna = UserFactory(username="anna", role="handler", team=team_a)
    bert = UserFactory(username="bert", role="handler", team=team_b)
    complaint, _ = make_complaint(subject="Case of team A")
    assign = Actor.staff(admin_user)
    services.complaint_assign(
        complaint_id=complaint.pk, actor=assign, assignee_id=None, team_id=team_a.pk
    )
    client = Client()
    path = f"/staff/complaints/{complaint.reference}/"
    for reader in (anna, bert):  # the setting off: both read it
        client.force_login(reader)
        assert client.get(path).status_code == 200
    organisation_update(actor=Actor.staff(manager), team_visibility=True)
    client.force_login(anna)
    assert client.get(path).status_code == 200
    client.force_login(bert)
    assert client.get(path).status_code == 404
    with pytest.raises(NotFound):
        complaint_get(actor=bert, reference=complaint.reference, case_page=True)
    assert case_page_complaints() is case_page_complaints()
    read = complaint_get(actor=anna, reference=complaint.reference, case_page=True)
    assert read.pk == complaint.pk and read.team_name == "A" and read.history_head


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_threads_reading_through_the_kept_query_each_get_their_own_case(handler):
    """Server threads share ``case_page_complaints``: each read narrows a copy of it, so
    concurrent reads of different cases, with and without a narrowing rule, get each their own
    case, and the kept query's SQL stays as it was."""
    references = [make_complaint(subject=f"Case {n}")[0].reference for n in range(5)]
    kept = case_page_complaints()
    before = str(kept.query)
    wrong: list[str] = []

    def read(offset: int) -> None:
        try:
            for i in range(100):
                reference = references[(i + offset) % len(references)]
                # a handler under team visibility: the rule adds a condition to this read only
                known = Known(team_visibility=i % 2 == 0)
                found = visible_complaints(handler, kept, known=known).filter(reference=reference)
                got = [c.reference for c in found[:1]]
                if got != [reference]:
                    wrong.append(f"{reference}: {got}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=read, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
    assert str(kept.query) == before
