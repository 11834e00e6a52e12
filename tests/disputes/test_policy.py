# ruff: noqa: RUF001 - the expected texts are Persian on purpose
"""The dispute-resolution policy: one draft at a time, publishing freezes and supersedes, each
step audited; the public page in every language with a stated fallback, Persian right to left."""

from __future__ import annotations

import pytest

from plaint.core.actors import Actor
from plaint.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from plaint.core.models import AuditEvent
from plaint.disputes import services
from plaint.disputes.models import DisputePolicy

pytestmark = pytest.mark.django_db

TEXTS = {
    "title": {"en": "How we take disputes further", "fa": "چگونه اختلاف‌ها را پیگیری می‌کنیم"},
    "scope": {
        "en": "Every consumer complaint we could not resolve.",
        "fa": "هر شکایت مصرف‌کننده‌ای که نتوانستیم حل کنیم.",
    },
}


def _published(manager, **changes):
    actor = Actor.staff(manager)
    draft = services.dispute_policy_draft_start(actor=actor)
    services.dispute_policy_draft_update(
        actor=actor,
        version=draft.version,
        **{
            **TEXTS,
            "min_value": "50",
            "max_value": "5000",
            "currency": "eur",
            "binding": "if_accepted",
            **changes,
        },
    )
    return services.dispute_policy_publish(actor=actor, version=draft.version)


def test_one_draft_at_a_time_and_publishing_freezes_and_supersedes(manager):
    actor = Actor.staff(manager)
    first = _published(manager)
    assert (first.state, first.currency, str(first.min_value)) == ("published", "EUR", "50.00")
    with pytest.raises(InvalidTransition):
        services.dispute_policy_draft_update(actor=actor, version=1, title={"en": "Changed"})
    second = services.dispute_policy_draft_start(actor=actor)
    assert second.version == 2 and second.scope == first.scope  # a copy of the latest
    with pytest.raises(Conflict):
        services.dispute_policy_draft_start(actor=actor)
    services.dispute_policy_publish(actor=actor, version=2)
    first.refresh_from_db()
    assert first.state == "superseded" and first.effective_to is not None
    actions = list(
        AuditEvent.objects.filter(case_type="dispute_policy").values_list("case_id", "action")
    )
    assert (1, "policy_published") in actions and (1, "policy_superseded") in actions
    assert (2, "policy_draft_started") in actions


def test_publishing_needs_the_organisations_language_and_a_manager(manager, handler):
    with pytest.raises(NotAllowed):
        services.dispute_policy_draft_start(actor=Actor.staff(handler))
    actor = Actor.staff(manager)
    draft = services.dispute_policy_draft_start(actor=actor)
    services.dispute_policy_draft_update(actor=actor, version=draft.version, scope={"fa": "x"})
    with pytest.raises(ValidationFailed) as refused:
        services.dispute_policy_publish(actor=actor, version=draft.version)
    assert set(refused.value.fields) == {"title", "scope"}
    with pytest.raises(ValidationFailed) as bad_band:
        services.dispute_policy_draft_update(
            actor=actor, version=draft.version, min_value="10", max_value="5", currency="EUR"
        )
    assert "max_value" in bad_band.value.fields


def test_public_page_in_each_language_with_fallback_and_rtl(client, manager):
    assert client.get("/disputes/policy/").status_code == 404  # nothing published yet
    _published(manager)
    persian = client.get("/disputes/policy/?lang=fa").content.decode()
    assert 'dir="rtl"' in persian and "هر شکایت" in persian
    assert "policy-fallback" not in persian
    swedish = client.get("/disputes/policy/?lang=sv").content.decode()
    assert 'id="policy-fallback"' in swedish and "Every consumer complaint" in swedish
    # the English text, amounts too, as English writes money (core.locales.money)
    assert "from €50.00 up to €5,000.00" in swedish


def test_staff_edit_and_publish_pages(client, manager):
    client.force_login(manager)
    response = client.post("/staff/disputes/policy/")
    assert response.status_code == 302
    draft = DisputePolicy.objects.get()
    page = f"/staff/disputes/policy/{draft.version}/?lang=en"
    bad = client.post(page, {"title": "T", "scope": "S", "binding": "nonsense"})
    assert bad.status_code == 422
    saved = client.post(page, {"title": "Title", "scope": "Scope", "binding": "binding",
                               "min_value": "", "max_value": "", "currency": ""})  # fmt: skip
    assert saved.status_code == 302
    assert client.post(page, {"action": "publish"}).status_code == 302
    draft.refresh_from_db()
    assert draft.state == "published" and draft.binding == "binding"
    assert "Scope" in client.get("/disputes/policy/").content.decode()
