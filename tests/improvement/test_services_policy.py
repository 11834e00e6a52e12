"""The policy's versions: a draft changes, publishing freezes it and supersedes the version in
force, a change after that is a new version; each step audited; bad input refused clearly."""

from __future__ import annotations

import pytest

from plaint.core.actors import Actor
from plaint.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from plaint.core.models import AuditEvent
from plaint.improvement import services as s
from plaint.improvement.models import PolicyState, PolicyVersion
from plaint.improvement.policy_text import policy_html

pytestmark = pytest.mark.django_db

COMPLETE = {
    "title": {"en": "Complaints-handling policy"},
    "body": {"en": "We welcome complaints.\n\n# Our commitments\n- We answer within 20 days."},
    "responsibilities": {"handler": {"en": ["Answers complaints on time."]}},
}


def publish_v1(manager) -> PolicyVersion:
    draft = s.policy_draft_create(actor=Actor.staff(manager), **COMPLETE)
    return s.policy_publish(actor=Actor.staff(manager), version=draft.version)


def test_the_first_draft_is_version_one_and_is_audited(manager):
    draft = s.policy_draft_start(actor=Actor.staff(manager))
    assert (draft.version, draft.state, draft.body) == (1, PolicyState.DRAFT, {})
    event = AuditEvent.objects.get(case_type="policy", case_id=1)
    assert event.action == "policy_draft_started"


def test_publishing_freezes_the_version(manager):
    v1 = publish_v1(manager)
    assert v1.state == PolicyState.PUBLISHED
    assert v1.effective_from is not None and v1.published_by == manager
    with pytest.raises(InvalidTransition):
        s.policy_draft_update(actor=Actor.staff(manager), version=1, body={"en": "Changed."})
    with pytest.raises(InvalidTransition):
        s.policy_publish(actor=Actor.staff(manager), version=1)
    assert PolicyVersion.objects.get(version=1).body == COMPLETE["body"]


def test_a_change_after_publishing_is_a_new_version_and_supersedes_on_publish(manager):
    publish_v1(manager)
    v2 = s.policy_draft_create(
        actor=Actor.staff(manager), body={"en": "We welcome complaints, always."}
    )
    assert v2.version == 2 and v2.previous.version == 1
    assert v2.title == COMPLETE["title"]  # a copy of the latest version
    assert PolicyVersion.objects.get(version=1).state == PolicyState.PUBLISHED  # still in force
    s.policy_publish(actor=Actor.staff(manager), version=2)
    v1 = PolicyVersion.objects.get(version=1)
    assert v1.state == PolicyState.SUPERSEDED and v1.effective_to is not None
    assert v1.body == COMPLETE["body"]  # history kept as it was read
    actions = list(
        AuditEvent.objects.filter(case_type="policy")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "policy_draft_started",
        "policy_draft_changed",
        "policy_published",
        "policy_draft_started",
        "policy_draft_changed",
        "policy_superseded",
        "policy_published",
    ]


def test_only_one_draft_at_a_time(manager):
    s.policy_draft_start(actor=Actor.staff(manager))
    with pytest.raises(Conflict):
        s.policy_draft_start(actor=Actor.staff(manager))


def test_publishing_needs_the_organisations_language_complete(manager):
    draft = s.policy_draft_create(
        actor=Actor.staff(manager),
        title={"fa": "خط‌مشی"},
        body={"fa": "متن"},
        responsibilities={"handler": {"fa": ["پاسخ"]}},
    )
    with pytest.raises(ValidationFailed) as refused:
        s.policy_publish(actor=Actor.staff(manager), version=draft.version)
    assert set(refused.value.fields) == {"title", "body", "responsibilities"}
    assert PolicyVersion.objects.get(version=draft.version).state == PolicyState.DRAFT


def test_a_language_is_changed_alone_and_a_blank_text_removes_it(manager):
    draft = s.policy_draft_create(actor=Actor.staff(manager), **COMPLETE)
    s.policy_draft_update(
        actor=Actor.staff(manager),
        version=draft.version,
        body={"sv": "Vi välkomnar klagomål."},
        responsibilities={"handler": {"sv": ["Svarar i tid.", "  "]}},
    )
    draft.refresh_from_db()
    assert draft.languages == ["en", "sv"]
    assert draft.responsibilities["handler"] == {
        "en": ["Answers complaints on time."],
        "sv": ["Svarar i tid."],
    }
    s.policy_draft_update(actor=Actor.staff(manager), version=draft.version, body={"sv": " "})
    draft.refresh_from_db()
    assert draft.languages == ["en"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"body": {"xx": "text"}}, "body"),
        ({"body": "not a map"}, "body"),
        ({"title": {"en": "x" * 201}}, "title"),
        ({"responsibilities": {"janitor": {"en": ["Sweeps."]}}}, "responsibilities"),
        ({"responsibilities": {"handler": {"en": "not a list"}}}, "responsibilities"),
        ({"responsibilities": {"handler": {"en": ["x"] * 21}}}, "responsibilities"),
        ({"change_note": "x" * 501}, "change_note"),
    ],
)
def test_bad_input_is_refused_on_its_field(manager, changes, field):
    draft = s.policy_draft_start(actor=Actor.staff(manager))
    with pytest.raises(ValidationFailed) as refused:
        s.policy_draft_update(actor=Actor.staff(manager), version=draft.version, **changes)
    assert field in refused.value.fields


def test_only_managers_and_admins_write_the_policy(personas):
    for role in ("handler", "auditor"):
        with pytest.raises(NotAllowed):
            s.policy_draft_start(actor=Actor.staff(personas[role]))
    assert s.policy_draft_start(actor=Actor.staff(personas["admin"])).version == 1


def test_the_text_is_rendered_safely():
    html = policy_html(
        "# Title\nA <script>alert(1)</script> **bold** line\nnext line\n\n- one\n- <b>two</b>"
    )
    assert html == (
        "<h2>Title</h2><p>A &lt;script&gt;alert(1)&lt;/script&gt; <strong>bold</strong> line"
        "<br>next line</p><ul><li>one</li><li>&lt;b&gt;two&lt;/b&gt;</li></ul>"
    )
    assert "<a" not in policy_html('[x](javascript:alert(1)) <a href="javascript:x">y</a>')
