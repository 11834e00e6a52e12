"""The queue's text search: one normaliser for the stored ``Complaint.search_document`` and for
what staff type into ``q``, so both sides are compared in the same form.

Rules (``normalise``), in order:

- Unicode NFKC: Arabic presentation forms, full-width letters and decomposed accents become the
  ordinary characters.
- Lower case.
- Persian and Arabic written the same: Arabic yeh ``ي`` (U+064A) and alef maksura ``ى``
  (U+0649) become Persian yeh ``ی`` (U+06CC); Arabic kaf ``ك`` (U+0643) becomes Persian keheh
  ``ک`` (U+06A9). Harakat (U+064B to U+065F, U+0670) and tatweel (U+0640) are removed.
- Zero-width characters (ZWNJ U+200C, ZWJ U+200D, U+200B, U+2060, U+FEFF, soft hyphen U+00AD)
  are removed, so "می‌خواهم" (with ZWNJ) and "میخواهم" are the same word; the spaced
  "می خواهم" matches too, as two words.
- Persian and Arabic-Indic digits become 0 to 9.
- Latin letters lose their diacritics (é → e, ä → a, õ → o, å → a): staff often type without
  them. Other scripts keep theirs, since there the mark makes a different letter: Ukrainian
  й (U+0439) is not и and ї (U+0457) is not the dotted i (U+0456).

A query (``search_words``) is split at white space; every word must occur somewhere in the
document (AND, any order), each as a substring.
"""

from __future__ import annotations

import re
import unicodedata

_ARABIC_TO_PERSIAN = str.maketrans(
    {
        "\u064a": "\u06cc",  # ي → ی
        "\u0649": "\u06cc",  # ى → ی
        "\u0643": "\u06a9",  # ك → ک
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian digits
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
    }
)
_REMOVED = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u0640\u064b-\u065f\u0670]")


class _LatinFolds(dict[int, str]):
    """``str.translate``'s table for ``_fold_latin``, each character's folding worked out the
    first time it is met (a million imported complaints meet the same few hundred)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        parts = unicodedata.normalize("NFD", ch)
        if len(parts) > 1 and unicodedata.name(parts[0], "").startswith("LATIN"):
            folded = "".join(c for c in parts if not unicodedata.combining(c))
        else:
            folded = ch
        if len(self) < 65536:
            self[code] = folded
        return folded


_LATIN_FOLDS = _LatinFolds()


def _fold_latin(text: str) -> str:
    return text if text.isascii() else text.translate(_LATIN_FOLDS)


def normalise(text: str) -> str:
    """The form both the stored search text and a query are compared in (see the module)."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _REMOVED.sub("", text.translate(_ARABIC_TO_PERSIAN))
    return _fold_latin(text)


def search_words(q: str) -> list[str]:
    """The normalised words of a query, each to be found in the document (AND, any order)."""
    return normalise(q).split()


def bare_number(words: list[str]) -> int | None:
    """The reference number a query of digits only means ("303", "000303"), else None."""
    if len(words) == 1 and words[0].isascii() and words[0].isdigit() and len(words[0]) <= 12:
        return int(words[0])
    return None
