"""Demo data for codes of conduct: the organisation's own code in five languages (version 1
published a year ago, version 2 drafted with a shorter limit), a regulatory pause, a broken-promise
claim, and the checks of every complaint already seeded. Written through the services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from plaint.accounts.demo import demo_configurer
from plaint.complaints.models import Category, Complaint
from plaint.core.actors import Actor
from plaint.promises import services
from plaint.promises.demo.texts import PROMISES, TITLE
from plaint.promises.models import BrokenPromiseClaim, Code, RegulatoryPause


def seed_demo(*, now: dt.datetime | None = None) -> str:
    """Seed the promises demo after the complaints demo; returns a one-line summary."""
    now = now or timezone.now()
    manager = demo_configurer()
    if manager is None:
        return "promises: no manager to write the code; skipped"
    actor = Actor.staff(manager)
    code = _code(actor, now)
    _regulatory_pause(actor, now)
    checks = 0
    for complaint in Complaint.objects.order_by("pk").iterator(chunk_size=500):
        checks += len(services.promise_checks_refresh(complaint=complaint, now=now))
    claims = _broken_promise_claim(actor)
    result = services.promise_checks_sweep(now=now)
    return (
        f"promises: code “{code.slug}” v1 published, v2 drafted; {checks} checks written, "
        f"{result.breached} breached by the sweep, {claims} broken-promise claim"
    )


def _code(actor: Actor, now: dt.datetime) -> Code:
    """The code of conduct: version 1 published, version 2 drafted with a shorter decision limit."""
    code = Code.objects.filter(slug="customer-promises").order_by("version").first()
    if code is not None:
        return code
    code = services.code_create(
        actor=actor,
        slug="customer-promises",
        title=TITLE,
        owner="Customer care",
        scope_channels=["web", "email", "phone", "letter", "in_person", "api"],
        effective_from=(now - dt.timedelta(days=400)).date(),
    )
    for fields in PROMISES:
        services.promise_create(actor=actor, code_id=code.pk, **fields)
    code = services.code_transition(actor=actor, code_id=code.pk, step="publish")
    draft = services.code_new_version(actor=actor, code_id=code.pk)
    decide = draft.promises.get(key="decide")
    services.promise_update(
        actor=actor,
        promise_id=decide.pk,
        limit_amount=15,
        texts={**decide.texts, "en": "We send you our decision within 15 business days."},
    )
    return code


def _regulatory_pause(actor: Actor, now: dt.datetime) -> None:
    """Three days, three weeks ago, when a regulator stopped the clocks of the first category."""
    category = Category.objects.order_by("pk").first()
    if category is None or RegulatoryPause.objects.exists():
        return
    start = (now - dt.timedelta(days=20)).replace(hour=0, minute=0, second=0, microsecond=0)
    services.regulatory_pause_create(
        actor=actor,
        starts_at=start,
        ends_at=start + dt.timedelta(days=3),
        reason="Regulator's direction: clocks stop during the payment-system outage.",
        category_code=category.code,
    )


def _broken_promise_claim(actor: Actor) -> int:
    """A complainant's claim that a promise was broken, on the first breached check; how many."""
    late = (
        Complaint.objects.filter(promise_checks__status="breached")
        .order_by("pk")
        .values_list("pk", "promise_checks__promise_id")
        .first()
    )
    if not late or BrokenPromiseClaim.objects.exists():
        return 0
    services.broken_promise_claim_create(
        actor=actor,
        complaint_id=late[0],
        promise_id=late[1],
        note="The complainant says we promised an answer sooner.",
    )
    return 1
