"""Queue selector: capped counts, and the text search over ``Complaint.search_document``."""

from __future__ import annotations

from plaint.complaints import selectors
from plaint.complaints.selectors import QueueFilters, complaint_get, complaint_list
from tests.factories import CategoryFactory, make_complaint


def test_count_is_exact_up_to_the_limit_then_says_more_than(handler, monkeypatch):
    for _ in range(3):
        make_complaint()
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 3)
    page = complaint_list(actor=handler, filters=QueueFilters())
    assert (page.total, page.total_exceeds) == (3, None)
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 2)
    page = complaint_list(actor=handler, filters=QueueFilters(), limit=1)
    assert (page.total, page.total_exceeds) == (None, 2)
    assert len(page.items) == 1 and page.next_cursor


def test_a_text_search_counts_to_its_own_lower_limit(handler, monkeypatch):
    for _ in range(3):
        make_complaint(subject="Broken kettle")
    monkeypatch.setattr(selectors, "SEARCH_COUNT_LIMIT", 2)
    page = complaint_list(actor=handler, filters=QueueFilters(q="kettle"), limit=1)
    assert (page.total, page.total_exceeds) == (None, 2)
    page = complaint_list(actor=handler, filters=QueueFilters())
    assert (page.total, page.total_exceeds) == (3, None)


def test_text_search_matches_subject_description_name_and_email(handler):
    by_subject, _ = make_complaint(subject="Warranty refused", description="Broken kettle")
    by_text, _ = make_complaint(subject="Kettle", description="They refused the WARRANTY repair")
    by_name, _ = make_complaint(name="Warrantyson Tamm", subject="Noise", description="Loud")
    by_email, _ = make_complaint(email="w@example.org", subject="Late", description="Late")
    other, _ = make_complaint(subject="Late", description="Nothing to see", email="x@example.org")

    def found(term: str) -> set[int]:
        page = complaint_list(actor=handler, filters=QueueFilters(q=term))
        assert page.total == len(page.items)
        return {c.pk for c in page.items}

    assert found("warranty") == {by_subject.pk, by_text.pk, by_name.pk}
    assert found("W@EXAMPLE.ORG") == {by_email.pk}
    assert found("x@example") == {other.pk}  # e-mail matches in part, like the other fields
    assert found("late") == {by_email.pk, other.pk}
    assert found("100%") == set()  # LIKE wildcards are matched literally
    assert found(by_email.reference) == {by_email.pk}  # references are matched whole


def test_search_document_is_written_on_intake_lower_cased_and_folded(handler):
    complaint, _ = make_complaint(
        name="Ülle Õun", email="Ylle@Example.org", subject="Väike", description="KÕIK HALB"
    )
    assert complaint.search_document == "vaike koik halb ulle oun ylle@example.org"
    for q in ("ÕUN", "oun"):
        page = complaint_list(actor=handler, filters=QueueFilters(q=q))
        assert [c.pk for c in page.items] == [complaint.pk]


def test_complaint_get_by_reference_or_id(handler):
    complaint, _ = make_complaint()
    assert complaint_get(actor=handler, reference=complaint.reference).pk == complaint.pk
    assert complaint_get(actor=handler, reference=str(complaint.pk)).pk == complaint.pk


def test_category_filter_pages_newest_first_and_an_unknown_code_finds_nothing(handler):
    CategoryFactory(code="delivery")
    CategoryFactory(code="billing")
    delivery = [make_complaint(category="delivery")[0] for _ in range(3)]
    make_complaint(category="billing")
    make_complaint()  # no category
    filters = QueueFilters(category="delivery", state=[delivery[0].state])
    first = complaint_list(actor=handler, filters=filters, limit=2)
    rest = complaint_list(actor=handler, filters=filters, cursor=first.next_cursor, limit=2)
    seen = [c.pk for c in first.items + rest.items]
    assert seen == [c.pk for c in sorted(delivery, key=lambda c: (c.received_at, c.pk))][::-1]
    assert (first.total, rest.next_cursor) == (3, None)
    nothing = complaint_list(actor=handler, filters=QueueFilters(category="no-such-code"))
    assert (nothing.items, nothing.total) == ([], 0)
