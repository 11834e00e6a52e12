"""Events the disputes app publishes for the apps above it (``plaint.core.events``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from plaint.complaints.events import Panel
from plaint.core.events import Event

if TYPE_CHECKING:
    from plaint.disputes.models import Dispute


@dataclass(frozen=True)
class DisputePageComposing(Event):
    """The staff page of ``dispute`` is being rendered for ``user``: a handler may append a
    ``Panel`` (e.g. improvement's corrective actions from this dispute); the page shows them in
    order, after the next steps."""

    dispute: Dispute
    user: Any
    panels: list[Panel] = field(default_factory=list)
