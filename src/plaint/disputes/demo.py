"""Demo data for ``plaint demo``: three dispute-resolution providers with their methods, fees,
time limits and eligibility rules, one reviewed last year and one whose evidence review is overdue.
They are illustrative bodies (their descriptions say so), not real ones: real providers' terms
change, and an organisation enters its own."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from plaint.accounts.demo import demo_configurer
from plaint.accounts.models import User
from plaint.complaints.models import Category, Complaint
from plaint.core.actors import Actor
from plaint.disputes import services
from plaint.disputes.demo_dpolicy import seed_dispute_policy
from plaint.disputes.models import Dispute, Obligation, Provider

DEMO_NOTE = " (Demo provider: its terms are illustrative.)"

PROVIDERS: list[dict[str, Any]] = [
    {
        "name": "Consumer Disputes Committee",
        "kind": "adr_body",
        "description": "An independent committee that settles disputes between consumers and "
        "traders free of charge. Its decision is a recommendation the trader is expected "
        "to follow.",
        "website": "https://disputes.example.org/",
        "email": "committee@disputes.example.org",
        "how_to_submit": "Fill in the application on the committee's website within one year "
        "of our final response; attach our final response and your receipts.",
        "jurisdictions": ["EE"],
        "languages": ["et", "ru", "en"],
        "refer_within": 365,
        "refer_within_unit": "calendar_days",
        "answer_within": 15,
        "answer_within_unit": "business_days",
        "decide_within": 90,
        "decide_within_unit": "calendar_days",
        "independence": "Members appointed for three years by the consumer protection "
        "authority; a member with a link to a party stands down.",
        "competence": "Chaired by a lawyer; members from consumer and trader associations.",
        "methods": [
            {"method": "facilitative"},
            {"method": "advisory"},
        ],
        "rules": [{"max_days_since_final_response": 365}],
        "reviewed_days_ago": 200,
    },
    {
        "name": "Payments Ombudsman",
        "kind": "ombudsman",
        "description": "Decides disputes about payments and refunds. The decision binds us if "
        "you accept it; you stay free to go to court.",
        "website": "https://ombudsman.example.org/",
        "email": "cases@ombudsman.example.org",
        "how_to_submit": "Send the online form or a letter; the ombudsman asks us for our file.",
        "jurisdictions": ["EE", "LV", "LT"],
        "languages": ["et", "en", "uk"],
        "refer_within": 6,
        "refer_within_unit": "weeks",
        "answer_within": 20,
        "answer_within_unit": "business_days",
        "decide_within": 90,
        "decide_within_unit": "calendar_days",
        "independence": "Funded by a levy on members; the ombudsman is appointed by an "
        "independent board.",
        "methods": [
            {
                "method": "determinative",
                "binding_on_organisation": True,
                "fee": "150.00",
                "currency": "EUR",
                "fee_payer": "organisation",
                "fee_note": "Case fee charged to the trader when the case is opened.",
            }
        ],
        "rules": [
            {"categories": ["billing", "refunds"], "max_days_since_final_response": 42},
        ],
        "reviewed_days_ago": 320,
    },
    {
        "name": "Nordic Mediation Service",
        "kind": "mediator",
        "description": "Accredited mediators who help both sides agree, in Swedish, English "
        "and Persian; for larger disputes.",
        "website": "https://mediation.example.org/",
        "email": "info@mediation.example.org",
        "how_to_submit": "Book a first meeting by e-mail; both sides sign the mediation agreement.",
        "jurisdictions": ["SE", "FI", "EE"],
        "languages": ["sv", "en", "fa"],
        "refer_within": None,
        "answer_within": 10,
        "answer_within_unit": "business_days",
        "decide_within": 60,
        "decide_within_unit": "calendar_days",
        "competence": "Mediators accredited by the national mediation register; renewed yearly.",
        "evidence_review_overdue": True,
        "methods": [
            {
                "method": "facilitative",
                "fee": "200.00",
                "currency": "EUR",
                "fee_payer": "shared",
                "fee_note": "Per session, half each.",
            }
        ],
        "rules": [{"min_value": "500", "max_value": "50000", "currency_code": "EUR"}],
    },
]


def _seed_one(actor: Actor, spec: dict[str, Any], today: dt.date) -> None:
    spec = dict(spec)
    methods, rules = spec.pop("methods"), spec.pop("rules")
    reviewed = spec.pop("reviewed_days_ago", None)
    overdue = spec.pop("evidence_review_overdue", False)
    spec["description"] += DEMO_NOTE
    spec["evidence_review_due"] = today - dt.timedelta(days=20) if overdue else None
    provider = services.provider_create(actor=actor, **spec)
    services.provider_methods_set(actor=actor, provider_id=provider.pk, methods=methods)
    for rule in rules:
        rule = dict(rule)
        codes = rule.pop("categories", [])
        ids = list(Category.objects.filter(code__in=codes).values_list("pk", flat=True))
        services.eligibility_rule_add(
            actor=actor, provider_id=provider.pk, category_ids=ids, **rule
        )
    if reviewed:
        services.provider_review_record(
            actor=actor,
            provider_id=provider.pk,
            reviewed_on=today - dt.timedelta(days=reviewed),
            conclusion="keep",
            findings="Decisions on time in the cases of the year; independence statement "
            "renewed; no complaint about the provider's conduct.",
        )


# The states the demo's disputes stop in, with the method each is referred by.
WALKS = [
    ("notice", "facilitative"),
    ("position", "advisory"),
    ("exchange", "facilitative"),
    ("recommended", "advisory"),
    ("implementation", "advisory"),
    ("closed", "facilitative"),
    ("withdrawn", "advisory"),
]
CONSENT = {
    "et": "Nõustun, et minu kaebus ja selle toimik saadetakse tarbijavaidluste komisjonile.",
    "en": "I agree that my complaint and its file are sent to the Consumer Disputes Committee.",
}


TERMINAL_LOG = (
    b"2026-11-03 14:02:11  SALE      129.00 EUR  card ****4411  approved  ref 88213\n"
    b"2026-11-03 14:02:40  REVERSAL  129.00 EUR  card ****4411  approved  ref 88214\n"
)


def _walk(actor: Actor, dispute_id: int, to: str, owner_id: int) -> None:
    if to == "notice":
        return
    services.dispute_position_send(
        actor=actor, dispute_id=dispute_id,
        position="We apologised and refunded the delivery fee; we consider the matter settled.",
    )  # fmt: skip
    if to == "position":
        return
    if to == "withdrawn":
        services.dispute_exit(
            actor=actor, dispute_id=dispute_id, step="withdraw",
            reason="The complainant accepted our offer and withdrew.",
        )  # fmt: skip
        return
    services.dispute_file_complete(actor=actor, dispute_id=dispute_id)
    if to == "exchange":  # the organisation's evidence in the file, with the terminal's log
        services.dispute_submission_add(
            actor=actor, dispute_id=dispute_id, side="organisation", kind="submission",
            body="The card terminal's log for that day: the second charge was reversed "
            "29 seconds later.",
            upload=SimpleUploadedFile("terminal-log.txt", TERMINAL_LOG, "text/plain"),
        )  # fmt: skip
        return
    obligation = services.ObligationInput(
        kind="refund", description="Refund the second payment.", amount="129.00", currency="EUR",
        due_on=timezone.localdate() + dt.timedelta(days=14), owner_id=owner_id,
    )  # fmt: skip
    outcomes = {
        "recommended": "recommendation",
        "implementation": "recommendation",
        "closed": "settled",
    }
    services.dispute_outcome_record(
        actor=actor, dispute_id=dispute_id, outcome=outcomes[to], neutral="Kadri Tamm",
        reasons="The invoice shows the same order charged twice; one payment is to be returned.",
        obligations=[obligation],
    )  # fmt: skip
    if to == "implementation":  # both sides accept: the refund is owed
        services.dispute_recommendation_answer(actor=actor, dispute_id=dispute_id, accepted=True)
    if to == "closed":
        for item in Obligation.objects.filter(dispute_id=dispute_id):
            services.obligation_done(
                actor=actor, obligation_id=item.pk, evidence="Bank transfer 2026-11-28"
            )
        services.dispute_close(
            actor=actor, dispute_id=dispute_id, lessons="Check the card terminal's double charges daily.",
        )  # fmt: skip


def _seed_disputes(actor: Actor, owner_id: int) -> int:
    provider = Provider.objects.get(name="Consumer Disputes Committee")
    # Cases with the decision communicated or in internal review, keeping the first of each state
    # as it is (the demo shows every complaint state too)
    pool = []
    for state in ("decision_communicated", "internal_review"):
        pool += list(Complaint.objects.filter(state=state).order_by("pk")[1:])
    pool.sort(key=lambda c: c.pk)
    seeded = 0
    for complaint, (to, method) in zip(pool[: len(WALKS)], WALKS, strict=False):
        language = "et" if complaint.complainant.language == "et" else "en"
        dispute = services.dispute_refer(
            actor=actor, complaint_id=complaint.pk, provider_id=provider.pk, method=method,
            consent=services.ConsentInput("phone", CONSENT[language], language),
        )  # fmt: skip
        _walk(actor, dispute.pk, to, owner_id)
        seeded += 1
    return seeded


def _seed_neutral(actor: Actor) -> int:
    """The demo neutral on two disputes: the one exchanging submissions, where they declared no
    conflict (its outcome is theirs to record), and the one waiting for a complete file, where
    their declaration is still to make."""
    neutral = User.objects.filter(username="neutral", role="neutral", is_active=True).first()
    if neutral is None:
        return 0
    assigned = 0
    for state in ("exchange", "position"):
        dispute = Dispute.objects.filter(state=state, neutral_user=None).order_by("pk").first()
        if dispute is None:
            continue
        services.dispute_neutral_assign(actor=actor, dispute_id=dispute.pk, neutral_id=neutral.pk)
        if state == "exchange":
            services.dispute_neutral_declare(
                actor=services.neutral_actor(neutral), dispute_id=dispute.pk, conflict=False
            )
        assigned += 1
    return assigned


# A Payments Ombudsman export of past decisions, as an Estonian office would receive it: its own
# words for the outcomes, day-first dates, comma decimals (docs/disputes.md, "Importing past
# outcomes"). Each row names one of the demo's closed complaints.
HISTORY_ROWS = (
    ("PO-2025-0412", "Rahuldatud", "14.03.2025", "129,00"),
    ("PO-2025-0977", "Osaliselt rahuldatud", "02.06.2025", "840,50"),
    ("PO-2025-1304", "Rahuldamata jäetud", "19.09.2025", "60,00"),
)
HISTORY_VALUES = {
    "outcome": {
        "Rahuldatud": "upheld",
        "Osaliselt rahuldatud": "partly_upheld",
        "Rahuldamata jäetud": "not_upheld",
    },
    "dates": "day_first",
}


def _seed_history(actor: Actor) -> int:
    """Import three past decisions of the Payments Ombudsman (an import's first run)."""
    closed = list(Complaint.objects.filter(state="closed").order_by("pk")[1:4])
    lines = ["Complaint reference;Case number;Outcome;Decision date;Amount claimed;Currency"]
    lines += [
        f"{c.reference};{ref};{word};{day};{claim};EUR"
        for c, (ref, word, day, claim) in zip(closed, HISTORY_ROWS, strict=False)
    ]
    ombudsman = Provider.objects.get(name="Payments Ombudsman")
    report = services.dispute_outcomes_import(
        actor=actor, handle=io.BytesIO("\n".join(lines).encode()), provider_id=ombudsman.pk,
        values=HISTORY_VALUES, file_name="ombudsman-decisions.csv",
    )  # fmt: skip
    return report.created


def _overdue_example(today: dt.date) -> None:
    """The refund of the dispute being carried out is three days late, so the list's compliance
    headline and the overdue alert (the worker's ``disputes.obligations_overdue``) have something
    to show; a demo may back-date what no service would."""
    owed = Obligation.objects.filter(done_at=None, dispute__state="implementation")
    first = owed.order_by("pk").values_list("pk", flat=True)[:1]
    Obligation.objects.filter(pk__in=list(first)).update(due_on=today - dt.timedelta(days=3))


def seed_demo(*, now: dt.datetime) -> str:
    manager = demo_configurer()
    if manager is None:
        return "disputes: no manager; skipped"
    if Provider.objects.filter(name__in=[spec["name"] for spec in PROVIDERS]).exists():
        return "disputes: providers already there"
    actor, today = Actor.staff(manager), now.date()
    for spec in PROVIDERS:
        _seed_one(actor, spec, today)
    imported = _seed_history(actor)
    disputes = _seed_disputes(actor, manager.pk)
    neutral = _seed_neutral(actor)
    policy = seed_dispute_policy(actor)
    _overdue_example(today)
    return (
        f"disputes: {len(PROVIDERS)} dispute-resolution providers with their rules, {policy}, "
        f"{imported} past outcomes imported, {disputes} disputes in their states, "
        f"{neutral} with the demo neutral"
    )
