"""Which of Plaint's five languages a mail is written in, from its letters: no small, well-kept
language-detection library covers Estonian, Ukrainian, Swedish and Persian reliably on a few
lines, and the five are told apart by their alphabets. Arabic script is Persian (the one Plaint
speaks); Cyrillic is Ukrainian (Russian then reads as Ukrainian too, the nearest language Plaint
speaks); Latin with o-tilde, s-caron or z-caron, or with Estonian's commonest words, is Estonian;
with a-ring or Swedish's commonest words, Swedish; otherwise English."""

from __future__ import annotations

from collections import Counter

_ESTONIAN = set("õšž")
_SWEDISH = set("å")
_UMLAUTS = set("äöü")
_ESTONIAN_WORDS = {"ja", "on", "ei", "see", "mis", "et", "kui", "oli", "minu", "teie", "tere"}
_SWEDISH_WORDS = {"och", "att", "det", "jag", "inte", "som", "är", "för", "med", "hej", "min"}


def detect_language(text: str, default: str = "en") -> str:
    """The language code (en, et, uk, sv, fa) the text is most likely in."""
    sample = text[:5000].lower()
    letters = Counter(c for c in sample if c.isalpha())
    total = sum(letters.values())
    if not total:
        return default
    arabic = sum(n for c, n in letters.items() if "\u0600" <= c <= "\u06ff")
    cyrillic = sum(n for c, n in letters.items() if "\u0400" <= c <= "\u04ff")
    if arabic > total / 3:
        return "fa"  # Arabic script: Persian is the one Plaint speaks (its letters are typical)
    if cyrillic > total / 3:
        return "uk"
    words = set(sample.split())
    estonian = sum(letters[c] for c in _ESTONIAN) + 2 * len(words & _ESTONIAN_WORDS)
    swedish = sum(letters[c] for c in _SWEDISH) + 2 * len(words & _SWEDISH_WORDS)
    if estonian or swedish:
        return "et" if estonian > swedish else "sv"
    if sum(letters[c] for c in _UMLAUTS) > total / 50:
        return "et"
    return default
