"""Cells written to CSV and XLSX files that people open in spreadsheet programs."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """``value``, with a leading apostrophe when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


class _Echo:
    """A file-like object whose ``write`` returns the line: ``csv.writer`` then yields text."""

    def write(self, value: str) -> str:
        return value


def csv_cell(value: Any) -> Any:
    """A cell of a CSV file: empty for None, ISO 8601 for dates and times, text made safe."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return spreadsheet_safe(value)


def xlsx_cell(value: Any) -> Any:
    """A cell of a workbook: times without their zone (spreadsheets have none), text made safe."""
    if getattr(value, "tzinfo", None) is not None:
        return value.replace(tzinfo=None)
    return spreadsheet_safe(value)


def csv_stream(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """The lines of a CSV file, one at a time (for a ``StreamingHttpResponse``); a BOM first so
    spreadsheet programs read it as UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([csv_cell(v) for v in row])


def xlsx_file(header: list[str], rows: Iterable[list[Any]], *, sheet: str) -> BinaryIO:
    """A workbook of ``rows``, open for reading. openpyxl's write-only mode streams the rows into
    a temporary file (never the whole workbook in memory); the file is unlinked as soon as it is
    open, so nothing is left on disk once the handle is closed, even on an error."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import save_workbook

    fd, path = tempfile.mkstemp(prefix="plaint-export-", suffix=".xlsx")
    os.close(fd)
    try:
        workbook = Workbook(write_only=True)
        worksheet = workbook.create_sheet(sheet)
        worksheet.append(header)
        for row in rows:
            worksheet.append([xlsx_cell(v) for v in row])
        save_workbook(workbook, path)
        return open(path, "rb")  # the caller (a FileResponse) closes it
    finally:
        os.unlink(path)  # the open handle still reads it; the space is freed when it closes
