"""What a page or a mail needs beyond Django's formats to read right in each language: one digit
system per message, a time zone named in words, an amount of money as the language writes it, and
isolation of the left-to-right bits (file names, references, addresses) inside right-to-left
text. docs/translating.md explains the choices.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import get_timezone_name
from babel.numbers import format_currency, format_decimal

# Plaint writes every number with the digits 0-9, in Persian too: references, tracking links,
# e-mail addresses, amounts typed into forms and what the search matches are all in 0-9, and
# Django's date and number formats write 0-9 in every language. So text that comes with Persian
# (U+06F0-06F9) or Arabic-Indic (U+0660-0669) digits — a promise the organisation wrote as
# "۲۰ روز کاری", a complaint typed on a Persian keyboard — is shown with 0-9, and a message never
# mixes "۲۰" and "7".
_TO_LATIN_DIGITS = str.maketrans(
    {**{chr(0x06F0 + i): str(i) for i in range(10)}, **{chr(0x0660 + i): str(i) for i in range(10)}}
)
# Unicode's isolates: FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE, the plain-text <bdi>.
FSI, PDI = "\u2068", "\u2069"
# Zones with no place, whose CLDR name would otherwise read "Unknown Region (UTC) Time".
_UNIVERSAL = {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu"}
_UNIVERSAL |= {"GMT", "Etc/GMT", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0", "Etc/Greenwich", "Greenwich"}


# CLDR's currency spacing, which Babel leaves out: a currency written in letters next to a digit
# gets a no-break space ("SEK 50,000.00", not "SEK50,000.00").
_LETTERS_AGAINST_DIGITS = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


def text_in(texts: dict[str, str] | None, language: str) -> str:
    """A text written per language (``{"en": …, "fa": …}``: a code's title, a survey's question,
    a reply template) in ``language``, else in English, else in any language it is written in."""
    if not texts:
        return ""
    return texts.get(language) or texts.get("en") or next(iter(texts.values()))


def one_digit_system(text: str) -> str:
    """``text`` with its Persian and Arabic-Indic digits written 0-9 (see ``_TO_LATIN_DIGITS``)."""
    return text.translate(_TO_LATIN_DIGITS)


def isolate(text: str) -> str:
    """``text`` between Unicode isolates, for plain text: a reference, a file name or an address
    inside a right-to-left sentence keeps its own direction (".docx" keeps its dot in front) and
    does not pull the words around it. The HTML pages use ``<bdi>`` instead."""
    return f"{FSI}{text}{PDI}" if text else text


@lru_cache(maxsize=32)
def _locale(language: str) -> Locale | None:
    """Babel's locale of ``language`` ("fa", "en-gb"), or None for one it does not know."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


@lru_cache(maxsize=256)
def timezone_in_words(zone: str, language: str) -> str:
    """The time zone ``zone`` (an IANA name such as "Europe/Tallinn") as people of ``language``
    name it, from CLDR through Babel: "Eastern European Time", "Ida-Euroopa aeg",
    "وقت شرق اروپا". Falls back to ``zone`` itself for a language Babel does not know."""
    locale = _locale(language)
    if locale is None:
        return zone
    if zone in _UNIVERSAL:
        return str(locale.time_zones["Etc/UTC"]["long"]["standard"])
    try:
        name = get_timezone_name(zone, width="long", locale=locale)
    except LookupError:
        return zone
    # CLDR's fallback for a zone without a name of its own is "(Country)" in some languages.
    return name[1:-1] if name.startswith("(") and name.endswith(")") else name


def money(amount: object, currency: str, language: str) -> str:
    """An amount of money in ``currency`` (an ISO 4217 code) as people of ``language`` write it,
    from CLDR through Babel, in 0-9: "€50,000.00", "50 000,00 €", "50 000,00 kr", "€ 50,000.00"
    (Persian, after a left-to-right mark). No digit of the amount is dropped (12.5 IRR is not
    rounded to CLDR's whole rials); a code CLDR does not know is written as given; no currency:
    the number alone. Anything that is not a number (a mail queued before amounts were
    formatted, "50000.00 EUR") comes back as it is."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    code = (currency or "").strip().upper()
    locale = _locale(language or "en")
    if locale is None or not value.is_finite():
        return f"{value} {code}".strip()
    if code:
        text = format_currency(
            value, code, locale=locale, decimal_quantization=False, numbering_system="latn"
        )
    else:
        text = format_decimal(
            value, locale=locale, decimal_quantization=False, numbering_system="latn"
        )
    return _LETTERS_AGAINST_DIGITS.sub("\xa0", text)
