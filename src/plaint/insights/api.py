"""The insights API: thin adapters over selectors and services."""

from ninja import Router

router = Router(tags=["insights"])
