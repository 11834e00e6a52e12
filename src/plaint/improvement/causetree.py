"""The cause tree of a corrective action (ISO 9001:2015 10.2.1 b): a why-tree under the problem.
Each node answers "why?" for its parent (the top ones for the problem itself); one node is marked
as the root cause the actions remove.

Stored flat on the action as ``[{"id", "parent", "text", "root"}]`` with parents before their
children; ``tree_clean`` is the one check of its limits, used by the services for the page and
the API alike; ``nested`` turns it into the tree the page and the API show."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from plaint.core.errors import ValidationFailed

MAX_NODES = 40
MAX_DEPTH = 5  # a top cause is at depth 1: five "why?"s deep, as the 5-whys
MAX_TEXT = 300


@dataclass
class CauseNode:
    id: int
    text: str
    root: bool
    depth: int
    children: list[CauseNode] = field(default_factory=list)


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed(_("Check the highlighted fields."), fields={"cause_tree": [message]})


def _node_clean(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or set(raw) - {"id", "parent", "text", "root"}:
        raise _invalid(_("Each cause has an id, a parent, a text and a root-cause mark."))
    node_id, parent, root = raw.get("id"), raw.get("parent"), raw.get("root", False)
    if not isinstance(node_id, int) or isinstance(node_id, bool) or node_id < 1:
        raise _invalid(_("Each cause needs a whole number from 1 as its id."))
    if parent is not None and (not isinstance(parent, int) or isinstance(parent, bool)):
        raise _invalid(_("A cause's parent is the id of another cause, or empty for the problem."))
    if not isinstance(root, bool):
        raise _invalid(_("The root-cause mark is true or false."))
    text = raw["text"].strip() if isinstance(raw.get("text"), str) else ""
    if not text:
        raise _invalid(_("Every cause needs a text."))
    if "\x00" in text:  # PostgreSQL stores no NUL in JSON text: refused here, not a 500 there
        raise _invalid(_("A cause cannot contain a NUL character."))
    if len(text) > MAX_TEXT:
        raise _invalid(_("A cause has at most %(n)s characters.") % {"n": MAX_TEXT})
    return {"id": node_id, "parent": parent, "text": text, "root": root}


def tree_clean(nodes: Any) -> list[dict[str, Any]]:
    """The tree checked and put in order (parents before children, siblings as given): at most
    ``MAX_NODES`` causes, ``MAX_DEPTH`` deep, each parent an earlier cause of the tree, at most one
    marked as the root cause. Raises ``ValidationFailed`` on the field ``cause_tree``."""
    if not isinstance(nodes, list):
        raise _invalid(_("The cause tree is a list of causes."))
    if len(nodes) > MAX_NODES:
        raise _invalid(_("A cause tree has at most %(n)s causes.") % {"n": MAX_NODES})
    cleaned = [_node_clean(raw) for raw in nodes]
    ids = [n["id"] for n in cleaned]
    if len(set(ids)) != len(ids):
        raise _invalid(_("Two causes have the same id."))
    if sum(n["root"] for n in cleaned) > 1:
        raise _invalid(_("Mark one cause as the root cause, not several."))
    by_parent: dict[int | None, list[dict[str, Any]]] = {}
    for node in cleaned:
        by_parent.setdefault(node["parent"], []).append(node)
    ordered: list[dict[str, Any]] = []
    depth: dict[int, int] = {}

    def walk(parent: int | None, level: int) -> None:
        for node in by_parent.get(parent, []):
            if level > MAX_DEPTH:
                raise _invalid(_("A cause tree is at most %(n)s levels deep.") % {"n": MAX_DEPTH})
            depth[node["id"]] = level
            ordered.append(node)
            walk(node["id"], level + 1)

    walk(None, 1)
    if len(ordered) != len(cleaned):  # a parent that is not in the tree, or a loop
        raise _invalid(_("Each cause's parent must be another cause of the tree."))
    return ordered


def root_of(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((n for n in nodes if n.get("root")), None)


def nested(nodes: list[dict[str, Any]]) -> list[CauseNode]:
    """The stored (already clean) tree as nested nodes, for the page and the API."""
    made: dict[int, CauseNode] = {}
    top: list[CauseNode] = []
    for node in nodes:
        parent = made.get(node["parent"]) if node["parent"] is not None else None
        made[node["id"]] = item = CauseNode(
            node["id"], node["text"], bool(node.get("root")), parent.depth + 1 if parent else 1
        )
        (parent.children if parent else top).append(item)
    return top


def with_added(nodes: list[dict[str, Any]], *, parent: int | None, text: str) -> list[dict]:
    """The tree with a new cause under ``parent`` (None: under the problem)."""
    new_id = max((n["id"] for n in nodes), default=0) + 1
    return [*nodes, {"id": new_id, "parent": parent, "text": text, "root": False}]


def with_removed(nodes: list[dict[str, Any]], node_id: int) -> list[dict[str, Any]]:
    """The tree without the cause ``node_id`` and every cause under it."""
    gone = {node_id}
    for node in nodes:  # parents come before their children
        if node["parent"] in gone:
            gone.add(node["id"])
    return [n for n in nodes if n["id"] not in gone]


def with_root(nodes: list[dict[str, Any]], node_id: int) -> list[dict[str, Any]]:
    """The tree with ``node_id`` (alone) marked as the root cause."""
    return [{**n, "root": n["id"] == node_id} for n in nodes]


def has(nodes: list[dict[str, Any]], node_id: int) -> bool:
    return any(n["id"] == node_id for n in nodes)
