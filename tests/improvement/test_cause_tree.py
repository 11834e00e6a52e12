"""The cause tree of a corrective action: its limits (size, depth, one root cause, parents in the
tree) with translated errors, the page's one-change-at-a-time editing without JavaScript, its
server-rendered nesting, the API's whole-tree write, and the root cause standing for the whys."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from plaint.core.actors import Actor
from plaint.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from plaint.core.models import AuditEvent
from plaint.improvement import causetree
from plaint.improvement import services as s
from plaint.improvement.models import CorrectiveAction
from plaint.improvement.states import State
from tests.api_client import ApiClient, assert_problem
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

LIST = "/staff/improvement/corrective-actions/"
TREE = [
    {"id": 1, "parent": None, "text": "Parcels crushed in the van", "root": False},
    {"id": 2, "parent": 1, "text": "Heavy boxes loaded on top", "root": False},
    {"id": 3, "parent": 2, "text": "No loading order", "root": True},
    {"id": 4, "parent": None, "text": "Thin boxes", "root": False},
]


@pytest.fixture
def ca(manager):
    category = CategoryFactory(code="delivery", name="Delivery")
    return s.corrective_action_open(
        actor=Actor.staff(manager),
        title="Crushed parcels",
        problem="Parcels arrive crushed.",
        source="manual",
        owner_id=manager.pk,
        indicator={"kind": "received", "category": category.pk},
        comparison="le",
        target=1,
    )


def _errors(nodes) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        causetree.tree_clean(nodes)
    return caught.value.fields["cause_tree"]


def test_a_tree_is_ordered_parents_first_and_nested_for_showing():
    shuffled = [TREE[2], TREE[3], TREE[1], TREE[0]]  # children before parents
    cleaned = causetree.tree_clean(shuffled)
    assert [n["id"] for n in cleaned] == [4, 1, 2, 3]  # siblings keep their order
    top = causetree.nested(causetree.tree_clean(TREE))
    assert [n.text for n in top] == ["Parcels crushed in the van", "Thin boxes"]
    assert top[0].children[0].children[0].root and top[0].children[0].children[0].depth == 3
    assert causetree.root_of(cleaned)["text"] == "No loading order"


@pytest.mark.parametrize(
    ("nodes", "message"),
    [
        ([{**TREE[0], "root": True}, {**TREE[3], "root": True}], "not several"),
        ([{"id": 1, "parent": 9, "text": "orphan", "root": False}], "another cause of the tree"),
        ([{"id": 1, "parent": 1, "text": "itself", "root": False}], "another cause of the tree"),
        ([TREE[0], {**TREE[3], "id": 1}], "same id"),
        ([{**TREE[0], "text": "  "}], "needs a text"),
        ([{**TREE[0], "text": "x" * 301}], "at most 300 characters"),
        ([{**TREE[0], "text": "nul \x00 here"}], "NUL character"),
        ([{**TREE[0], "colour": "red"}], "an id, a parent"),
        ("not a list", "a list of causes"),
        (
            [{"id": i, "parent": None, "text": f"cause {i}", "root": False} for i in range(1, 42)],
            "at most 40 causes",
        ),
        (
            [{"id": i, "parent": i - 1 or None, "text": f"why {i}", "root": False} for i in range(1, 7)],
            "at most 5 levels deep",
        ),
    ],
)  # fmt: skip
def test_the_limits_are_checked_with_a_clear_message(nodes, message):
    assert any(message in e for e in _errors(nodes))


def test_the_limits_speak_the_readers_language():
    with translation.override("et"):
        [error] = _errors([{**TREE[0], "root": True}, {**TREE[3], "root": True}])
    assert "not several" not in error and error


def test_five_levels_are_allowed_and_the_whole_tree_is_audited(ca, manager):
    chain = [
        {"id": i, "parent": i - 1 or None, "text": f"why {i}", "root": i == 5} for i in range(1, 6)
    ]
    s.corrective_action_cause_tree_set(actor=Actor.staff(manager), ca_id=ca.pk, nodes=chain)
    ca.refresh_from_db()
    assert len(ca.cause_tree) == 5 and causetree.root_of(ca.cause_tree)["id"] == 5
    event = AuditEvent.objects.filter(case_id=ca.pk, action="cause_tree_changed").get()
    assert event.data["root_cause_node"] == 5 and event.data["cause_tree"] == chain


def test_only_managers_change_it_and_only_until_the_actions_start(ca, manager, handler):
    with pytest.raises(NotAllowed):
        s.corrective_action_cause_tree_set(actor=Actor.staff(handler), ca_id=ca.pk, nodes=TREE)
    CorrectiveAction.objects.filter(pk=ca.pk).update(state=State.ACTING)
    with pytest.raises(InvalidTransition):
        s.corrective_action_cause_tree_set(actor=Actor.staff(manager), ca_id=ca.pk, nodes=TREE)


def test_a_root_cause_in_the_tree_stands_for_the_whys(ca, manager):
    m = Actor.staff(manager)
    with pytest.raises(ValidationFailed) as caught:
        s.corrective_action_cause_record(actor=m, ca_id=ca.pk, whys=[], root_cause="No rule")
    assert "cause tree" in caught.value.fields["whys"][0]
    s.corrective_action_cause_tree_set(actor=m, ca_id=ca.pk, nodes=TREE)
    s.corrective_action_cause_record(actor=m, ca_id=ca.pk, whys=[], root_cause="No rule")
    assert CorrectiveAction.objects.get(pk=ca.pk).state == State.CAUSE_FOUND


def test_the_page_grows_marks_and_prunes_the_tree_without_javascript(client, ca, manager):
    url = f"{LIST}{ca.pk}/"
    client.force_login(manager)
    assert (
        client.post(url, {"form": "tree", "parent": "", "text": "Crushed in the van"}).status_code
        == 302
    )
    assert (
        client.post(url, {"form": "tree", "parent": "1", "text": "Heavy boxes on top"}).status_code
        == 302
    )
    assert (
        client.post(url, {"form": "tree", "parent": "2", "text": "No loading order"}).status_code
        == 302
    )
    assert client.post(url, {"form": "tree", "parent": "", "text": "Thin boxes"}).status_code == 302
    assert client.post(url, {"form": "tree_node", "node": "3", "edit": "root"}).status_code == 302
    page = client.get(url).content.decode()
    # nested lists, the root cause marked, each cause offered as a parent, indented
    tree = page[
        page.index('id="cause-tree"') : page.index("</section>", page.index('id="cause-tree"'))
    ]
    assert tree.index("Crushed in the van") < tree.index("<ul>", tree.index("Crushed in the van"))
    assert 'class="cause-root"' in tree and tree.count("<ul>") == 3
    assert "— — No loading order" in page
    client.post(url, {"form": "tree_node", "node": "1", "edit": "remove"})  # with what is under it
    ca.refresh_from_db()
    assert [n["text"] for n in ca.cause_tree] == ["Thin boxes"]
    assert causetree.root_of(ca.cause_tree) is None
    assert AuditEvent.objects.filter(case_id=ca.pk, action="cause_tree_changed").count() == 6
    assert "Cause tree changed" in client.get(url).content.decode()


def test_the_page_shows_a_tree_error_next_to_its_form_and_refuses_unknown_buttons(
    client, ca, manager, handler
):
    url = f"{LIST}{ca.pk}/"
    client.force_login(manager)
    s.corrective_action_cause_tree_set(
        actor=Actor.staff(manager),
        ca_id=ca.pk,
        nodes=[{"id": i, "parent": i - 1 or None, "text": f"why {i}", "root": False} for i in range(1, 6)],
    )  # fmt: skip
    deep = client.post(url, {"form": "tree", "parent": "5", "text": "one too deep"})
    assert deep.status_code == 422 and "at most 5 levels deep" in deep.content.decode()
    assert client.post(url, {"form": "tree_node", "node": "x", "edit": "root"}).status_code == 404
    gone = client.post(url, {"form": "tree_node", "node": "9", "edit": "root"})
    assert gone.status_code == 422 and "no longer in the tree" in gone.content.decode()
    client.force_login(handler)
    assert client.post(url, {"form": "tree_node", "node": "1", "edit": "remove"}).status_code == 403
    assert len(CorrectiveAction.objects.get(pk=ca.pk).cause_tree) == 5


def test_the_api_writes_the_whole_tree_and_reads_it_nested(ca, manager, handler):
    api = ApiClient(manager)
    path = f"/api/v1/corrective-actions/{ca.pk}/cause-tree"
    put = api.client.put(
        path, json.dumps({"nodes": TREE}), content_type="application/json", headers=api.headers()
    )
    assert put.status_code == 200, put.content
    [first, second] = put.json()["cause_tree"]
    assert first["children"][0]["children"][0] == {
        "id": 3, "text": "No loading order", "root": True, "children": [],
    }  # fmt: skip
    assert second["text"] == "Thin boxes"
    assert api.get(f"/corrective-actions/{ca.pk}").json()["cause_tree"] == [first, second]
    two_roots = {"nodes": [{**TREE[0], "root": True}, {**TREE[3], "root": True}]}
    refused = api.client.put(
        path, json.dumps(two_roots), content_type="application/json", headers=api.headers()
    )
    assert "cause_tree" in assert_problem(refused, 422, "validation_failed")["errors"]
    handler_api = ApiClient(handler)
    forbidden = handler_api.client.put(
        path, json.dumps({"nodes": []}), content_type="application/json", headers=handler_api.headers()
    )  # fmt: skip
    assert_problem(forbidden, 403, "not_allowed")
