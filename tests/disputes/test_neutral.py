"""The neutral on a dispute: staff assign a neutral's account; the neutral declares on conflicts
of interest before seeing anything of the case; with a conflict the case stays closed and staff
are told; a neutral who declared none reads the case, asks a side for information and records
the outcome, downloads the case bundle — and never sees another dispute, complaint, document or
person. Nobody records an outcome on a dispute whose assigned neutral has not declared. A
neutral refused by a staff page sees their own portal's navigation, not the staff menu."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from plaint.complaints import services as complaints
from plaint.complaints.models import CaseRead
from plaint.core import pdf
from plaint.core.actors import Actor
from plaint.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from plaint.core.models import AuditEvent
from plaint.core.uploads import check_upload
from plaint.disputes import services
from plaint.disputes.models import Dispute, NeutralDeclaration, Submission
from plaint.disputes.selectors_bundle import dispute_bundle
from plaint.disputes.services.bundle import dispute_bundle_exported
from plaint.notifications.models import Kind, Notification
from tests.api_client import ApiClient
from tests.disputes.cases import decided_complaint, obligation, provider_with_all_methods, refer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def neutral():
    return UserFactory(username="neutral-kt", role="neutral", first_name="Kadri", last_name="Tamm")


@pytest.fixture
def provider(manager):
    return provider_with_all_methods(manager)


def _exchange(handler, provider, complaint=None, **complaint_fields):
    """A determinative dispute with its complete file: the outcome may be recorded."""
    complaint = complaint or decided_complaint(handler, **complaint_fields)
    dispute = refer(handler, complaint, provider)
    staff = Actor.staff(handler)
    services.dispute_position_send(actor=staff, dispute_id=dispute.pk, position="We refunded.")
    services.dispute_file_complete(actor=staff, dispute_id=dispute.pk)
    return Dispute.objects.get(pk=dispute.pk)


def _assign(handler, dispute, neutral):
    return services.dispute_neutral_assign(
        actor=Actor.staff(handler), dispute_id=dispute.pk, neutral_id=neutral.pk
    )


def _declare(neutral, dispute, conflict=False, details=""):
    return services.dispute_neutral_declare(
        actor=services.neutral_actor(neutral),
        dispute_id=dispute.pk,
        conflict=conflict,
        details=details,
    )


def _actions(dispute) -> list[str]:
    return list(
        AuditEvent.objects.filter(case_type="dispute", case_id=dispute.pk)
        .order_by("seq")
        .values_list("action", flat=True)
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_assign_a_neutral_account_audited_and_only_a_neutral(
    handler, auditor, provider, neutral
):
    dispute = _exchange(handler, provider)
    with pytest.raises(ValidationFailed):
        services.dispute_neutral_assign(
            actor=Actor.staff(handler), dispute_id=dispute.pk, neutral_id=auditor.pk
        )
    with pytest.raises(NotAllowed):
        _assign(auditor, dispute, neutral)
    assigned = _assign(handler, dispute, neutral)
    assert assigned.neutral_user == neutral and assigned.neutral == "Kadri Tamm"
    assert assigned.neutral_assigned_by == handler
    event = AuditEvent.objects.filter(case_type="dispute", action="neutral_assigned").get()
    assert event.case_id == dispute.pk and event.data == {"neutral_user": neutral.pk}
    with pytest.raises(Conflict):
        _assign(handler, dispute, neutral)


def test_nothing_of_the_case_is_decided_before_the_declaration(handler, provider, neutral):
    dispute = _exchange(handler, provider)
    _assign(handler, dispute, neutral)
    for actor in (Actor.staff(handler), services.neutral_actor(neutral)):
        with pytest.raises(NotAllowed, match="not yet declared"):
            services.dispute_outcome_record(
                actor=actor, dispute_id=dispute.pk, outcome="upheld", reasons="Charged twice."
            )
    with pytest.raises(NotAllowed):
        services.dispute_neutral_request(
            actor=services.neutral_actor(neutral),
            dispute_id=dispute.pk,
            addressed_to="organisation",
            body="Send the invoice.",
        )
    assert Dispute.objects.get(pk=dispute.pk).state == "exchange"


def test_a_declared_conflict_closes_the_case_and_tells_staff(handler, provider, neutral):
    dispute = _exchange(handler, provider)
    _assign(handler, dispute, neutral)
    with pytest.raises(ValidationFailed):  # a conflict says what it is
        _declare(neutral, dispute, conflict=True, details="  ")
    _declare(neutral, dispute, conflict=True, details="The complainant is my neighbour.")
    told = Notification.objects.get(kind=Kind.DISPUTE_NEUTRAL)
    assert told.recipient == handler and told.subject_ref == dispute.reference
    assert _actions(dispute)[-1] == "neutral_declared"
    with pytest.raises(Conflict):
        _declare(neutral, dispute)
    with pytest.raises(NotAllowed, match="conflict of interest"):
        services.dispute_outcome_record(
            actor=Actor.staff(handler), dispute_id=dispute.pk, outcome="upheld", reasons="x"
        )
    page = signed_in(neutral).get(f"/neutral/{dispute.pk}/").content.decode()
    assert "You declared a conflict of interest" in page
    assert dispute.complaint.description not in page


def test_the_neutral_asks_a_side_and_records_a_decision_with_its_obligation(
    handler, provider, neutral
):
    dispute = _exchange(handler, provider)
    _assign(handler, dispute, neutral)
    _declare(neutral, dispute)
    actor = services.neutral_actor(neutral)
    request = services.dispute_neutral_request(
        actor=actor, dispute_id=dispute.pk, addressed_to="complainant", body="Send the receipt."
    )
    assert (request.side, request.kind, request.addressed_to) == (
        "provider",
        "request",
        "complainant",
    )
    assert Notification.objects.filter(kind=Kind.DISPUTE_NEUTRAL, recipient=handler).count() == 1
    decided = services.dispute_outcome_record(
        actor=actor,
        dispute_id=dispute.pk,
        outcome="upheld",
        reasons="The same order was charged twice.",
        neutral="Somebody Else",  # a neutral does not rename themselves
        obligations=[obligation(neutral, amount="50.00")],  # nor pick the organisation's owner
    )
    assert decided.state == "implementation" and decided.neutral == "Kadri Tamm"
    owed = decided.obligations.get()
    assert owed.owner == handler and owed.amount == 50
    assert _actions(dispute)[-3:] == ["neutral_declared", "submission", "record_outcome"]
    event = AuditEvent.objects.filter(case_type="dispute", action="record_outcome").get()
    assert event.actor_label == neutral.username


def test_another_neutral_finds_no_such_dispute(handler, provider, neutral):
    dispute = _exchange(handler, provider)
    _assign(handler, dispute, neutral)
    stranger = UserFactory(username="neutral-other", role="neutral")
    other = services.neutral_actor(stranger)
    with pytest.raises(NotFound):
        _declare(stranger, dispute)
    with pytest.raises(NotFound):
        services.dispute_outcome_record(
            actor=other, dispute_id=dispute.pk, outcome="upheld", reasons="x"
        )
    with pytest.raises(NotAllowed):  # a staff actor is not a neutral
        services.dispute_neutral_declare(
            actor=Actor.staff(handler), dispute_id=dispute.pk, conflict=False
        )
    assert not NeutralDeclaration.objects.exists()


def _upload(complaint, actor, name, internal):
    upload = check_upload(SimpleUploadedFile(name, b"%PDF-1.4 receipt", "application/pdf"))
    complaints.message_post(
        complaint_id=complaint.pk, actor=actor, body=name, internal=internal, attachments=[upload]
    )
    return complaint.attachments.get(original_name=name)


def test_the_portal_shows_only_the_assigned_case_and_its_shared_documents(
    handler, provider, neutral
):
    ours = decided_complaint(handler, subject="Zqmine double charge")
    other = decided_complaint(handler, subject="Zqtheirs broken kettle")
    shared = _upload(ours, Actor.complainant(), "receipt.pdf", internal=False)
    internal = _upload(ours, Actor.staff(handler), "memo.pdf", internal=True)
    foreign = _upload(other, Actor.complainant(), "kettle.pdf", internal=False)
    mine, theirs = _exchange(handler, provider, ours), _exchange(handler, provider, other)
    _assign(handler, mine, neutral)
    _assign(handler, theirs, UserFactory(username="neutral-b", role="neutral"))
    client = signed_in(neutral)

    listing = client.get("/neutral/").content.decode()
    assert mine.reference in listing and "To declare" in listing
    assert theirs.reference not in listing and "Zqtheirs" not in listing
    before = client.get(f"/neutral/{mine.pk}/").content.decode()
    assert "Mari Maasikas" in before  # the parties, to check for a conflict
    assert "Zqmine" not in before and "receipt.pdf" not in before  # nothing of the case yet
    assert client.get(f"/neutral/{mine.pk}/documents/{shared.pk}/").status_code == 404

    declared = client.post(f"/neutral/{mine.pk}/", {"form": "declare", "conflict": "no"})
    assert declared.status_code == 302
    page = client.get(f"/neutral/{mine.pk}/").content.decode()
    assert "Zqmine" in page and "We refunded." in page and "receipt.pdf" in page
    assert "memo.pdf" not in page and "Record the outcome" in page
    # what people wrote takes its own direction: a Ukrainian or English text on a Persian page
    # reads from the left (docs/translating.md)
    assert '<p class="corrective-text" id="complaint-text" dir="auto">' in page
    assert client.get(f"/neutral/{mine.pk}/documents/{shared.pk}/").status_code == 200
    for attachment in (internal, foreign):
        url = f"/neutral/{mine.pk}/documents/{attachment.pk}/"
        assert client.get(url).status_code == 404
    missing = client.get("/neutral/999999/")
    other = client.get(f"/neutral/{theirs.pk}/")
    assert other.status_code == missing.status_code == 404
    assert "Zqtheirs" not in other.content.decode()
    posted = client.post(f"/neutral/{theirs.pk}/", {"form": "declare", "conflict": "no"})
    assert posted.status_code == 404 and not NeutralDeclaration.objects.filter(dispute=theirs)


def test_the_neutral_records_the_outcome_on_the_portal(handler, provider, neutral):
    dispute = _exchange(handler, provider)
    _assign(handler, dispute, neutral)
    _declare(neutral, dispute)
    client = signed_in(neutral)
    url = f"/neutral/{dispute.pk}/"
    bad = client.post(url, {"form": "outcome", "outcome": "upheld", "reasons": ""})
    assert bad.status_code == 422
    done = client.post(
        url,
        {
            "form": "outcome",
            "outcome": "upheld",
            "reasons": "Charged twice.",
            "o0_kind": "refund",
            "o0_description": "Refund the second payment.",
            "o0_amount": "50",
            "o0_currency": "EUR",
            "o0_due_on": "2099-01-31",
        },
    )
    assert done.status_code == 302
    assert Dispute.objects.get(pk=dispute.pk).state == "implementation"
    asked = client.post(url, {"form": "request", "addressed_to": "organisation", "body": "Proof?"})
    assert asked.status_code == 302
    assert Submission.objects.filter(dispute=dispute, kind="request").count() == 1


def test_the_neutral_signs_in_to_the_portal_and_is_refused_by_staff_pages_and_the_api(
    handler, provider, neutral
):
    dispute = _exchange(handler, provider)
    client = Client()
    landed = client.post(
        "/staff/login/",
        {"username": neutral.username, "password": "correct horse battery staple"},
    )
    assert landed.status_code == 302 and landed.url == "/neutral/"
    for url in ("/staff/", f"/staff/disputes/{dispute.pk}/", "/staff/disputes/"):
        assert client.get(url).status_code == 403
    assert client.post(f"/staff/disputes/{dispute.pk}/neutral/", {}).status_code == 403
    assert ApiClient(neutral).get("/disputes/providers").status_code == 401
    assert signed_in(handler).get("/neutral/").status_code == 403  # staff are not neutrals


def test_the_workspace_shows_and_assigns_the_neutral(handler, auditor, provider, neutral):
    dispute = _exchange(handler, provider)
    client = signed_in(handler)
    page = client.get(f"/staff/disputes/{dispute.pk}/").content.decode()
    assert "No neutral assigned." in page and "neutral-kt" in page
    assigned = client.post(f"/staff/disputes/{dispute.pk}/neutral/", {"neutral": neutral.pk})
    assert assigned.status_code == 302
    page = client.get(f"/staff/disputes/{dispute.pk}/").content.decode()
    assert "Conflict of interest: not yet declared" in page
    _declare(neutral, dispute, conflict=True, details="I advised the organisation last year.")
    page = client.get(f"/staff/disputes/{dispute.pk}/").content.decode()
    assert "Declared a conflict of interest" in page and "advised the organisation" in page
    refused = signed_in(auditor).post(f"/staff/disputes/{dispute.pk}/neutral/", {"neutral": ""})
    assert refused.status_code == 403


def test_the_neutrals_list_reads_in_a_fixed_number_of_statements(
    handler, provider, neutral, django_assert_max_num_queries
):
    for n in range(3):
        dispute = refer(handler, decided_complaint(handler, subject=f"Case {n}"), provider)
        _assign(handler, dispute, neutral)
        if n:
            _declare(neutral, dispute)
    client = signed_in(neutral)
    client.get("/neutral/")
    with django_assert_max_num_queries(8):
        page = client.get("/neutral/").content.decode()
    assert page.count("/neutral/") >= 4 and page.count("No conflict") == 2


@pytest.fixture
def pypdf():
    """pypdf to read the PDF back, where WeasyPrint loads (tests/disputes/test_bundle.py)."""
    if not pdf.pdf_available():
        if os.environ.get("PLAINT_REQUIRE_PDF"):
            pytest.fail("WeasyPrint/Pango expected (PLAINT_REQUIRE_PDF) but it does not load")
        pytest.skip("WeasyPrint or Pango is not installed here")
    return pytest.importorskip("pypdf")


def _exports(dispute) -> list[tuple[str, int, str]]:
    events = AuditEvent.objects.filter(
        case_type="dispute", case_id=dispute.pk, action="bundle_exported"
    ).order_by("seq")
    return [(e.data["format"], e.actor_id, e.actor_label) for e in events]


def test_the_declared_neutral_downloads_the_case_bundle_pdf_and_zip(
    handler, provider, neutral, pypdf
):
    complaint = decided_complaint(handler, subject="Zqbundle double charge")
    _upload(complaint, Actor.complainant(), "receipt.pdf", internal=False)
    _upload(complaint, Actor.staff(handler), "memo.pdf", internal=True)
    dispute = _exchange(handler, provider, complaint)
    _assign(handler, dispute, neutral)
    _declare(neutral, dispute)
    client = signed_in(neutral)
    page = client.get(f"/neutral/{dispute.pk}/").content.decode()
    assert (
        f"/neutral/{dispute.pk}/bundle.pdf" in page and f"/neutral/{dispute.pk}/bundle.zip" in page
    )

    got = client.get(f"/neutral/{dispute.pk}/bundle.pdf")
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    stem = f"{dispute.reference}-{complaint.reference}"
    assert f"{stem}.pdf" in got["Content-Disposition"]
    reader = pypdf.PdfReader(io.BytesIO(got.content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "1. The complaint" in text and "9. Attachments" in text
    assert "Zqbundle" in text and "We refunded." in text and "receipt.pdf" in text
    assert "memo.pdf" not in text  # the organisation's internal file stays inside
    assert "neutral-kt" in text  # made by the neutral

    zipped = client.get(f"/neutral/{dispute.pk}/bundle.zip")
    assert zipped.status_code == 200 and zipped["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content)))
    assert archive.namelist() == [f"{stem}.pdf", "attachments/01-receipt.pdf"]
    assert archive.read("attachments/01-receipt.pdf") == b"%PDF-1.4 receipt"
    assert _exports(dispute) == [
        ("pdf", neutral.pk, "neutral-kt"),
        ("zip", neutral.pk, "neutral-kt"),
    ]
    assert CaseRead.objects.filter(user=neutral, complaint=complaint).count() == 2


def test_the_bundle_is_not_found_before_the_declaration_after_a_conflict_or_for_another(
    handler, provider, neutral
):
    dispute = _exchange(handler, provider)
    _assign(handler, dispute, neutral)
    stranger = UserFactory(username="neutral-other", role="neutral")
    mine, theirs = signed_in(neutral), signed_in(stranger)
    urls = [f"/neutral/{dispute.pk}/bundle.pdf", f"/neutral/{dispute.pk}/bundle.zip"]
    for url in urls:
        assert mine.get(url).status_code == 404  # not yet declared
        assert theirs.get(url).status_code == 404  # not theirs
        assert signed_in(handler).get(url).status_code == 403  # staff use the staff download
    assert mine.get("/neutral/999999/bundle.pdf").status_code == 404
    _declare(neutral, dispute, conflict=True, details="The complainant is my neighbour.")
    for url in urls:
        assert mine.get(url).status_code == 404
    # the export's record checks again: a bundle read by staff is no neutral's to record
    bundle = dispute_bundle(actor=handler, dispute_id=dispute.pk)
    with pytest.raises(NotFound):
        dispute_bundle_exported(actor=services.neutral_actor(stranger), bundle=bundle, what="pdf")
    with pytest.raises(NotAllowed):
        dispute_bundle_exported(actor=Actor.complainant(), bundle=bundle, what="pdf")
    assert _exports(dispute) == [] and not CaseRead.objects.filter(user__role="neutral")


def test_a_neutral_refused_by_a_staff_page_sees_the_portals_navigation(auditor, neutral):
    refused = signed_in(neutral).get("/staff/")
    page = refused.content.decode()
    assert refused.status_code == 403
    assert "Plaint · Neutral's portal" in page and 'id="neutral-portal-link"' in page
    assert 'href="/neutral/"' in page and "Log out neutral-kt" in page
    for staff_only in ("Queue", "Corrective actions", 'id="disputes-link"', "Plaint staff console"):
        assert staff_only not in page, staff_only
    # staff refused by a page (an auditor may not log a complaint) keep the staff menu
    staff = signed_in(auditor).get(reverse("staff:new")).content.decode()
    assert 'id="disputes-link"' in staff and "Plaint staff console" in staff
    assert 'id="neutral-portal-link"' not in staff


def test_the_neutral_sees_each_file_of_the_dispute_file_and_where_to_find_it(
    handler, provider, neutral
):
    dispute = _exchange(handler, provider)
    services.dispute_submission_add(
        actor=Actor.staff(handler), dispute_id=dispute.pk, side="organisation", kind="submission",
        body="Our refund record.",
        upload=SimpleUploadedFile("refund.pdf", b"%PDF-1.4 refund", "application/pdf"),
    )  # fmt: skip
    _assign(handler, dispute, neutral)
    _declare(neutral, dispute)
    page = signed_in(neutral).get(f"/neutral/{dispute.pk}/").content.decode()
    assert '<p class="submission-file"><bdi>refund.pdf</bdi> · In the ZIP file</p>' in page
