"""What happens to surveys that higher apps react to (``plaint.core.events``). Published by
``plaint.surveys.services`` inside the change's transaction; insights keeps its aggregates in step."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from plaint.core.events import Event

if TYPE_CHECKING:
    from plaint.surveys.models import Response


@dataclass(frozen=True)
class ResponseRecorded(Event):
    """A survey response was stored (answered on the page, imported or entered by staff)."""

    response: Response


@dataclass(frozen=True)
class ResponsesImported(Event):
    """Responses were imported (a file from another tool), so the apps above can count them with a
    few statements instead of a few per response. Either one event for them all (``response_ids``
    only: read them back), or one per batch written with ``written`` — each response (with its id)
    and its answers by question id (``value``, ``text``, ``choices``), so they need not be read
    back — then a last one (``last``, no rows). ``tally`` is the import's own dict, the same in
    each of its events: the apps keep what they have counted so far there until the last."""

    survey_id: int
    response_ids: tuple[int, ...]
    written: tuple[tuple[Response, Mapping[int, Mapping[str, Any]]], ...] = ()
    tally: dict[str, Any] | None = None
    last: bool = False
