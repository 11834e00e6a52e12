"""The queue's text search: the normaliser (one rule per test) and what a search finds."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaint.complaints.models import Complaint
from plaint.complaints.search import bare_number, normalise, search_words
from plaint.complaints.selectors import QueueFilters, complaint_list
from tests.factories import make_complaint

# --- the normaliser ----------------------------------------------------------------------------


def test_lower_case():
    assert normalise("WARRANTY Kettle") == "warranty kettle"


def test_arabic_yeh_and_alef_maksura_become_persian_yeh():
    assert normalise("\u0639\u0644\u064a") == normalise("\u0639\u0644\u06cc")  # علي / علی
    assert normalise("\u0645\u0648\u0633\u0649") == "\u0645\u0648\u0633\u06cc"  # موسى → موسی


def test_arabic_kaf_becomes_persian_keheh():
    assert normalise("\u0643\u062a\u0627\u0628") == "\u06a9\u062a\u0627\u0628"  # كتاب → کتاب


def test_zero_width_joiners_are_removed():
    joined = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # می‌خواهم (ZWNJ)
    assert normalise(joined) == "\u0645\u06cc\u062e\u0648\u0627\u0647\u0645"  # میخواهم
    assert normalise("a\u200bb\u200dc\ufeffd\u00ade") == "abcde"


def test_harakat_and_tatweel_are_removed():
    assert normalise("\u0643\u064e\u062a\u064e\u0628\u064e") == "\u06a9\u062a\u0628"  # كَتَبَ
    assert normalise("\u06a9\u0640\u062a\u0627\u0628") == "\u06a9\u062a\u0627\u0628"  # کـتاب


def test_persian_and_arabic_digits_become_ascii():
    assert normalise("\u06f3\u06f0\u06f3") == "303"  # ۳۰۳
    assert normalise("\u0663\u0660\u0663") == "303"  # ٣٠٣


def test_latin_diacritics_are_folded_including_decomposed_input():
    assert normalise("Café Ülle Õun Åsa Škoda") == "cafe ulle oun asa skoda"
    assert normalise("cafe\u0301") == "cafe"


def test_cyrillic_letters_with_marks_stay_distinct():
    assert normalise("Й") == "й" != normalise("и")
    assert normalise("\u0457") == "\u0457" != normalise("\u0456")  # yi, dotted i
    assert normalise("и\u0306") == "й"  # decomposed input is composed, not stripped


def test_query_words_and_bare_numbers():
    assert search_words("  Kettle   WARRANTY ") == ["kettle", "warranty"]
    assert bare_number(search_words("000303")) == 303
    assert bare_number(search_words("\u06f3\u06f0\u06f3")) == 303
    assert bare_number(search_words("303 kettle")) is None
    assert bare_number(search_words("kettle")) is None


# --- what a search finds ------------------------------------------------------------------------


def _found(actor, term: str) -> set[int]:
    page = complaint_list(actor=actor, filters=QueueFilters(q=term))
    return {c.pk for c in page.items}


def test_several_words_match_in_any_order(handler):
    both, _ = make_complaint(subject="Kettle broken", description="Warranty was refused.")
    kettle_only, _ = make_complaint(subject="Kettle", description="Leaks.")
    make_complaint(subject="Warranty", description="Refused for a toaster.")
    assert _found(handler, "warranty kettle") == {both.pk}
    assert _found(handler, "Kettle  WARRANTY") == {both.pk}
    assert _found(handler, "kettle") == {both.pk, kettle_only.pk}
    assert _found(handler, "kettle toaster") == set()


def test_a_bare_reference_number_finds_the_case(handler):
    complaint, _ = make_complaint()
    make_complaint()
    number = complaint.reference.rsplit("-", 1)[1]  # e.g. "000001"
    assert len(number) == 6
    assert _found(handler, number) == {complaint.pk}
    assert _found(handler, str(int(number))) == {complaint.pk}
    assert _found(handler, complaint.reference) == {complaint.pk}


def test_a_reference_number_in_another_year_and_digits_in_the_text(handler):
    old, _ = make_complaint()
    Complaint.objects.filter(pk=old.pk).update(reference="C-2019-000303")
    by_text, _ = make_complaint(description="Order 303 never arrived.")
    make_complaint(description="Order 304 never arrived.")
    assert _found(handler, "303") == {old.pk, by_text.pk}
    assert _found(handler, "000303") == {old.pk}


def test_persian_arabic_letter_forms_and_zwnj_match(handler):
    # Stored with Arabic yeh and kaf and a ZWNJ; typed with the Persian letters, joined.
    complaint, _ = make_complaint(
        subject="\u0634\u0643\u0627\u064a\u062a",  # شكايت (Arabic ك and ي)
        description="\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \u067e\u0648\u0644",
    )
    make_complaint()
    assert _found(handler, "\u0634\u06a9\u0627\u06cc\u062a") == {complaint.pk}  # شکایت
    assert _found(handler, "\u0645\u06cc\u062e\u0648\u0627\u0647\u0645") == {complaint.pk}
    assert _found(handler, "\u0645\u06cc \u062e\u0648\u0627\u0647\u0645") == {complaint.pk}
    assert _found(handler, "\u0645\u064a\u200c\u062e\u0648\u0627\u0647\u0645") == {complaint.pk}


def test_cafe_finds_cafe_with_accent_and_back(handler):
    complaint, _ = make_complaint(subject="Café closed early")
    make_complaint()
    assert _found(handler, "cafe") == {complaint.pk}
    assert _found(handler, "CAFÉ") == {complaint.pk}


def test_ukrainian_short_i_stays_distinct(handler):
    with_short_i, _ = make_complaint(subject="\u0447\u0430\u0439\u043d\u0438\u043a")  # чайник
    with_i, _ = make_complaint(subject="\u0447\u0430\u0438\u043d\u0438\u043a")  # чаиник
    assert _found(handler, "\u0447\u0430\u0439") == {with_short_i.pk}
    assert _found(handler, "\u0447\u0430\u0438") == {with_i.pk}


@pytest.mark.parametrize("q", ["warranty kettle", "303", "kettle"])
def test_the_queue_runs_the_same_statements_with_any_search(client, handler, q):
    make_complaint(subject="Kettle", description="Warranty refused.")
    client.force_login(handler)
    client.get("/staff/")  # warm up the session
    with CaptureQueriesContext(connection) as plain:
        client.get("/staff/?q=kettle")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/staff/", {"q": q})
    assert response.status_code == 200

    def reads(captured) -> int:
        # a new set of filters is remembered as the person's last view (one upsert, issue 16
        # item 9): not the search's doing
        return len([q for q in captured if not q["sql"].startswith("INSERT")])

    assert reads(ctx.captured_queries) == reads(plain.captured_queries)


def test_search_document_is_stored_normalised(handler):
    complaint, _ = make_complaint(
        name="\u0639\u0644\u064a", email="A@Example.org", subject="Café", description="x"
    )
    assert complaint.search_document == "cafe x \u0639\u0644\u06cc a@example.org"


def test_migration_0011_recomputes_the_stored_text_in_the_new_form(handler, monkeypatch):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "plaint.complaints.migrations.0011_search_document_normalised"
    )
    monkeypatch.setattr(migration, "BATCH", 2)
    made = [make_complaint(subject=f"Café {i}", name="\u0639\u0644\u064a")[0] for i in range(5)]
    Complaint.objects.update(search_document="old text")
    migration.renormalise(apps, None)
    for c in made:
        c.refresh_from_db()
        assert c.search_document.startswith("cafe ")
        assert c.search_document.endswith("\u0639\u0644\u06cc mari@example.org")
    assert _found(handler, "cafe 3") == {made[3].pk}
