"""The management-review pages: the list and the workspace for managers (build, record, track)
and auditors (read), no access for handlers; the pack as a PDF whose text reads back; bounded
queries."""

from __future__ import annotations

import datetime as dt
import io
import os

import pytest
import time_machine
from django.test import Client

from plaint.core import pdf
from plaint.core.actors import Actor
from plaint.improvement import services as s
from plaint.improvement.models import ManagementReview
from plaint.improvement.views_review import review_pdf_document
from tests.improvement.helpers import at
from tests.improvement.review_helpers import built_review, open_review, seed_quarter

pytestmark = pytest.mark.django_db
LIST = "/staff/improvement/reviews/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def quarter(manager, handler):
    seed_quarter(manager, handler)


def held(manager, review):
    m = Actor.staff(manager)
    with time_machine.travel(at(2026, 4, 15), tick=False):
        s.review_hold(
            actor=m,
            review_id=review.pk,
            meeting_on=dt.date(2026, 4, 14),
            attendees="Maria, Hans",
            decisions="Set a stacking limit.",
        )
        s.review_action_add(
            actor=m,
            review_id=review.pk,
            description="Agree the stacking limit",
            owner_id=manager.pk,
            due_on=dt.date(2026, 5, 1),
        )
    return ManagementReview.objects.get(pk=review.pk)


def test_a_manager_opens_builds_and_records_a_review_on_the_pages(manager, quarter):
    client = client_for(manager)
    assert client.get(LIST).status_code == 200
    with time_machine.travel(at(2026, 4, 8), tick=False):
        response = client.post(
            LIST,
            {"title": "Q1", "period_start": "2026-01", "period_end": "2026-03", "language": "en"},
        )
    review = ManagementReview.objects.get()
    url = f"{LIST}{review.pk}/"
    assert response.status_code == 302 and response["Location"] == url
    with time_machine.travel(at(2026, 4, 9), tick=False):
        assert client.post(url, {"form": "build"}).status_code == 302
        page = client.get(url).content.decode()
    assert 'id="section-complaints"' in page and 'id="review-pdf"' in page
    assert "Performance against objectives" in page and 'class="chart-pair"' in page
    with time_machine.travel(at(2026, 4, 15), tick=False):
        meeting = {
            "form": "meeting",
            "meeting_on": "2026-04-14",
            "attendees": "Maria",
            "decisions": "Do it",
        }
        assert client.post(url, meeting).status_code == 302
        action = {
            "form": "action",
            "description": "Train",
            "owner": manager.pk,
            "due_on": "2026-05-01",
        }
        assert client.post(url, action).status_code == 302
        action_id = review.actions.get().pk
        done = {"form": "done", "action_id": action_id, "evidence": "Sheet"}
        assert client.post(url, done).status_code == 302
        assert client.post(url, {"form": "close"}).status_code == 302
    review.refresh_from_db()
    assert review.state == "closed" and review.decisions == "Do it"


def test_bad_input_on_the_pages_is_a_form_error_not_a_server_error(manager, quarter):
    client = client_for(manager)
    response = client.post(
        LIST, {"title": "Q1", "period_start": "2026-05", "period_end": "2026-03", "language": "en"}
    )
    assert response.status_code == 422 and not ManagementReview.objects.exists()
    review = open_review(manager)
    url = f"{LIST}{review.pk}/"
    assert client.post(url, {"form": "meeting", "meeting_on": "x"}).status_code == 422
    meeting = {"form": "meeting", "meeting_on": "2026-04-01", "attendees": "a", "decisions": "d"}
    assert client.post(url, meeting).status_code == 409  # the pack is not built yet
    assert client.post(url, {"form": "nonsense"}).status_code == 404
    assert client.post(url, {"form": "done", "action_id": "zz"}).status_code == 404
    assert client.get(f"{LIST}999999/").status_code == 404
    assert client.get(f"{url}pack.pdf").status_code == 404  # not built yet


def test_auditors_read_and_handlers_have_no_access(personas, quarter):
    review = built_review(personas["manager"])
    url = f"{LIST}{review.pk}/"
    auditor, handler = client_for(personas["auditor"]), client_for(personas["handler"])
    page = auditor.get(url).content.decode()
    assert 'id="section-complaints"' in page and 'id="build-form"' not in page
    assert auditor.post(url, {"form": "build"}).status_code == 403
    assert 'id="review-form"' not in auditor.get(LIST).content.decode()
    assert auditor.post(LIST, {"title": "x"}).status_code == 403
    for path in (LIST, url, f"{url}pack.pdf"):
        assert handler.get(path).status_code == 403
    assert 'id="reviews-link"' not in handler.get("/staff/").content.decode()


def test_the_list_names_a_one_month_period_once(manager):
    open_review(
        manager, title="May", period_start=dt.date(2026, 5, 1), period_end=dt.date(2026, 5, 1)
    )
    open_review(
        manager, title="Q1", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 3, 1)
    )
    page = client_for(manager).get(LIST, HTTP_ACCEPT_LANGUAGE="et").content.decode()
    assert "<bdi>mai 2026</bdi>" in page and "mai 2026 \u2013 mai 2026" not in page
    assert "<bdi>jaanuar 2026 \u2013 märts 2026</bdi>" in page


def test_the_pages_read_a_bounded_number_of_statements(
    manager, quarter, django_assert_max_num_queries
):
    review = held(manager, built_review(manager))
    for month in (5, 8):
        open_review(
            manager,
            title=f"Later {month}",
            period_start=dt.date(2026, month, 1),
            period_end=dt.date(2026, month, 1),
        )
    client = client_for(manager)
    with django_assert_max_num_queries(14):
        assert client.get(LIST).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(f"{LIST}{review.pk}/").status_code == 200


@pytest.fixture
def needs_weasyprint() -> None:
    if not pdf.pdf_available():
        if os.environ.get("PLAINT_REQUIRE_PDF"):
            pytest.fail("WeasyPrint/Pango expected (PLAINT_REQUIRE_PDF) but it does not load")
        pytest.skip("WeasyPrint or Pango is not installed here")


def test_the_pack_as_a_pdf_reads_back_its_sections_and_figures(
    manager, auditor, quarter, needs_weasyprint
):
    pypdf = pytest.importorskip("pypdf")
    review = held(manager, built_review(manager))
    response = client_for(auditor).get(f"{LIST}{review.pk}/pack.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join((page.extract_text() or "") for page in reader.pages).replace("\n", " ")
    for title in (
        "Complaints and their analysis",
        "Performance against objectives",
        "Customer satisfaction",
        "Promise fulfilment",
        "Disputes and their outcomes",
        "Corrective actions: status and effectiveness",
        "Changes and earlier actions",
        "The meeting",
    ):
        assert title in text, title
    assert "Complaints received in the period: 4." in text
    assert "Agree the stacking limit" in text
    assert reader.metadata.title == f"Management review {review.reference}"


def test_a_persian_pack_prints_right_to_left(manager, quarter, needs_weasyprint):
    pypdf = pytest.importorskip("pypdf")
    review = built_review(manager, language="fa")
    document = review_pdf_document(review)
    assert '<html lang="fa" dir="rtl">' in document and "بازنگری مدیریت" in document
    # Its charts are block-level in the PDF: an inline SVG in a right-to-left line broke the
    # layout (WeasyPrint).
    reader = pypdf.PdfReader(io.BytesIO(pdf.render_pdf(document)))
    assert set("بازنگری") <= set(reader.pages[0].extract_text())
