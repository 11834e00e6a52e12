"""Each kind of notification reaches the right people only — not the actor, not people without
access — as each person chose, in the app and by e-mail through the outbox."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from plaint.accounts.models import Team
from plaint.complaints import services as cs
from plaint.core.actors import Actor
from plaint.core.models import OutboundEmail
from plaint.core.worker import housekeeping
from plaint.notifications.models import NewCaseWatermark, Notification
from plaint.notifications.services import (
    new_cases_notify,
    notification_read,
    notifications_read_all,
    preferences_set,
    team_categories_set,
)
from plaint.promises import services as ps
from tests.factories import CategoryFactory, UserFactory, make_complaint
from tests.promises.factories import ACK_2_BD, RESPOND_10_BD, make_code

pytestmark = pytest.mark.django_db


def told(kind: str) -> list[tuple[str, str]]:
    """(recipient's username, case reference) of every notification of ``kind``."""
    return sorted(
        Notification.objects.filter(kind=kind).values_list(
            "recipient__username", "complaint__reference"
        )
    )


def staff_mails() -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(kind="staff_notification").order_by("to", "id"))


# --- a case assigned to me -----------------------------------------------------------------


def test_the_assignee_is_told_in_the_app_and_by_mail(handler, other_handler, manager):
    complaint, _ = make_complaint()
    cs.complaint_assign(
        complaint_id=complaint.pk, actor=Actor.staff(manager), assignee_id=other_handler.pk
    )
    assert told("assigned") == [("olga", complaint.reference)]
    [mail] = staff_mails()
    assert mail.to == other_handler.email
    assert complaint.reference in mail.subject and "assigned to you" in mail.subject
    assert f"/staff/complaints/{complaint.reference}/" in mail.body


def test_a_bulk_assignment_tells_each_case_in_the_app_and_mails_once(manager, other_handler):
    cases = [make_complaint()[0] for _ in range(3)]
    already, _ = make_complaint()  # already hers: not "assigned" again
    cs.complaint_assign(
        complaint_id=already.pk, actor=Actor.staff(manager), assignee_id=other_handler.pk
    )
    OutboundEmail.objects.filter(kind="staff_notification").delete()
    outcome = cs.complaints_bulk_change(
        actor=Actor.staff(manager),
        change=cs.BulkChange(action="assign", assignee=other_handler),
        cases=[(c.reference, None) for c in [*cases, already]],
    )
    assert len(outcome.changed) == 3
    assert [reference for reference, _why in outcome.refused] == [already.reference]
    assert told("assigned") == sorted(("olga", c.reference) for c in [*cases, already])
    [mail] = staff_mails()  # one mail for the three, not one per case
    assert mail.to == other_handler.email
    for complaint in cases:
        assert f"/staff/complaints/{complaint.reference}/" in mail.body
    assert already.reference not in mail.body


def test_nobody_is_told_of_a_case_they_took_themself(handler):
    complaint, _ = make_complaint()
    cs.complaint_assign(
        complaint_id=complaint.pk, actor=Actor.staff(handler), assignee_id=handler.pk
    )
    assert told("assigned") == [] and staff_mails() == []


def test_the_assessment_naming_an_assignee_tells_them(handler, other_handler):
    complaint, _ = make_complaint()
    cs.complaint_assess(
        complaint_id=complaint.pk,
        actor=Actor.staff(handler),
        severity="low",
        assignee_id=other_handler.pk,
    )
    assert told("assigned") == [("olga", complaint.reference)]
    # assessed again with the same assignee: nothing new
    assert Notification.objects.count() == 1


def test_the_mail_is_in_the_persons_language(manager):
    estonian = UserFactory(username="kadri", language="et")
    complaint, _ = make_complaint()
    cs.complaint_assign(
        complaint_id=complaint.pk, actor=Actor.staff(manager), assignee_id=estonian.pk
    )
    [mail] = staff_mails()
    assert mail.language == "et" and mail.subject.startswith("Teile määrati juhtum")


# --- a complainant's reply or new evidence -------------------------------------------------


