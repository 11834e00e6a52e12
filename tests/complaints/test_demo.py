"""The demo seed: every state, five languages, real audit chains, all written through services."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command

from plaint.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from plaint.accounts.models import User
from plaint.complaints.demo import seed_demo
from plaint.complaints.models import Channel, Complaint
from plaint.complaints.states import State
from plaint.core.audit import audit_verify
from plaint.core.models import AuditEvent, Organisation, OutboundEmail


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module (seeding is the slow part); rows are removed afterwards."""
    with django_db_blocker.unblock():
        summary = seed_demo(complaints=60, seed=7)
        yield summary
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_every_state_language_and_channel_is_present(seeded):
    states = Counter(Complaint.objects.values_list("state", flat=True))
    assert set(states) == set(State.values)
    assert states == seeded.states
    languages = set(Complaint.objects.values_list("complainant__language", flat=True))
    assert languages == {"en", "et", "uk", "sv", "fa"}
    assert set(Complaint.objects.values_list("channel", flat=True)) == set(Channel.values)
    assert Complaint.objects.filter(about_process=True).exists()
    assert Complaint.objects.filter(closure_reason="withdrawn").exists()


@pytest.mark.django_db
def test_every_complaint_has_a_verified_chain_from_the_services(seeded):
    report = audit_verify()
    assert report.breaks == []
    with_chain = set(
        AuditEvent.objects.filter(case_type="complaint", action="received").values_list(
            "case_id", flat=True
        )
    )
    assert with_chain == set(Complaint.objects.values_list("pk", flat=True))
    # the internal-review path really ran: a decline followed by a second decision
    assert AuditEvent.objects.filter(action="decline_decision").exists()
    assert OutboundEmail.objects.filter(kind="decision").exists()


@pytest.mark.django_db
def test_receipt_times_spread_over_a_year_and_staff_can_log_in(seeded, client):
    from django.utils import timezone

    received = list(Complaint.objects.values_list("received_at", flat=True))
    ages = [(timezone.now() - at).days for at in received]
    assert max(ages) > 240
    assert max(ages) <= 366
    assert min(ages) < 10
    assert Organisation.objects.get().name.startswith("Polaris")
    for username, role, *_ in DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.role == role
        assert user.check_password(DEMO_PASSWORD)


def test_plan_is_deterministic_and_puts_early_states_on_recent_complaints():
    import random

    from plaint.complaints.demo.plan import STAGE, language_plan, state_plan

    first = state_plan(300, random.Random(7))
    assert first == state_plan(300, random.Random(7))
    assert set(first) == set(State.values)
    assert language_plan(300, random.Random(7)) == language_plan(300, random.Random(7))
    # the plan runs newest to oldest: the newest tenth is mostly early, the oldest tenth finished
    newest, oldest = first[:30], first[-30:]
    assert sum(STAGE.get(s, 4) for s in newest) < sum(STAGE.get(s, 4) for s in oldest)
    assert set(state_plan(len(State.values), random.Random(1))) == set(State.values)


@pytest.mark.django_db
def test_each_case_has_a_history_in_the_past_not_everything_happening_now(seeded):
    from django.utils import timezone

    now = timezone.now()
    spans = []
    for complaint in Complaint.objects.filter(state=State.CLOSED):
        times = list(
            AuditEvent.objects.filter(case_type="complaint", case_id=complaint.pk)
            .order_by("seq")
            .values_list("at", flat=True)
        )
        assert times[0] == complaint.received_at
        assert times == sorted(times) and times[-1] < now
        spans.append(times[-1] - times[0])
    # Closed cases took days to weeks, as real ones do.
    assert min(spans).total_seconds() > 3600
    assert max(spans).days >= 7


@pytest.mark.django_db
def test_reply_templates_are_seeded_in_five_languages(seeded):
    from plaint.complaints.models import ReplyTemplate

    templates = list(ReplyTemplate.objects.select_related("category"))
    assert len(templates) == 3
    assert {t.category.code if t.category else "" for t in templates} == {"", "delivery", "refunds"}
    assert all(set(t.texts) == {"en", "et", "uk", "sv", "fa"} for t in templates)


def test_receipt_times_give_every_month_of_a_year_of_analysis():
    """300 complaints (the demo's default) fall in each of the last twelve months, more of them
    recent: the analysis page's default year has twelve monthly points."""
    import datetime as dt
    import random

    from plaint.complaints.demo.plan import received_times

    now = dt.datetime(2026, 12, 5, 12, tzinfo=dt.UTC)
    times = received_times(300, random.Random(7), now)
    months = Counter((now.year - t.year) * 12 + now.month - t.month for t in times)
    assert all(months[back] > 0 for back in range(12))
    assert months[0] + months[1] + months[2] > 3 * (months[9] + months[10]) / 2
    assert times == sorted(times, reverse=True) and times[0] < now
