"""``{% load plaint_locale %}``: the helpers of ``plaint.core.locales`` as filters, for pages
and the plain-text mails (docs/translating.md, "Dates, times and numbers")."""

from __future__ import annotations

import datetime as dt

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language

from plaint.core.dates import formatter_for
from plaint.core.durations import duration_words
from plaint.core.locales import isolate, money, one_digit_system, text_in, timezone_in_words

register = template.Library()


@register.filter(is_safe=True)
def digits(value: object) -> object:
    """Text shown to a reader with its digits in 0-9, like everything Plaint writes: a promise
    written "۲۰ روز کاری" reads "20 روز کاری" beside a due date "5 دسامبر 2026". Safe text
    stays safe (a digit is never markup)."""
    if value is None or value == "":
        return value
    text = one_digit_system(str(value))
    return mark_safe(text) if isinstance(value, SafeData) else text  # noqa: S308


@register.filter(name="money")
def money_filter(amount: object, currency: str = "") -> str:
    """``{{ remedy.amount|money:remedy.currency }}``: the amount as the page's or mail's language
    writes money (``core.locales.money``): "€50,000.00", "50 000,00 €"."""
    return money(amount, currency, get_language() or "en")


@register.filter(name="isolate")
def isolate_filter(value: object) -> str:
    """In a plain-text mail, a reference, date, amount or file name between Unicode isolates, so
    a right-to-left sentence keeps it whole (the mails are rendered with autoescape off)."""
    return isolate("" if value is None else str(value))


@register.simple_tag
def timezone_name() -> str:
    """The time zone the page shows its times in (``timezone.override`` of the view, e.g. the
    organisation's), named in words in the page's language: "Eastern European Time"."""
    return timezone_in_words(timezone.get_current_timezone_name(), get_language() or "en")


@register.filter(name="bdi")
def bdi_filter(value: object) -> str:
    """``value`` escaped inside ``<bdi>``, for a file name or reference that a
    ``{% blocktranslate with … %}`` puts into a sentence (where the template cannot write the
    element around the placeholder itself)."""
    return format_html("<bdi>{}</bdi>", "" if value is None else value)


@register.filter
def local_date(value: object, format_name: str = "DATE_FORMAT") -> str:
    """``{{ value|local_date:"SHORT_DATETIME_FORMAT" }}`` writes what ``{{ value|date:… }}``
    writes, character for character, at a fraction of the cost (``core.dates``): for dates
    written once per row of a list. Anything but an aware datetime goes to Django's filter."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return formatter_for(format_name)(value)
    return date_filter(value, format_name)  # type: ignore[arg-type]  # what the date filter takes


@register.filter
def month_span(start: object, end: object) -> str:
    """``{{ period_start|month_span:period_end }}``: a period of whole months (each given by a
    date in it) as the page's language writes months: "June 2026" for one month, "June 2026 to
    August 2026" (with an en dash) for more. Either end missing: the other alone."""
    first = date_filter(start, "YEAR_MONTH_FORMAT") if start else ""  # type: ignore[arg-type]
    last = date_filter(end, "YEAR_MONTH_FORMAT") if end else ""  # type: ignore[arg-type]
    if not first or not last or first == last:
        return first or last
    return f"{first} \u2013 {last}"


@register.filter
def local_iso(value: object) -> str:
    """``{{ value|local_iso }}``: ``{{ value|date:"c" }}`` (the ISO 8601 moment in the current
    time zone, for a ``<time datetime>``), as cheaply as ``local_date``."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return formatter_for("DATE_FORMAT").iso(value)
    return date_filter(value, "c")  # type: ignore[arg-type]  # what the date filter takes


@register.filter
def duration(value: object) -> str:
    """``{{ a_timedelta|duration }}``: "5 minutes", "1 day" (``core.durations``)."""
    return duration_words(value) if isinstance(value, dt.timedelta) else ""


@register.filter
def in_page_language(texts: dict[str, str] | None) -> str:
    """A text written per language (a code's title, a survey's question) in the page's language,
    else in English, else in any language it is written in (``core.locales.text_in``)."""
    return text_in(texts, get_language() or "en")