def test_the_owner_hears_of_the_complainants_reply_and_no_one_else(handler, other_handler, manager):
    complaint, _ = make_complaint()
    cs.complaint_assign(
        complaint_id=complaint.pk, actor=Actor.staff(manager), assignee_id=handler.pk
    )
    Notification.objects.all().delete()
    OutboundEmail.objects.all().delete()
    cs.message_post(complaint_id=complaint.pk, actor=Actor.complainant(), body="Here is the photo.")
    assert told("complainant_wrote") == [("hans", complaint.reference)]
    assert staff_mails() == []  # e-mail is off for replies unless the person turns it on
    # staff messages and notes tell nobody
    cs.message_post(
        complaint_id=complaint.pk, actor=Actor.staff(other_handler), body="Noted.", internal=True
    )
    assert Notification.objects.count() == 1


def test_an_unassigned_case_or_an_inactive_owner_tells_nobody(handler, manager):
    complaint, _ = make_complaint()
    cs.message_post(complaint_id=complaint.pk, actor=Actor.complainant(), body="Any news?")
    assert Notification.objects.count() == 0
    cs.complaint_assign(
        complaint_id=complaint.pk, actor=Actor.staff(manager), assignee_id=handler.pk
    )
    handler.is_active = False
    handler.save(update_fields=["is_active"])
    cs.message_post(complaint_id=complaint.pk, actor=Actor.complainant(), body="Hello?")
    assert told("complainant_wrote") == []


def test_preferences_are_respected(handler, manager, smtp_server, run_jobs):
    preferences_set(actor=Actor.staff(handler), choices={"complainant_wrote": (False, True)})
    complaint, _ = make_complaint()
    cs.complaint_assign(
        complaint_id=complaint.pk, actor=Actor.staff(manager), assignee_id=handler.pk
    )
    cs.message_post(complaint_id=complaint.pk, actor=Actor.complainant(), body="Receipt attached.")
    assert told("complainant_wrote") == []  # not in the app …
    run_jobs()
    delivered = [m for m in smtp_server.messages if handler.email in m.rcpt_tos]
    subjects = sorted(str(m.message["Subject"]) for m in delivered)
    # … but by e-mail, delivered by the real SMTP server: the assignment and the reply
    assert len(subjects) == 2
    assert any("complainant wrote on your case" in s for s in subjects)
    assert any(complaint.reference in m.body for m in delivered)


def test_turning_everything_off_tells_nothing(handler, manager):
    preferences_set(actor=Actor.staff(handler), choices={"assigned": (False, False)})
    complaint, _ = make_complaint()
    cs.complaint_assign(
        complaint_id=complaint.pk, actor=Actor.staff(manager), assignee_id=handler.pk
    )
    assert Notification.objects.count() == 0 and staff_mails() == []


# --- a new case in my team's category ------------------------------------------------------


@pytest.fixture
def billing_team(handler, other_handler, auditor):
    team = Team.objects.create(name="Billing desk")
    outsider = UserFactory(username="otto", role="handler")  # in no team
    gone = UserFactory(username="gone", role="handler", team=team, is_active=False)
    for person in (handler, other_handler, auditor):
        person.team = team
        person.save(update_fields=["team"])
    assert outsider and gone
    return team


def test_a_new_case_tells_the_team_that_looks_after_its_category(billing_team, admin_user, handler):
    billing = CategoryFactory(code="billing")
    CategoryFactory(code="delivery")
    team_categories_set(actor=Actor.staff(admin_user), pairs=[(billing_team.pk, billing.pk)])
    in_billing, _ = make_complaint(category="billing")
    in_delivery, _ = make_complaint(category="delivery")
    no_category, _ = make_complaint()
    housekeeping()  # the worker's pass
    ref = in_billing.reference
    # team members with access (the auditor reads cases too); not the inactive one, not outsiders
    assert told("new_case") == [("aino", ref), ("hans", ref), ("olga", ref)]
    assert staff_mails() == []  # new cases: in the app only, by default
    assert NewCaseWatermark.objects.get().last_complaint_id == no_category.pk
    housekeeping()  # again: nobody is told twice
    assert len(told("new_case")) == 3
    assert in_delivery and no_category


