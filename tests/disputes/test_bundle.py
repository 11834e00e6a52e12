"""The case bundle: one PDF with a numbered index in the case's language, and a streamed ZIP of that
PDF with the complaint's attachments (internal ones left out); seen only by staff who may read the
dispute; every export in the dispute's trail. PDFs are real WeasyPrint output, read back with pypdf."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from plaint.accounts.models import Team
from plaint.complaints import services as complaint_services
from plaint.complaints.models import CaseRead
from plaint.core import pdf
from plaint.core.actors import Actor
from plaint.core.models import AuditEvent
from plaint.core.uploads import check_upload
from plaint.disputes import services
from plaint.disputes.bundle import bundle_html
from plaint.disputes.selectors_bundle import dispute_bundle
from plaint.organisation.services import organisation_update
from tests.disputes.cases import decided_complaint, obligation, provider_with_all_methods, refer
from tests.factories import UserFactory

pypdf = pytest.importorskip("pypdf")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def needs_weasyprint() -> None:
    if not pdf.pdf_available():
        if os.environ.get("PLAINT_REQUIRE_PDF"):
            pytest.fail("WeasyPrint/Pango expected (PLAINT_REQUIRE_PDF) but it does not load")
        pytest.skip("WeasyPrint or Pango is not installed here")


def text_of(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _attach(complaint, name: str, body: bytes, *, internal: bool, actor: Actor) -> None:
    upload = check_upload(SimpleUploadedFile(name, body, "text/plain"))
    complaint_services.message_post(
        complaint_id=complaint.pk,
        actor=actor,
        body=f"With {name}",
        internal=internal,
        attachments=[upload],
    )


def a_dispute(handler, manager, *, language: str, team=None):
    """A dispute with a bit of everything: the complainant's receipt and an internal memo, both
    sides' submissions, an offer made, an outcome with an obligation."""
    provider = provider_with_all_methods(manager)
    complaint = decided_complaint(handler, language=language, subject="Topeltmakse")
    _attach(complaint, "kviitung.txt", b"receipt 129.00", internal=False, actor=Actor.complainant())
    _attach(complaint, "memo.txt", b"internal memo", internal=True, actor=Actor.staff(handler))
    if team is not None:
        complaint_services.complaint_assign(
            complaint_id=complaint.pk, actor=Actor.staff(manager), assignee_id=None,
            team_id=team.pk,
        )  # fmt: skip
    dispute = refer(handler, complaint, provider, method="facilitative")
    staff = Actor.staff(handler)
    services.dispute_position_send(actor=staff, dispute_id=dispute.pk, position="We refunded.")
    services.dispute_file_complete(actor=staff, dispute_id=dispute.pk)
    services.dispute_submission_add(
        actor=staff, dispute_id=dispute.pk, side="complainant", kind="submission",
        body="The second payment is still missing.",
    )  # fmt: skip
    services.settlement_offer_propose(
        actor=staff, dispute_id=dispute.pk, offer_amount="50", offer_currency="EUR",
        terms="A goodwill payment of 50 euros.",
    )  # fmt: skip
    services.dispute_outcome_record(
        actor=staff, dispute_id=dispute.pk, outcome="settled", reasons="Both sides agreed.",
        obligations=[obligation(handler)],
    )  # fmt: skip
    return dispute


