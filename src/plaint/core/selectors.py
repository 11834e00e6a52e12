"""Reads of core data."""

from __future__ import annotations

from plaint.core.models import Organisation


def organisation_get() -> Organisation:
    """The organisation's settings; unsaved defaults until a manager saves them."""
    return Organisation.objects.order_by("pk").first() or Organisation()