def test_who_logged_a_case_is_not_told_of_it(billing_team, admin_user, handler):
    billing = CategoryFactory(code="billing")
    team_categories_set(actor=Actor.staff(admin_user), pairs=[(billing_team.pk, billing.pk)])
    complaint, _ = make_complaint(channel="phone", actor=Actor.staff(handler), category="billing")
    new_cases_notify()
    assert [who for who, _ref in told("new_case")] == ["aino", "olga"]
    assert complaint


def _watermark() -> NewCaseWatermark:
    """The one watermark row: made by a migration, but a transactional test run before on the same
    worker flushes the tables, so it may have to be made again here."""
    return NewCaseWatermark.objects.first() or NewCaseWatermark.objects.create(last_complaint_id=0)


def test_a_case_that_commits_after_a_higher_id_is_still_told(billing_team, admin_user):
    """Ids are taken before the intake commits: a lower id can appear after a higher one."""
    billing = CategoryFactory(code="billing")
    team_categories_set(actor=Actor.staff(admin_user), pairs=[(billing_team.pk, billing.pk)])
    first, _ = make_complaint(category="billing")
    second, _ = make_complaint(category="billing")
    hidden_id = first.pk
    # as if ``first`` were still in flight when the pass read ``second``
    mark = _watermark()
    mark.last_complaint_id = second.pk
    mark.missing = {str(hidden_id): dt.datetime.now(dt.UTC).isoformat()}
    mark.save()
    new_cases_notify()
    assert {ref for _who, ref in told("new_case")} == {first.reference}
    assert NewCaseWatermark.objects.get().missing == {}


def test_ids_missing_too_long_are_given_up(db):
    mark = _watermark()
    mark.missing = {"999999": "2026-01-01T00:00:00+00:00"}
    mark.save()
    with time_machine.travel(dt.datetime(2026, 1, 1, 0, 20, tzinfo=dt.UTC), tick=False):
        new_cases_notify()
    assert NewCaseWatermark.objects.get().missing == {}


def test_a_gap_in_the_ids_is_remembered_while_it_may_still_fill(billing_team, admin_user):
    billing = CategoryFactory(code="billing")
    team_categories_set(actor=Actor.staff(admin_user), pairs=[(billing_team.pk, billing.pk)])
    complaint, _ = make_complaint(category="billing")
    mark = _watermark()
    mark.last_complaint_id = complaint.pk - 3  # ids complaint.pk-2 and -1 were never seen
    mark.save()
    new_cases_notify()
    assert set(NewCaseWatermark.objects.get().missing) == {
        str(complaint.pk - 2),
        str(complaint.pk - 1),
    }


def test_only_managers_and_admins_set_the_teams_categories_and_it_is_audited(
    handler, manager, billing_team
):
    from plaint.core.errors import NotAllowed, ValidationFailed
    from plaint.core.models import AuditEvent

    billing = CategoryFactory(code="billing")
    with pytest.raises(NotAllowed):
        team_categories_set(actor=Actor.staff(handler), pairs=[])
    with pytest.raises(ValidationFailed):
        team_categories_set(actor=Actor.staff(manager), pairs=[(billing_team.pk, 999_999)])
    team_categories_set(actor=Actor.staff(manager), pairs=[(billing_team.pk, billing.pk)])
    event = AuditEvent.objects.get(case_type="team_categories")
    assert event.actor_id == manager.pk and event.action == "settings_changed"
    assert event.data == {"before": [], "after": [[billing_team.pk, billing.pk]]}


# --- a promise at risk on my case ----------------------------------------------------------

T0 = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)  # Monday 09:00 Tallinn


def test_a_promise_at_risk_tells_the_owner_once_and_the_sweep_does_not_mail_them_again(
    manager, handler, other_handler
):
    with time_machine.travel(T0 - dt.timedelta(days=30), tick=False):
        make_code(manager, promises=[ACK_2_BD, RESPOND_10_BD])
    with time_machine.travel(T0, tick=False):
        complaint, _ = make_complaint(channel="phone", actor=Actor.staff(handler))
        cs.complaint_assign(
            complaint_id=complaint.pk, actor=Actor.staff(manager), assignee_id=other_handler.pk
        )
    Notification.objects.all().delete()
    OutboundEmail.objects.all().delete()
    ps.promise_checks_sweep(now=dt.datetime(2026, 3, 4, 11, 0, tzinfo=dt.UTC))
    assert told("promise_at_risk") == [("olga", complaint.reference)]
    [mail] = staff_mails()
    assert mail.to == other_handler.email and "promise is at risk" in mail.subject
    # the managers' overview still comes from the sweep; the owner is not mailed twice
    sweep_mails = OutboundEmail.objects.filter(kind="promise_at_risk")
    assert [m.to for m in sweep_mails] == [manager.email]
    ps.promise_checks_sweep(now=dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.UTC))
    assert Notification.objects.count() == 1


