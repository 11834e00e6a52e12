"""Reading CSV files people bring from other tools: which encoding the bytes are in, and which
dialect the text is in, decided so that a file is never stored as mojibake or split wrongly.

Encoding: a byte-order mark decides (UTF-8 or UTF-16); otherwise UTF-8 if the bytes are valid
UTF-8 (an 8-bit file with any letter beyond ASCII almost never is); otherwise one of the 8-bit
code pages of the five languages' regions, the one charset-normalizer finds reads most like text.
That last guess is marked unsure, so the page shows a preview and lets the person choose.

Dialect: RFC 4180 (comma, double quotes doubled) first; a semicolon or tab file only if it parses
the whole file with as many values on every row as in its header. ``csv.Sniffer`` is not used: it
guesses from the first few kilobytes and can guess ``doublequote=False`` for a valid file.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from typing import Any

import charset_normalizer
from django.utils.translation import gettext_lazy as _

# (codec, what a person knows it by); "auto" detects
ENCODINGS: list[tuple[str, Any]] = [
    ("utf-8", "UTF-8"),
    ("utf-16", "UTF-16"),
    ("cp1252", _("Windows-1252 (Western European: English, Swedish)")),
    ("cp1257", _("Windows-1257 (Baltic: Estonian)")),
    ("cp1251", _("Windows-1251 (Cyrillic: Ukrainian)")),
    ("cp1256", _("Windows-1256 (Arabic script: Persian)")),
    ("iso-8859-15", _("ISO-8859-15 (Latin-9)")),
]
EIGHT_BIT = ("cp1252", "cp1257", "cp1251", "cp1256")
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the codec used
    sure: bool  # False when an 8-bit code page was guessed


class NotText(ValueError):
    """The bytes are not text in the encoding asked for (or in any the detection tries)."""


def decode(data: bytes, encoding: str = "auto") -> Decoded:
    """``data`` as text, in ``encoding`` or detected ("auto"); raises NotText when the bytes do not
    decode (with the encoding asked for) — never replaces characters."""
    if encoding != "auto":
        try:
            return Decoded(data.decode(encoding).lstrip("\ufeff"), encoding, True)
        except (UnicodeDecodeError, LookupError) as exc:
            raise NotText(encoding) from exc
    if data.startswith(b"\xef\xbb\xbf"):
        return decode(data[3:], "utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return decode(data, "utf-16")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", True)
    except UnicodeDecodeError:
        pass
    # charset-normalizer ranks the code pages by how much their decoding reads like text in some
    # language; Western and Baltic files can tie (they differ in a few letters), so the guess is
    # always shown to the person as a guess
    best = charset_normalizer.from_bytes(data, cp_isolation=list(EIGHT_BIT)).best()
    if best is None:
        raise NotText("auto")
    codec = codecs.lookup(best.encoding).name
    return Decoded(data.decode(codec), codec, False)


def _rows(text: str, dialect: type[csv.Dialect] | csv.Dialect) -> list[list[str]] | None:
    """Every row of ``text`` read with ``dialect``, or None when a row does not parse."""
    try:
        return list(csv.reader(io.StringIO(text), dialect))
    except csv.Error:
        return None


def _consistent(rows: list[list[str]] | None) -> bool:
    if not rows or len(rows[0]) < 2:
        return False
    width = len(rows[0])
    return all(len(r) == width for r in rows[1:] if any(v.strip() for v in r))


class _Semicolon(csv.excel):
    delimiter = ";"


class _Tab(csv.excel):
    delimiter = "\t"


def dialect_of(text: str) -> type[csv.Dialect]:
    """RFC 4180 (comma) unless a semicolon or tab reading parses the whole file consistently and
    the comma reading does not; the comma reading when none does (its bad rows are then reported
    row by row)."""
    if _consistent(_rows(text, csv.excel)):
        return csv.excel
    for dialect in (_Semicolon, _Tab):
        if _consistent(_rows(text, dialect)):
            return dialect
    return csv.excel
