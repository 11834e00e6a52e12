"""Cells written to CSV and XLSX files that people open in spreadsheet programs."""

from __future__ import annotations

from typing import Any

# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """``value``, with a leading apostrophe when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value
