"""Configuration changes that higher apps react to (``plaint.core.events``): deadlines counted on
the organisation's calendars must be recomputed when the frame they are counted in changes."""

from __future__ import annotations

from dataclasses import dataclass

from plaint.core.events import Event


@dataclass(frozen=True)
class OrganisationChanged(Event):
    """The organisation's settings changed (time zone, default calendar, …)."""

    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class CalendarChanged(Event):
    """A business calendar or its closed days changed."""

    calendar_id: int
