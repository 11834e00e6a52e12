"""The surveys demo seed, coherent with the demo complaints: the ISO 10002 8.3 survey's history
belongs to invitations for closed (or withdrawn) complaints, responses fewer than invitations at a
realistic rate; the relationship survey carries the volume (contacts, monthly waves)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

import pytest
import time_machine
from django.utils import timezone

from plaint.insights.models import AnswerCount
from plaint.surveys.demo import seed_demo
from plaint.surveys.models import (
    CallbackTask,
    Contact,
    Invitation,
    Response,
    Suppression,
    Survey,
)
from tests.factories import advance, make_complaint


@pytest.fixture
def closed_complaints(handler):
    """Complaints closed over the last five months (two withdrawn), two without an address, and
    a few left open."""
    from plaint.complaints import services as cs
    from plaint.core.actors import Actor

    now = timezone.now()
    closed = []
    for i in range(36):
        with time_machine.travel(now - dt.timedelta(days=150 - 4 * i), tick=False):
            email = "" if i in (3, 17) else f"complainant{i % 30}@example.org"
            complaint, _token = make_complaint(
                channel="phone" if not email else "web",
                actor=Actor.staff(handler) if not email else None,
                email=email,
                phone="" if email else "+372 5555 0000",
                preferred_channel="email" if email else "phone",
                language="fa" if i % 5 == 0 else "en",
            )
            if i % 9 == 4:
                continue  # still open
            if i in (10, 20):
                cs.complaint_withdraw(complaint_id=complaint.pk, actor=Actor.staff(handler))
            else:
                advance(complaint, "closed", by=handler)
            complaint.refresh_from_db()
            closed.append(complaint)
    return closed


@pytest.mark.django_db
def test_seed_demo_is_coherent_with_the_complaints(closed_complaints, manager):
    now = timezone.now()
    summary = seed_demo(now=now, contacts=400)
    assert "/survey/" in summary and "400 contacts" in summary
    handling = Survey.objects.get(key="complaint-handling")
    assert handling.state == "active" and set(handling.title) == {"en", "et", "uk", "sv", "fa"}
    for q in handling.questions.all():
        assert set(q.text) == {"en", "et", "uk", "sv", "fa"}
    invitations = Invitation.objects.filter(survey=handling)
    eligible = {c.pk for c in closed_complaints if c.complainant.email and c.state == "closed"}
    # every invitation is for a closed (or withdrawn) complaint with an address, one at most each
    assert invitations.filter(complaint__isnull=True).count() == 0
    assert set(invitations.values_list("complaint_id", flat=True)) <= eligible
    assert max(Counter(invitations.values_list("complaint_id", flat=True)).values()) == 1
    # no address invited twice within the quiet period
    by_email: dict[str, list] = {}
    for email, created in invitations.values_list("email", "created_at"):
        by_email.setdefault(email, []).append(created)
    for times in by_email.values():
        times.sort()
        assert all(b - a >= dt.timedelta(days=90) for a, b in itertools.pairwise(times))
    # each response belongs to an invitation sent before it, not expired when answered
    responses = Response.objects.filter(survey=handling, submitted_at__isnull=False)
    assert responses.count() <= invitations.count() <= len(eligible)
    for r in responses.select_related("invitation", "complaint"):
        assert r.invitation is not None and r.invitation.complaint_id == r.complaint_id
        assert r.complaint.closed_at < r.invitation.sent_at < r.submitted_at
        assert r.submitted_at < r.invitation.expires_at and r.submitted_at <= timezone.now()
        assert r.invitation.state == "responded"
    closed_at = {c.pk: c.closed_at for c in closed_complaints}
    assert all(
        created == closed_at[cid]
        for cid, created in invitations.exclude(trigger="manual").values_list(
            "complaint_id", "created_at"
        )
    )
    assert invitations.filter(state="responded").count() == responses.count()
    # the insights aggregates count every response once, once insights has rebuilt them from the
    # bulk history (``plaint demo`` runs the insights seeder, which does, after this one)
    from plaint.insights.services import aggregates_rebuild

    aggregates_rebuild()
    counted = sum(
        AnswerCount.objects.filter(
            survey=handling, question__code="overall", dimension="all"
        ).values_list("count", flat=True)
    )
    assert counted == responses.count()
    # the live invitations are for closed complaints too; the low score opened a callback
    live = invitations.filter(trigger="manual")
    assert live.count() == 3 and {i.language for i in live} == {"en", "fa"}
    assert live.filter(state="sent", language="fa").exists()
    if live.filter(state="responded").exists():  # only when this month has closings to spare
        assert CallbackTask.objects.filter(survey=handling, state="open").exists()
    assert all(t.response.survey_id == handling.pk for t in CallbackTask.objects.all())

    relationship = Survey.objects.get(key="customer-relationship")
    assert Contact.objects.count() == 400
    rel_inv = Invitation.objects.filter(survey=relationship)
    rel_resp = Response.objects.filter(survey=relationship, submitted_at__isnull=False)
    assert 0.30 <= rel_resp.count() / rel_inv.count() <= 0.45
    assert rel_resp.count() > 5 * responses.count()
    # the waves keep the quiet period and never reach an address after it opted out
    suppressed = dict(Suppression.objects.values_list("email", "created_at"))
    rel_by_email: dict[str, list] = {}
    for email, created in rel_inv.values_list("email", "created_at"):
        rel_by_email.setdefault(email, []).append(created)
        if email in suppressed:
            assert created < suppressed[email]
    for times in rel_by_email.values():
        times.sort()
        assert all(b - a >= dt.timedelta(days=180) for a, b in itertools.pairwise(times))
    contacts = dict(Contact.objects.values_list("email", "created_at"))
    assert all(
        created >= contacts[email]
        for email, created, _s in rel_inv.values_list("email", "created_at", "state")
    )
    # responses in (nearly) every one of the last 18 months, so trends show
    months = {r.submitted_at.strftime("%Y-%m") for r in rel_resp}
    assert len(months) >= 17
    assert set(rel_resp.values_list("language", flat=True)) == {"en", "et", "uk", "sv", "fa"}
    relationship.refresh_from_db()
    assert now - relationship.last_wave_at < dt.timedelta(days=relationship.period_days)
    # the dashboard's population (the complaints closed in the period, from its indicators) is
    # never below the answers, over the default year nor in any single month
    from dataclasses import replace

    from plaint.insights.selectors import Filters, indicators, measures

    aggregates_rebuild(survey_id=handling.pk)

    def figures(**period):
        filters = Filters.build(survey_key="complaint-handling", **period)
        closed = indicators(actor=manager, start=filters.start, end=filters.end)["summary"]
        filters = replace(filters, population=closed["closed"] or None)
        result = measures(actor=manager, filters=filters)
        overall = next(q for q in result["questions"] if q["code"] == "overall")
        return overall, result["population"]

    overall, population = figures()
    assert overall["mean"]["n"] == responses.count() < population
    assert overall["csat"]["moe"] > 0.05
    for months_back in range(12):
        month = (now - dt.timedelta(days=30 * months_back)).date()
        overall, population = figures(start=month, end=month)
        assert (overall["mean"]["n"] or 0) <= (population or 0), (month, overall, population)
    # seeding again adds nothing
    seed_demo(now=now, contacts=400)
    assert Response.objects.filter(survey=handling).count() == responses.count()
    assert Contact.objects.count() == 400


@pytest.mark.django_db
def test_seed_demo_without_closed_complaints_still_seeds_the_relationship_survey():
    summary = seed_demo(now=timezone.now(), contacts=200)
    assert "no closed complaint" in summary
    assert not Invitation.objects.filter(survey__key="complaint-handling").exists()
    assert Response.objects.filter(survey__key="customer-relationship").count() > 100


@pytest.mark.django_db
def test_handling_history_keeps_each_months_answers_within_its_closings(closed_complaints):
    import random

    from plaint.surveys.demo import seed_demo
    from plaint.surveys.demo.histories import handling_history
    from plaint.surveys.demo.respondents import utc_month

    now = timezone.now()
    seed_demo(now=now, contacts=0)  # the surveys, no history yet for an empty room below
    survey = Survey.objects.get(key="complaint-handling")
    Response.objects.filter(survey=survey).delete()
    Invitation.objects.filter(survey=survey).delete()
    eligible = [c for c in closed_complaints if c.complainant.email]
    months = {utc_month(c.closed_at) for c in eligible} | {utc_month(now)}
    room = Counter(dict.fromkeys(months, 1))
    history = handling_history(survey, random.Random(1), now, eligible, None, room)
    per_month = Counter(utc_month(r.submitted_at) for r in history.responses)
    assert per_month and max(per_month.values()) == 1
    # without the cap the same draw answers more than once in some month
    free = Counter(dict.fromkeys(months, 1000))
    Response.objects.filter(survey=survey).delete()
    Invitation.objects.filter(survey=survey).delete()
    history = handling_history(survey, random.Random(1), now, eligible, None, free)
    assert max(Counter(utc_month(r.submitted_at) for r in history.responses).values()) > 1
