"""Demo data for codes of conduct: the organisation's own code in five languages (version 1
published a year ago, version 2 drafted with a shorter limit), a regulatory pause, a broken-promise
claim, and the checks of every complaint already seeded. Written through the services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from plaint.accounts.models import Role, User
from plaint.complaints.models import Category, Complaint
from plaint.core.actors import Actor
from plaint.promises import services
from plaint.promises.models import BrokenPromiseClaim, Code, RegulatoryPause

TITLE = {
    "en": "Our promises to customers",
    "et": "Meie lubadused klientidele",
    "uk": "Наші зобов'язання перед клієнтами",
    "sv": "Våra löften till kunderna",
    "fa": "تعهدات ما به مشتریان",
}
PROMISES = [
    {
        "key": "acknowledge",
        "texts": {
            "en": "We confirm that we have your complaint within 2 business days.",
            "et": "Kinnitame teie kaebuse kättesaamist 2 tööpäeva jooksul.",
            "uk": "Ми підтверджуємо отримання вашої скарги протягом 2 робочих днів.",
            "sv": "Vi bekräftar att vi har fått ditt klagomål inom 2 arbetsdagar.",
            "fa": "دریافت شکایت شما را ظرف ۲ روز کاری تأیید می‌کنیم.",
        },
        "clock": "received_to_acknowledged",
        "limit_amount": 2,
        "limit_unit": "business_days",
        "pauses_while_waiting": False,
        "target_rate": "0.95",
    },
    {
        "key": "decide",
        "texts": {
            "en": "We send you our decision within 20 business days.",
            "et": "Saadame teile oma otsuse 20 tööpäeva jooksul.",
            "uk": "Ми надсилаємо вам наше рішення протягом 20 робочих днів.",
            "sv": "Vi skickar vårt beslut inom 20 arbetsdagar.",
            "fa": "تصمیم خود را ظرف ۲۰ روز کاری برای شما می‌فرستیم.",
        },
        "clock": "received_to_decision",
        "limit_amount": 20,
        "limit_unit": "business_days",
        "pauses_while_waiting": True,
        "target_rate": "0.9",
        "conditions": "The time stops while we wait for information we asked you for.",
    },
    {
        "key": "remedy",
        "texts": {
            "en": "We carry out the agreed remedy within 10 days of our decision.",
            "et": "Täidame kokkulepitud heastamise 10 päeva jooksul pärast otsust.",
            "uk": "Ми виконуємо погоджене відшкодування протягом 10 днів після рішення.",
            "sv": "Vi genomför den överenskomna gottgörelsen inom 10 dagar efter beslutet.",
            "fa": "جبران توافق‌شده را ظرف ۱۰ روز پس از تصمیم انجام می‌دهیم.",  # noqa: RUF001 (Persian digits)
        },
        "clock": "decision_to_remedy",
        "limit_amount": 10,
        "limit_unit": "calendar_days",
        "target_rate": "0.9",
    },
]


def seed_demo(*, now: dt.datetime | None = None) -> str:
    """Seed the promises demo after the complaints demo; returns a one-line summary."""
    now = now or timezone.now()
    manager = (
        User.objects.filter(role__in=[Role.MANAGER, Role.ADMIN], is_active=True)
        .order_by("role", "pk")
        .first()
    )
    if manager is None:
        return "promises: no manager to write the code; skipped"
    actor = Actor.staff(manager)
    code = _seed_code(actor, now)
    category = Category.objects.order_by("pk").first()
    if category is not None and not RegulatoryPause.objects.exists():
        start = (now - dt.timedelta(days=20)).replace(hour=0, minute=0, second=0, microsecond=0)
        services.regulatory_pause_create(
            actor=actor,
            starts_at=start,
            ends_at=start + dt.timedelta(days=3),
            reason="Regulator's direction: clocks stop during the payment-system outage.",
            category_code=category.code,
        )
    checks = 0
    for complaint in Complaint.objects.order_by("pk").iterator(chunk_size=500):
        checks += len(services.promise_checks_refresh(complaint=complaint, now=now))
    late = (
        Complaint.objects.filter(promise_checks__status="breached")
        .order_by("pk")
        .values_list("pk", "promise_checks__promise_id")
        .first()
    )
    claims = 0
    if late and not BrokenPromiseClaim.objects.exists():
        services.broken_promise_claim_create(
            actor=actor,
            complaint_id=late[0],
            promise_id=late[1],
            note="The complainant says we promised an answer sooner.",
        )
        claims = 1
    result = services.promise_checks_sweep(now=now)
    return (
        f"promises: code “{code.slug}” v1 published, v2 drafted; {checks} checks written, "
        f"{result.breached} breached by the sweep, {claims} broken-promise claim"
    )


def _seed_code(actor: Actor, now: dt.datetime) -> Code:
    """The organisation's own code: version 1 published, version 2 drafted (once)."""
    code = Code.objects.filter(slug="customer-promises").order_by("version").first()
    if code is None:
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
