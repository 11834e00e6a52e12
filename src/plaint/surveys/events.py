"""What happens to surveys that higher apps react to (``plaint.core.events``). Published by
``plaint.surveys.services`` inside the change's transaction; insights keeps its aggregates in step."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from plaint.core.events import Event

if TYPE_CHECKING:
    from plaint.surveys.models import Response


@dataclass(frozen=True)
class ResponseRecorded(Event):
    """A survey response was stored (answered on the page, imported or entered by staff)."""

    response: Response


@dataclass(frozen=True)
class ResponsesImported(Event):
    """Responses were imported in one go (a file from another tool): one event for all of them,
    so the apps above can count them with a few statements instead of a few per response."""

    survey_id: int
    response_ids: tuple[int, ...]