# --- reading -------------------------------------------------------------------------------


def test_marking_read_is_for_ones_own_notifications_only(handler, other_handler, manager):
    from plaint.core.errors import NotFound

    complaint, _ = make_complaint()
    cs.complaint_assign(
        complaint_id=complaint.pk, actor=Actor.staff(manager), assignee_id=handler.pk
    )
    notification = Notification.objects.get()
    with pytest.raises(NotFound):
        notification_read(actor=Actor.staff(other_handler), notification_id=notification.pk)
    assert notification_read(actor=Actor.staff(handler), notification_id=notification.pk).read_at
    assert notifications_read_all(actor=Actor.staff(handler)) == 0


def test_read_notifications_are_pruned_after_90_days(handler, manager):
    from plaint.notifications.services import notifications_prune

    old, recent = assign_two(handler, manager)
    Notification.objects.filter(complaint=old).update(
        read_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    assert notifications_prune(now=dt.datetime(2026, 4, 2, tzinfo=dt.UTC)) == 1
    # unread ones stay, however old
    assert list(Notification.objects.values_list("complaint_id", flat=True)) == [recent.pk]


def assign_two(handler, manager):
    cases = []
    for _ in range(2):
        complaint, _token = make_complaint()
        cs.complaint_assign(
            complaint_id=complaint.pk, actor=Actor.staff(manager), assignee_id=handler.pk
        )
        cases.append(complaint)
    return cases


def test_nobody_is_told_of_a_case_they_may_not_read(billing_team, admin_user, handler, manager):
    """A new case in a restricted category: of the team that looks after it, only its named
    readers hear of it; a notification of a case that has since left a person's sight is neither
    listed nor counted."""
    from plaint.notifications.selectors import notification_list, unread_count

    health = CategoryFactory(code="health")
    boss = Actor.staff(admin_user)
    team_categories_set(actor=boss, pairs=[(billing_team.pk, health.pk)])
    cs.category_access_set(
        actor=boss, category_id=health.pk, restricted=True, reader_ids=[handler.pk]
    )
    case, _ = make_complaint(category="health")
    housekeeping()
    assert told("new_case") == [("hans", case.reference)]
    assert unread_count(user=handler) == 1
    assert [n.complaint_id for n in notification_list(user=handler).items] == [case.pk]
    cs.category_access_set(
        actor=boss, category_id=health.pk, restricted=True, reader_ids=[manager.pk]
    )
    assert unread_count(user=handler) == 0
    assert notification_list(user=handler).items == []


def test_the_headers_count_from_the_cached_rule_agrees(billing_team, admin_user, handler, manager):
    """The header counts with the rule from the configuration cache (``known``): with every case
    readable it asks nothing of the cases; once a case leaves the reader's sight it is not
    counted, as without the cache."""
    from plaint.complaints.visibility import visibility_known
    from plaint.core.selectors import config_token
    from plaint.notifications.selectors import unread_count

    health = CategoryFactory(code="health")
    boss = Actor.staff(admin_user)
    team_categories_set(actor=boss, pairs=[(billing_team.pk, health.pk)])
    case, _ = make_complaint(category="health")
    housekeeping()
    assert ("hans", case.reference) in told("new_case")  # hans is the handler
    before = unread_count(user=handler)
    assert unread_count(user=handler, known=visibility_known(token=config_token())) == before
    cs.category_access_set(
        actor=boss, category_id=health.pk, restricted=True, reader_ids=[manager.pk]
    )
    known = visibility_known(token=config_token())
    assert unread_count(user=handler, known=known) == unread_count(user=handler) == before - 1
