"""The queue's views: the built-in ones every member of staff has, and the one canonical form of a
view's filters (a query string of the queue's own parameters, compared and stored as such)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from plaint.complaints.states import OPEN

# The queue's filter parameters, the only ones a view holds (never the page: cursor, limit).
FILTER_PARAMS = (
    "q",
    "state",
    "assignee",
    "team",
    "category",
    "channel",
    "severity",
    "safety",
    "due",
    "overdue",
    "received_from",
    "received_to",
    "sort",
)


# A value that is the filter's default says nothing: "sort=newest" is the queue without filters.
DEFAULTS = {("sort", "newest")}


def canonical_query(pairs: Iterable[tuple[str, str]]) -> str:
    """The filter parameters among ``pairs``, without empty or default values, sorted: two ways
    of writing the same filters give the same string ("" is the queue without filters)."""
    kept = sorted((key, value.strip()) for key, value in pairs if key in FILTER_PARAMS)
    return urlencode([(k, v) for k, v in kept if v and (k, v) not in DEFAULTS])


def canonical_from_string(query: str) -> str:
    return canonical_query(parse_qsl(query, keep_blank_values=False))


@dataclass(frozen=True)
class QueueView:
    """One entry of the queue's list of views: a built-in one (``key`` a word) or a saved one
    (``key`` its id; ``team_name`` when shared with a team)."""

    key: str
    name: str | Promise
    query: str
    builtin: bool = False
    team_name: str = ""
    owner_id: int | None = None
    team_id: int | None = None


_OPEN_STATES = [("state", state.value) for state in sorted(OPEN)]

BUILTIN_VIEWS = (
    QueueView("all", _("All complaints"), canonical_query([("sort", "newest")]), builtin=True),
    QueueView(
        "mine",
        _("My open cases"),
        canonical_query([("assignee", "me"), ("sort", "due"), *_OPEN_STATES]),
        builtin=True,
    ),
    QueueView(
        "due-this-week",
        _("Due this week"),
        canonical_query([("due", "week"), ("sort", "due"), *_OPEN_STATES]),
        builtin=True,
    ),
    QueueView(
        "safety",
        _("Safety issues"),
        canonical_query([("safety", "on"), ("sort", "due"), *_OPEN_STATES]),
        builtin=True,
    ),
)
