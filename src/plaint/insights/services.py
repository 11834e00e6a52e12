"""Insights writes: keeping the survey aggregates up to date and importing volumes."""

from __future__ import annotations

from typing import Any


def response_recorded(*, response: Any) -> None:
    """Called by the surveys service, inside its transaction, when a response is submitted or
    imported. Keeps the insights aggregates in step with the raw answers."""
    return None
