"""Codes of conduct: lifecycle as data, immutability of published versions, new versions and
their visible difference, permissions per role, audit events."""

from __future__ import annotations

import pytest

from plaint.core.actors import Actor
from plaint.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from plaint.core.models import AuditEvent
from plaint.promises import selectors, services
from plaint.promises.models import Code
from plaint.promises.states import TRANSITIONS, CodeState, CodeStep
from tests.promises.factories import ACK_2_BD, RESPOND_10_BD, make_code


def actions(code) -> list[str]:
    return list(
        AuditEvent.objects.filter(case_type="code", case_id=code.pk)
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_create_makes_a_draft_version_1_with_an_audit_event(manager):
    code = make_code(manager, publish=False)
    assert (code.state, code.version, code.slug) == ("draft", 1, "service-promises")
    assert actions(code) == ["code_created", "promise_created", "promise_created"]


@pytest.mark.parametrize("role", ["handler", "auditor"])
def test_only_managers_and_admins_write_codes(role, personas):
    with pytest.raises(NotAllowed):
        services.code_create(actor=Actor.staff(personas[role]), title={"en": "Mine"})
    assert not Code.objects.exists()


def test_admin_may_write_codes(admin_user):
    code = services.code_create(actor=Actor.staff(admin_user), title={"en": "Admin's code"})
    assert code.slug == "admins-code"


def test_title_in_an_unknown_language_is_refused(manager):
    with pytest.raises(ValidationFailed) as exc:
        services.code_create(actor=Actor.staff(manager), title={"xx": "Nope"})
    assert "title" in exc.value.fields


def test_adopted_code_must_name_the_body(manager):
    with pytest.raises(ValidationFailed) as exc:
        services.code_create(actor=Actor.staff(manager), title={"en": "X"}, origin="adopted")
    assert "adopted_from" in exc.value.fields


def test_full_lifecycle_follows_the_table(manager):
    actor = Actor.staff(manager)
    code = make_code(manager, publish=False)
    for step, state in [
        ("start_pilot", "pilot"),
        ("publish", "published"),
        ("start_review", "under_review"),
        ("end_review", "published"),
        ("retire", "retired"),
    ]:
        code = services.code_transition(actor=actor, code_id=code.pk, step=step)
        assert code.state == state
    assert actions(code)[-5:] == [
        "start_pilot",
        "publish",
        "start_review",
        "end_review",
        "retire",
    ]
    assert code.published_at is not None and code.effective_from is not None


@pytest.mark.parametrize(
    "state", [s for s in CodeState if s != CodeState.DRAFT], ids=lambda s: s.value
)
def test_every_transition_not_in_the_table_is_refused(manager, state):
    """From each state, each step the table does not allow raises InvalidTransition."""
    code = make_code(manager, publish=False)
    Code.objects.filter(pk=code.pk).update(state=state)
    for step in CodeStep:
        if state in TRANSITIONS[step].sources:
            continue
        with pytest.raises(InvalidTransition):
            services.code_transition(actor=Actor.staff(manager), code_id=code.pk, step=step)
    assert Code.objects.get(pk=code.pk).state == state


def test_publishing_needs_a_promise(manager):
    code = make_code(manager, publish=False, promises=[])
    with pytest.raises(InvalidTransition):
        services.code_transition(actor=Actor.staff(manager), code_id=code.pk, step="publish")


def test_published_version_is_immutable(manager):
    actor = Actor.staff(manager)
    code = make_code(manager)
    promise = code.promises.first()
    with pytest.raises(InvalidTransition):
        services.code_update(actor=actor, code_id=code.pk, owner="Someone else")
    with pytest.raises(InvalidTransition):
        services.promise_update(actor=actor, promise_id=promise.pk, limit_amount=99)
    with pytest.raises(InvalidTransition):
        services.promise_create(actor=actor, code_id=code.pk, **{**ACK_2_BD, "key": "other"})
    with pytest.raises(InvalidTransition):
        services.promise_delete(actor=actor, promise_id=promise.pk)
    code.refresh_from_db()
    promise.refresh_from_db()
    assert code.owner == "Customer care" and promise.limit_amount == 2


def test_new_version_copies_into_a_draft_and_the_diff_shows_the_change(manager):
    actor = Actor.staff(manager)
    v1 = make_code(manager)
    v2 = services.code_new_version(actor=actor, code_id=v1.pk)
    assert (v2.version, v2.state, v2.previous_id, v2.slug) == (2, "draft", v1.pk, v1.slug)
    assert sorted(p.key for p in v2.promises.all()) == ["acknowledge", "respond"]
    respond = v2.promises.get(key="respond")
    services.promise_update(
        actor=actor,
        promise_id=respond.pk,
        limit_amount=8,
        texts={"en": "We decide within 8 business days."},
    )
    diff = selectors.code_diff(old=v1, new=Code.objects.get(pk=v2.pk))
    removed = [line for kind, line in diff if kind == "-"]
    added = [line for kind, line in diff if kind == "+"]
    assert "We decide within 10 business days." in removed
    assert "We decide within 8 business days." in added
    assert any("within 8 business_days" in line for line in added)
    # a second draft of the same code is refused while one is open
    with pytest.raises(Conflict):
        services.code_new_version(actor=actor, code_id=v1.pk)
    # publishing v2 retires v1
    services.code_transition(actor=actor, code_id=v2.pk, step="publish")
    v1.refresh_from_db()
    assert v1.state == "retired" and v1.effective_to is not None


def test_promise_validation(manager):
    actor = Actor.staff(manager)
    code = make_code(manager, publish=False, promises=[])
    with pytest.raises(ValidationFailed) as exc:
        services.promise_create(
            actor=actor, code_id=code.pk, **{**RESPOND_10_BD, "channels": ["pigeon"]}
        )
    assert "channels" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        services.promise_create(
            actor=actor, code_id=code.pk, **{**RESPOND_10_BD, "limit_amount": 0}
        )
    assert "limit_amount" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        services.promise_create(actor=actor, code_id=code.pk, **{**RESPOND_10_BD, "target_rate": 2})
    assert "target_rate" in exc.value.fields
    services.promise_create(actor=actor, code_id=code.pk, **RESPOND_10_BD)
    with pytest.raises(ValidationFailed) as exc:
        services.promise_create(actor=actor, code_id=code.pk, **RESPOND_10_BD)
    assert "key" in exc.value.fields