def test_the_pdf_has_the_numbered_index_in_the_cases_language_estonian(handler, manager):
    dispute = a_dispute(handler, manager, language="et")
    response = signed_in(handler).get(f"/staff/disputes/{dispute.pk}/bundle.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        f"{dispute.reference}-{dispute.complaint.reference}.pdf" in response["Content-Disposition"]
    )
    text = text_of(response.content)
    headings = [
        "1. Kaebus",
        "2. Kaebuse ajalugu",
        "3. Organisatsiooni otsus",
        "4. Vaidlus",
        "5. Poolte esitatud materjalid",
        "6. Kokkuleppepakkumised",
        "7. Tulemus",
        "8. Kohustused",
        "9. Manused",
    ]
    for heading in headings:  # once in the index, once as the section's heading
        assert text.count(heading) >= 2, heading
    assert "Sisukord" in text and "Vaidluse toimik" in text
    assert "The second payment is still missing." in text  # the complainant's submission
    assert "A goodwill payment of 50 euros." in text and "kviitung.txt" in text
    assert "memo.txt" not in text and "Internal" not in text  # internal stays inside
    event = AuditEvent.objects.filter(case_type="dispute", case_id=dispute.pk).last()
    assert (event.action, event.data["format"], event.data["language"]) == (
        "bundle_exported",
        "pdf",
        "et",
    )
    assert CaseRead.objects.filter(user=handler, complaint=dispute.complaint).exists()


def test_a_persian_case_gets_persian_headings_right_to_left(handler, manager):
    dispute = a_dispute(handler, manager, language="fa")
    bundle = dispute_bundle(actor=handler, dispute_id=dispute.pk)
    html = bundle_html(bundle, made_by=handler.get_username())
    assert 'lang="fa" dir="rtl"' in html and "فهرست" in html
    text = text_of(signed_in(handler).get(f"/staff/disputes/{dispute.pk}/bundle.pdf").content)
    # Persian comes back in visual order from some extractors; the letters must be there.
    assert set("شکایت") <= set(text) and set("تعهدها") <= set(text)


def test_the_zip_holds_the_pdf_the_shared_attachments_and_the_evidence_only(handler, manager):
    from django.core.files.uploadedfile import SimpleUploadedFile

    dispute = a_dispute(handler, manager, language="et")
    services.dispute_evidence_add(  # the complainant's evidence, kept apart from the complaint's
        complaint_id=dispute.complaint_id, dispute_id=dispute.pk, body="Pangaväljavõte.",
        upload=SimpleUploadedFile("valjavote.txt", b"statement 129.00", "text/plain"),
    )  # fmt: skip
    response = signed_in(handler).get(f"/staff/disputes/{dispute.pk}/bundle.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response.streaming  # written as it is sent
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    stem = f"{dispute.reference}-{dispute.complaint.reference}"
    assert archive.namelist() == [
        f"{stem}.pdf",
        "attachments/01-kviitung.txt",
        "attachments/02-valjavote.txt",
    ]
    assert archive.read("attachments/01-kviitung.txt") == b"receipt 129.00"
    assert archive.read("attachments/02-valjavote.txt") == b"statement 129.00"
    assert archive.read(f"{stem}.pdf").startswith(b"%PDF-")
    event = AuditEvent.objects.filter(case_type="dispute", case_id=dispute.pk).last()
    assert (event.action, event.data["format"], event.data["files"]) == (
        "bundle_exported",
        "zip",
        2,
    )


def test_only_staff_who_may_read_the_dispute_get_its_bundle(handler, manager, auditor):
    team_a, team_b = Team.objects.create(name="A"), Team.objects.create(name="B")
    dispute = a_dispute(handler, manager, language="en", team=team_a)
    organisation_update(actor=Actor.staff(manager), team_visibility=True)
    outsider = UserFactory(username="otto", role="handler", team=team_b)
    before = AuditEvent.objects.filter(case_type="dispute", case_id=dispute.pk).count()
    for suffix in ("bundle.pdf", "bundle.zip"):
        assert signed_in(outsider).get(f"/staff/disputes/{dispute.pk}/{suffix}").status_code == 404
        assert signed_in(outsider).get(f"/staff/disputes/999999/{suffix}").status_code == 404
    assert AuditEvent.objects.filter(case_type="dispute", case_id=dispute.pk).count() == before
    assert Client().get(f"/staff/disputes/{dispute.pk}/bundle.zip").status_code == 302  # sign in
    # auditors read every dispute, so its bundle too (the page gate lets every staff reader in)
    assert dispute_bundle(actor=auditor, dispute_id=dispute.pk).files[0].member
