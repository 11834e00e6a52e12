"""The one page-size rule of lists (queue, invitations, responses, callbacks …): at least one row,
at most ``maximum``, ``default`` when the request gives none or not a number."""

from __future__ import annotations

MAX_PAGE_SIZE = 200


def page_size(value: int | str | None, *, default: int, maximum: int = MAX_PAGE_SIZE) -> int:
    """``value`` (a query-string value or a caller's number) clamped to ``1…maximum``."""
    if value is None or value == "":
        size = default
    else:
        try:
            size = int(value)
        except (TypeError, ValueError):
            size = default
    return max(1, min(size, maximum))
