"""In-app notifications of corrective actions: an action due soon or overdue, the effectiveness
check due or overdue — to the action's owner, the corrective action's owner and the manager who
opened it, once each however many times the worker sweeps; shown in the list and the header's
count, opening the corrective action."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from plaint.core.actors import Actor
from plaint.core.events import HousekeepingDue, publish_isolated
from plaint.core.models import AuditEvent
from plaint.improvement import services as s
from plaint.improvement.models import CorrectiveAction
from plaint.notifications.models import Kind, Notification
from plaint.notifications.selectors import unread_count
from plaint.notifications.services import preferences_set
from tests.factories import CategoryFactory, UserFactory
from tests.improvement.helpers import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return UserFactory(username="olga", role="handler")


@pytest.fixture
def acting(manager, handler, owner):
    """Opened by ``manager``, owned by ``owner``; one action of ``handler`` due 10 April."""
    category = CategoryFactory(code="delivery", name="Delivery")
    m = Actor.staff(manager)
    with time_machine.travel(at(2026, 4, 1), tick=False):
        ca = s.corrective_action_open(
            actor=m,
            title="Late parcels",
            problem="Late parcels",
            source="manual",
            owner_id=owner.pk,
            indicator={"kind": "received", "category": category.pk},
            comparison="le",
            target=0,
            window_months=1,
        )
        s.corrective_action_cause_record(actor=m, ca_id=ca.pk, whys=["w"], root_cause="c")
        action = s.planned_action_add(
            actor=m,
            ca_id=ca.pk,
            description="Fix the route",
            owner_id=handler.pk,
            due_on=dt.date(2026, 4, 10),
        )
        s.corrective_action_actions_start(actor=m, ca_id=ca.pk)
    return ca, action


def _told(kind: str) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def _sweep(when: dt.datetime, times: int = 2) -> None:
    with time_machine.travel(when, tick=False):
        for _ in range(times):  # as two workers, or two passes, would
            publish_isolated(HousekeepingDue())


def test_an_action_due_soon_and_then_overdue_tells_the_owners_and_the_manager_once(
    acting, manager, handler, owner
):
    _sweep(at(2026, 4, 7))
    assert _told(Kind.CA_ACTION_DUE) == sorted([handler.username, owner.username, manager.username])
    _sweep(at(2026, 4, 11))
    assert _told(Kind.CA_ACTION_OVERDUE) == sorted(
        [handler.username, owner.username, manager.username]
    )
    assert Notification.objects.count() == 6
    notice = Notification.objects.filter(recipient=handler, kind=Kind.CA_ACTION_OVERDUE).get()
    assert notice.complaint is None and notice.subject_ref == f"CA-{acting[0].pk}"
    assert notice.subject_title == "Late parcels"
    assert notice.subject_path == f"/staff/improvement/corrective-actions/{acting[0].pk}/"
    assert unread_count(user=handler) == 2


def test_the_check_due_then_overdue_tells_the_owner_and_the_manager_once(acting, manager, handler):
    ca, action = acting
    with time_machine.travel(at(2026, 4, 5), tick=False):
        s.planned_action_done(actor=Actor.staff(handler), action_id=action.pk)
    # The check reads May and is due on 1 June: told three days before, once.
    _sweep(at(2026, 5, 28))
    assert _told(Kind.CA_CHECK_DUE) == []
    _sweep(at(2026, 5, 29))
    assert _told(Kind.CA_CHECK_DUE) == sorted([manager.username, "olga"])
    # The sweep cannot run it (its indicator's category is gone): overdue the day after, once.
    CorrectiveAction.objects.filter(pk=ca.pk).update(
        indicator={"kind": "received", "category": 999}
    )
    _sweep(at(2026, 6, 1))
    assert _told(Kind.CA_CHECK_OVERDUE) == []
    _sweep(at(2026, 6, 2))
    assert _told(Kind.CA_CHECK_OVERDUE) == sorted([manager.username, "olga"])
    _sweep(at(2026, 6, 9))
    assert Notification.objects.filter(kind=Kind.CA_CHECK_OVERDUE).count() == 2
    actions = list(AuditEvent.objects.filter(case_id=ca.pk).values_list("action", flat=True))
    assert actions.count("check_reminded") == 1 and actions.count("check_overdue") == 1


def test_a_check_the_sweep_runs_on_its_day_is_never_overdue(acting, handler):
    with time_machine.travel(at(2026, 4, 5), tick=False):
        s.planned_action_done(actor=Actor.staff(handler), action_id=acting[1].pk)
    _sweep(at(2026, 6, 3))  # the worker was down on the day: it runs it now
    assert CorrectiveAction.objects.get(pk=acting[0].pk).checked_at is not None
    assert _told(Kind.CA_CHECK_OVERDUE) == []


def test_a_person_who_turned_the_kind_off_is_not_told(acting, manager, handler, owner):
    preferences_set(actor=Actor.staff(handler), choices={Kind.CA_ACTION_DUE: (False, True)})
    _sweep(at(2026, 4, 7))
    assert _told(Kind.CA_ACTION_DUE) == sorted([owner.username, manager.username])


def test_the_list_shows_it_and_opening_it_goes_to_the_corrective_action(client, acting, handler):
    _sweep(at(2026, 4, 11))
    client.force_login(handler)
    page = client.get("/staff/notifications/").content.decode()
    assert "A corrective-action step overdue" in page and f"CA-{acting[0].pk}" in page
    notice = Notification.objects.get(recipient=handler, kind=Kind.CA_ACTION_OVERDUE)
    opened = client.post(f"/staff/notifications/{notice.pk}/open/")
    assert opened.status_code == 302
    assert opened["Location"] == f"/staff/improvement/corrective-actions/{acting[0].pk}/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_the_preferences_page_offers_these_in_the_app_only(client, handler):
    client.force_login(handler)
    page = client.get("/staff/notifications/settings/").content.decode()
    assert 'name="ca_check_overdue-in_app"' in page
    assert 'name="ca_check_overdue-email"' not in page
    assert "Mailed by the corrective-action reminders" in page
