# ruff: noqa: RUF001 - the expected texts are Ukrainian and Persian on purpose
"""plaint.core.locales and its template filters: one digit system per message, time zones in
words, isolation of left-to-right bits in right-to-left text; and the mails that use them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe

from plaint.core.locales import FSI, PDI, isolate, money, one_digit_system, timezone_in_words
from plaint.core.models import Attachment
from tests.factories import advance, make_complaint
from tests.promises.factories import RESPOND_10_BD, make_code

PERSIAN_OR_ARABIC_DIGIT = re.compile("[\u06f0-\u06f9\u0660-\u0669]")


def test_one_digit_system_writes_persian_and_arabic_indic_digits_0_to_9():
    assert one_digit_system("ظرف ۲۰ روز، مبلغ ٣٥٨ یورو") == "ظرف 20 روز، مبلغ 358 یورو"
    assert one_digit_system("C-2026-000303 · 7") == "C-2026-000303 · 7"


def test_isolate_wraps_in_unicode_isolates_and_leaves_nothing_alone():
    assert isolate(".docx") == "\u2068.docx\u2069"
    assert isolate("") == ""


@pytest.mark.parametrize(
    ("zone", "language", "words"),
    [
        ("Europe/Tallinn", "en", "Eastern European Time"),
        ("Europe/Tallinn", "et", "Ida-Euroopa aeg"),
        ("Europe/Tallinn", "uk", "за східноєвропейським часом"),
        ("Europe/Tallinn", "sv", "östeuropeisk tid"),
        ("Europe/Tallinn", "fa", "وقت شرق اروپا"),
        ("Europe/Stockholm", "sv", "centraleuropeisk tid"),
        ("Asia/Tehran", "fa", "وقت ایران"),
        ("UTC", "en", "Coordinated Universal Time"),
        ("Etc/UTC", "et", "Koordineeritud maailmaaeg"),
        ("Europe/Tallinn", "xx", "Europe/Tallinn"),  # a language CLDR does not know
    ],
)
def test_time_zones_are_named_in_words(zone, language, words):
    assert timezone_in_words(zone, language) == words


@pytest.mark.parametrize(
    ("name", "kind"),
    [("contract.DOCX", ".docx"), ("قرارداد.docx", ".docx"), ("README", ""), (".profile", "")],
)
def test_an_attachment_names_its_file_type(name, kind):
    assert Attachment(original_name=name).file_type == kind


def test_the_digits_filter_escapes_plain_text_and_keeps_safe_text_safe():
    template = Template("{% load plaint_locale %}{{ plain|digits }} {{ safe|digits }}")
    out = template.render(Context({"plain": "<b>۲۰</b>", "safe": mark_safe("<i>۷</i>")}))
    assert out == "&lt;b&gt;20&lt;/b&gt; <i>7</i>"


def test_the_timezone_name_tag_names_the_current_zone_in_the_page_language():
    from django.utils import timezone

    template = Template("{% load plaint_locale %}{% timezone_name %}")
    with translation.override("sv"), timezone.override("Europe/Tallinn"):
        assert template.render(Context()) == "östeuropeisk tid"


PROMISE_FA = {
    **RESPOND_10_BD,
    "texts": {
        "en": "We decide within 10 business days.",
        "fa": "تصمیم خود را ظرف ۱۰ روز کاری برای شما می‌فرستیم.",
    },
}


@pytest.mark.django_db
def test_a_persian_acknowledgement_has_one_digit_system_and_names_the_zone(manager, run_jobs):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        make_code(manager, promises=[PROMISE_FA])
        complaint, _ = make_complaint(
            language="fa",
            name="مریم احمدی",
            description="برای سفارش ۵۱۲۳۴ دو بار مبلغ ۱۲۹ یورو برداشت شد.",
        )
        assert run_jobs() == 1
    [email] = mail.outbox
    for text in (email.subject, email.body):
        assert not PERSIAN_OR_ARABIC_DIGIT.search(text), text
    # the organisation's promise and the complainant's words, in the digits of the dates
    assert "ظرف 10 روز کاری برای شما می‌فرستیم. (16 مارس 2026، ساعت 17:00)" in email.body
    assert "سفارش 51234" in email.body and "مبلغ 129 یورو" in email.body
    assert "(به وقت شرق اروپا)" in email.body and "Europe/Tallinn" not in email.body
    # the reference keeps its own direction inside the Persian sentences
    isolated = f"{FSI}{complaint.reference}{PDI}"
    assert isolated in email.subject and isolated in email.body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "(Eastern European Time)"),
        ("et", "(Ida-Euroopa aeg)"),
        ("uk", "(за східноєвропейським часом)"),
        ("sv", "(östeuropeisk tid)"),
    ],
)
def test_every_acknowledgement_names_the_zone_in_words(language, words, run_jobs):
    make_complaint(language=language)
    assert run_jobs() == 1
    [email] = mail.outbox
    assert words in email.body and "Europe/Tallinn" not in email.body


@pytest.mark.django_db
def test_a_persian_decision_isolates_the_amount_and_uses_0_to_9(handler, run_jobs):
    complaint, _ = make_complaint(language="fa", name="مریم احمدی")
    run_jobs()
    mail.outbox.clear()
    advance(complaint, "decision_communicated", by=handler)
    run_jobs()
    [decision] = [m for m in mail.outbox if "تصمیم" in m.subject]
    assert not PERSIAN_OR_ARABIC_DIGIT.search(decision.subject + decision.body)
    assert re.search(f"{FSI}\u200e€\xa0[0-9.,]+{PDI}", decision.body), decision.body


@pytest.mark.parametrize(("language", "text"), [("en", "0.5"), ("et", "0,5"), ("sv", "0,5")])
def test_chart_figures_use_the_decimal_separator_of_the_page_language(language, text):
    from plaint.core.charts import format_tick

    with translation.override(language):
        assert format_tick(0.5, 1) == text
        assert format_tick(-0.04, 1) == text.replace("5", "0")  # never "-0.0"


def test_the_bdi_filter_isolates_an_escaped_placeholder_inside_a_translated_sentence():
    template = Template(
        "{% load i18n plaint_locale %}"
        "{% blocktranslate with name=file|bdi %}{{ name }}: imported.{% endblocktranslate %}"
    )
    out = template.render(Context({"file": "<x>.csv"}))
    assert out == "<bdi>&lt;x&gt;.csv</bdi>: imported."


@pytest.mark.parametrize(
    ("language", "amount", "currency", "written"),
    [
        ("en", "50000.00", "EUR", "€50,000.00"),
        ("en", "129", "SEK", "SEK\xa0129.00"),  # letters and digits apart, as CLDR spaces them
        ("et", "50000.00", "EUR", "50\xa0000,00\xa0€"),
        ("sv", "4.9", "SEK", "4,90\xa0kr"),
        ("uk", "39.90", "UAH", "39,90\xa0₴"),
        ("fa", "50000.00", "EUR", "\u200e€\xa050,000.00"),  # 0-9, not Persian digits
        ("fa", "12.5", "IRR", "\u200eریال\xa012.5"),  # CLDR's whole rials would drop the .5
        ("en", "7.25", "", "7.25"),
        ("et", "5", "xyz", "5,00\xa0XYZ"),  # a code CLDR does not know, as given
    ],
)
def test_money_is_written_as_each_language_writes_it(language, amount, currency, written):
    from decimal import Decimal

    assert money(Decimal(amount), currency, language) == written


def test_money_leaves_alone_what_is_not_a_number():
    assert money(None, "EUR", "en") == money("", "EUR", "en") == ""
    # a mail queued before amounts were written per language carries "50000.00 EUR"
    assert money("50000.00 EUR", "", "sv") == "50000.00 EUR"


def test_the_money_filter_writes_the_page_language():
    template = Template("{% load plaint_locale %}{{ amount|money:currency }}")
    context = Context({"amount": 1234.5, "currency": "EUR"})
    with translation.override("et"):
        assert template.render(context) == "1\xa0234,50\xa0€"
    with translation.override("en"):
        assert template.render(context) == "€1,234.50"


@pytest.mark.parametrize(
    ("language", "start", "end", "written"),
    [
        ("en", dt.date(2026, 6, 1), dt.date(2026, 6, 1), "June 2026"),
        ("et", dt.date(2026, 6, 1), dt.date(2026, 6, 1), "juuni 2026"),
        ("en", dt.date(2026, 4, 1), dt.date(2026, 6, 1), "April 2026 – June 2026"),
        ("sv", dt.date(2025, 11, 1), dt.date(2026, 1, 1), "november 2025 – januari 2026"),
        ("en", dt.date(2026, 6, 1), None, "June 2026"),
        ("en", None, None, ""),
    ],
)
def test_a_period_of_months_names_one_month_once(language, start, end, written):
    template = Template("{% load plaint_locale %}{{ start|month_span:end }}")
    with translation.override(language):
        assert template.render(Context({"start": start, "end": end})) == written
