"""The case page reads its complaint's category, team and people by name only
(``complaint_get(names_only=True)``): the names it shows are those of the related rows."""

from __future__ import annotations

import pytest

from plaint.accounts.models import Team
from plaint.complaints.models import Complaint
from plaint.complaints.selectors import complaint_get
from plaint.complaints.selectors_page import CaseNames, case_names
from tests.factories import CategoryFactory, UserFactory, advance, make_complaint

pytestmark = pytest.mark.django_db


def _both(actor, complaint) -> tuple[CaseNames, CaseNames]:
    ref = complaint.reference
    return (
        case_names(complaint_get(actor=actor, reference=ref, names_only=True)),
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
