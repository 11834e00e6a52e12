"""Reading a large table (CSV or XLSX) one row at a time, never the whole file: the complaint
history import reads exports of a million rows with the same memory as of ten.

CSV: the encoding and the dialect are decided as ``core.csvfiles`` decides them for a whole file,
but on the file's first ``SAMPLE_BYTES`` only; the rest is decoded as it is read, and bytes that
are not that encoding further on are refused with the line they are on. XLSX: the first sheet,
read with openpyxl's read-only (streaming) mode; dates become ISO text, whole numbers lose ".0".
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import openpyxl
from django.utils.translation import gettext as _

from plaint.core import csvfiles
from plaint.core.errors import ValidationFailed

SAMPLE_BYTES = 256 * 1024
XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class Table:
    """A file's header and its rows as (line number, cells), read lazily."""

    kind: str  # "csv" or "xlsx"
    encoding: str  # the codec read with ("" for XLSX)
    sure: bool  # False: the encoding was guessed from the sample
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={"file": [message]})


def _sample_text(sample: bytes, encoding: str) -> csvfiles.Decoded:
    """The sample decoded; a character cut at the sample's end is left out, not refused."""
    if encoding == "auto":
        if sample.startswith(b"\xef\xbb\xbf"):
            encoding = "utf-8-sig"
        elif sample.startswith((b"\xff\xfe", b"\xfe\xff")):
            encoding = "utf-16"
        else:
            try:
                text = codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
                return csvfiles.Decoded(text, "utf-8", True)
            except UnicodeDecodeError:
                # a sample cut from a larger file may end inside a character: leave its last
                # bytes out; a whole small file is read whole (its last line decides the dialect)
                whole = len(sample) < SAMPLE_BYTES
                try:
                    guess = csvfiles.decode(
                        sample if whole else sample[: len(sample) - 4] or sample
                    )
                except csvfiles.NotText as exc:
                    raise _refuse(
                        _("The file is not text in any encoding Plaint recognises.")
                    ) from exc
                return guess
    try:
        text = codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except (UnicodeDecodeError, LookupError) as exc:
        raise _refuse(
            _("The file is not %(encoding)s text: choose its encoding, or “Detect”.")
            % {"encoding": encoding}
        ) from exc
    return csvfiles.Decoded(text.lstrip("\ufeff"), encoding, True)


class _Borrowed(io.RawIOBase):
    """The caller's file, read through a text wrapper that must not close it when it goes."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._handle.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _csv_table(handle: IO[bytes], encoding: str) -> Table:
    sample = handle.read(SAMPLE_BYTES)
    decoded = _sample_text(sample, encoding)
    # the dialect from the sample's complete lines (the last one may be cut)
    whole = decoded.text if len(sample) < SAMPLE_BYTES else decoded.text.rpartition("\n")[0]
    dialect = csvfiles.dialect_of(whole)
    handle.seek(0)
    codec = "utf-8-sig" if decoded.encoding == "utf-8" else decoded.encoding
    text = io.TextIOWrapper(io.BufferedReader(_Borrowed(handle)), encoding=codec, newline="")
    reader = csv.reader(text, dialect)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except StopIteration:
        raise _refuse(_("The file is empty.")) from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise _refuse(_("The file is not readable CSV.")) from exc
    return Table("csv", decoded.encoding, decoded.sure, header, _csv_rows(reader))


def _csv_rows(reader: Any) -> Iterator[tuple[int, list[str]]]:
    line = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            raise _refuse(
                _("Line %(line)s is not text in the file's encoding.") % {"line": line}
            ) from exc
        except csv.Error as exc:
            yield line, ["\x00error", str(exc)]
            line = reader.line_num + 1
            continue
        if any(v.strip() for v in values):
            yield line, values
        line = reader.line_num + 1


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep="T")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_table(handle: IO[bytes]) -> Table:
    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _refuse(_("The file is not a readable XLSX workbook.")) from exc
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    first = next(values, None)
    if first is None:
        raise _refuse(_("The file is empty."))
    header = [_cell(v).strip() for v in first]
    while header and not header[-1]:
        header.pop()

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, row in enumerate(values, start=2):
                cells = [_cell(v) for v in row]
                if any(c.strip() for c in cells):
                    yield number, cells
        finally:
            book.close()

    return Table("xlsx", "", True, header, rows())


def open_table(handle: IO[bytes], *, name: str = "", encoding: str = "auto") -> Table:
    """The table in ``handle`` (a binary file that can seek): XLSX when it is a ZIP archive (or
    named .xlsx), otherwise CSV in ``encoding`` (or detected)."""
    magic = handle.read(4)
    handle.seek(0)
    if magic == XLSX_MAGIC or name.lower().endswith(".xlsx"):
        return _xlsx_table(handle)
    return _csv_table(handle, encoding)


def is_error_row(cells: list[str]) -> str:
    """The parser's complaint about a row that could not be read, or ""."""
    return cells[1] if cells and cells[0] == "\x00error" else ""
