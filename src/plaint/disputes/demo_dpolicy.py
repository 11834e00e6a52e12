# ruff: noqa: RUF001 - the demo texts are Persian on purpose
"""Demo data for the dispute-resolution policy (published in English, Estonian and Persian; the
other languages fall back) and one referral to a regulatory authority waiting for review."""

from __future__ import annotations

from plaint.complaints.models import Complaint
from plaint.core.actors import Actor
from plaint.disputes import services
from plaint.disputes.models import DisputePolicy

TITLE = {
    "en": "How we take disputes further",
    "et": "Kuidas me vaidlusi edasi lahendame",
    "fa": "چگونه اختلاف‌ها را فراتر پیگیری می‌کنیم",
}
SCOPE = {
    "en": "When we could not resolve your complaint about a product or service you bought from "
    "us, we offer you an independent dispute-resolution body from our register, free of charge "
    "for consumers.",
    "et": "Kui me ei suutnud lahendada teie kaebust meilt ostetud toote või teenuse kohta, "
    "pakume teile meie registrist sõltumatut vaidluste lahendajat, tarbijale tasuta.",
    "fa": "اگر نتوانستیم شکایت شما دربارهٔ کالا یا خدمتی را که از ما خریده‌اید حل کنیم، یک نهاد "
    "مستقل حل اختلاف از فهرست خود به شما پیشنهاد می‌کنیم که برای مصرف‌کننده رایگان است.",
}
BODY = {
    "en": "We take part in good faith and on time, and we carry out what we agree or what is "
    "decided.\n\nYou keep your right to go to court.",
}


def seed_dispute_policy(actor: Actor) -> str:
    """Publish version 1 and record one legal referral (once)."""
    if DisputePolicy.objects.exists():
        return "dispute policy already there"
    draft = services.dispute_policy_draft_start(actor=actor)
    services.dispute_policy_draft_update(
        actor=actor, version=draft.version, title=TITLE, scope=SCOPE, body=BODY,
        min_value="20", max_value="50000", currency="EUR", binding="if_accepted",
        change_note="First version.",
    )  # fmt: skip
    services.dispute_policy_publish(actor=actor, version=draft.version)
    complaint = Complaint.objects.filter(state="internal_review").order_by("pk").first()
    if complaint is not None:
        services.legal_referral_record(
            actor=actor, complaint_id=complaint.pk, authority="Consumer Protection Board",
            reason="The complainant reports a possible breach of the distance-selling rules.",
        )  # fmt: skip
    return "a published dispute policy and a legal referral to review"
