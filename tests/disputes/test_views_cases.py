"""The dispute pages as a handler uses them: refer with consent from the eligibility answer, log a
provider's notice (merged or held), take the dispute through its steps to closed, and the
settlement authority; auditors read, never act; another team's case stays hidden."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from plaint.core.actors import Actor
from plaint.disputes import services
from plaint.disputes.models import Dispute, HeldNotice
from tests.disputes.cases import decided_complaint, obligation, provider_with_all_methods, refer

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def provider(manager):
    return provider_with_all_methods(manager, name="Consumer Disputes Committee")


def test_a_handler_refers_with_the_consent_text_in_the_complainants_language(handler, provider):
    complaint = decided_complaint(handler, language="et")
    client = signed_in(handler)
    answer = client.get(
        "/staff/disputes/eligibility/", {"complaint": complaint.reference}
    ).content.decode()
    assert "Refer, with the complainant's consent" in answer
    url = f"/staff/disputes/refer/?complaint={complaint.reference}&provider={provider.pk}"
    page = client.get(url).content.decode()
    assert "Consumer Disputes Committee" in page and "Nõustun" in page  # the text, in Estonian
    english = client.post(
        url,
        {
            "method": "advisory",
            "language": "en",
            "channel": "phone",
            "text_shown": "x",
            "preview": "1",
        },
    )
    assert english.status_code == 200
    text = english.context["form"]["text_shown"].value()
    assert (
        text.startswith(f"I agree that my complaint {complaint.reference}")
        and "recommendation" in text
    )
    done = client.post(
        url,
        {
            "method": "advisory",
            "language": "en",
            "channel": "phone",
            "text_shown": text,
            "refer": "1",
        },
    )
    dispute = Dispute.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/staff/disputes/{dispute.pk}/"
    assert dispute.consent.text_shown == text and dispute.consent.channel == "phone"
    workspace = client.get(done["Location"]).content.decode()
    assert "Record the organisation's position" in workspace and text[:40] in workspace


def test_a_notice_twice_is_one_dispute_and_an_unknown_one_is_held(handler, provider):
    complaint = decided_complaint(handler)
    client = signed_in(handler)
    notice = {
        "provider": provider.pk,
        "provider_reference": "TVK-9",
        "complaint_reference": complaint.reference,
        "method": "determinative",
    }
    first = client.post("/staff/disputes/", notice)
    again = client.post("/staff/disputes/", notice)
    assert first["Location"] == again["Location"] and Dispute.objects.count() == 1
    held = client.post(
        "/staff/disputes/",
        {**notice, "provider_reference": "TVK-10", "complaint_reference": "our 41"},
    )
    assert held["Location"] == "/staff/disputes/held-notices/" and HeldNotice.objects.count() == 1
    other = decided_complaint(handler, subject="Second")
    matched = client.post(
        "/staff/disputes/held-notices/",
        {"notice": HeldNotice.objects.get().pk, "complaint": other.reference, "method": "advisory"},
    )
    assert matched.status_code == 302 and Dispute.objects.count() == 2


def test_the_workspace_takes_a_dispute_to_closed(handler, provider):
    dispute = refer(handler, decided_complaint(handler), provider, method="determinative")
    client, url = signed_in(handler), f"/staff/disputes/{dispute.pk}/"
    assert (
        client.post(url, {"form": "position", "position": "We refunded the fee."}).status_code
        == 302
    )
    assert client.post(url, {"form": "file_complete"}).status_code == 302
    due = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    bad = client.post(url, {"form": "outcome", "outcome": "settled", "reasons": "R."})
    assert bad.status_code == 422  # a determinative process does not settle
    outcome = {
        "form": "outcome", "outcome": "upheld", "reasons": "Charged twice.", "neutral": "Kadri Tamm",
        "o0_kind": "refund", "o0_description": "Refund 129.00", "o0_amount": "129.00",
        "o0_currency": "EUR", "o0_due_on": due, "o0_owner": handler.pk,
    }  # fmt: skip
    assert client.post(url, outcome).status_code == 302
    dispute.refresh_from_db()
    assert dispute.state == "implementation"
    obligation = dispute.obligations.get()
    assert (
        client.post(
            url, {"form": "done", "obligation": obligation.pk, "evidence": "Transfer 77"}
        ).status_code
        == 302
    )
    assert (
        client.post(url, {"form": "close", "lessons": "Check double charges."}).status_code == 302
    )
    page = client.get(url).content.decode()
    assert (
        "Decided: complaint upheld" in page
        and "Transfer 77" in page
        and "Check double charges." in page
    )
    assert "This dispute is over." in page


def test_an_offer_above_the_authority_waits_for_a_manager(manager, handler, provider):
    services.dispute_settings_set(
        actor=Actor.staff(manager), approval_above="100", currency_code="EUR"
    )
    dispute = refer(handler, decided_complaint(handler), provider)
    url = f"/staff/disputes/{dispute.pk}/"
    signed_in(handler).post(
        url, {"form": "offer", "amount": "250", "currency": "EUR", "terms": "Refund and voucher."}
    )
    waiting = signed_in(handler).get(url).content.decode()
    assert (
        "waiting for a manager's approval" in waiting
        and "Approve and make the offer" not in waiting
    )
    offer = dispute.offers.get()
    assert signed_in(manager).post(url, {"form": "approve", "offer": offer.pk}).status_code == 302
    offer.refresh_from_db()
    assert offer.approved_by == manager and offer.made_at


def test_auditors_read_disputes_but_act_on_nothing(auditor, handler, provider):
    dispute = refer(handler, decided_complaint(handler), provider)
    client, url = signed_in(auditor), f"/staff/disputes/{dispute.pk}/"
    page = client.get(url).content.decode()
    assert "Your role reads disputes" in page
    assert client.post(url, {"form": "position", "position": "x"}).status_code == 403
    assert client.get("/staff/disputes/").status_code == 200


def test_a_dispute_of_a_case_the_reader_may_not_see_is_not_found(
    manager, handler, other_handler, provider
):
    from tests.factories import CategoryFactory

    secret = CategoryFactory(code="legal", restricted=True)
    secret.readers.set([handler])
    dispute = refer(handler, decided_complaint(handler, category="legal"), provider)
    assert signed_in(other_handler).get(f"/staff/disputes/{dispute.pk}/").status_code == 404
    listing = signed_in(other_handler).get("/staff/disputes/").content.decode()
    assert dispute.reference not in listing


def test_the_list_reads_in_a_fixed_number_of_statements(
    handler, provider, django_assert_max_num_queries
):
    for n in range(3):
        refer(handler, decided_complaint(handler, subject=f"Case {n}"), provider)
    client = signed_in(handler)
    client.get("/staff/disputes/")
    with django_assert_max_num_queries(14):
        page = client.get("/staff/disputes/").content.decode()
    assert page.count("/staff/disputes/") >= 3


@pytest.mark.parametrize(
    ("lang", "title"),
    # the word alone, as a heading and a menu item name it: not "of disputes" (uk: Спорів) nor
    # "some disputes" (et: Vaidlusi), the forms it had
    [("et", "Vaidlused"), ("uk", "Спори"), ("sv", "Tvister"), ("fa", "اختلاف‌ها")],  # noqa: RUF001 - Persian on purpose
)
def test_the_list_and_its_menu_item_name_disputes_in_the_page_language(handler, lang, title):
    client = signed_in(handler)
    client.cookies["django_language"] = lang
    page = client.get("/staff/disputes/").content.decode()
    assert f"<h1>{title}</h1>" in page
    assert f'id="disputes-link">{title}</a>' in page


@pytest.mark.parametrize(
    ("lang", "due", "opened_pattern"),
    # an obligation's day as the language writes a short date; when the dispute opened, as the
    # complaint's case page writes its facts (docs/translating.md): never the ISO "2027-03-05"
    [
        ("en", "5 Mar 2027", r"\d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d"),
        ("et", "05.03.2027", r"\d{1,2}\. [a-zõäöü]+ \d{4}, \d\d:\d\d"),
        ("fa", "2027/3/5", r"\d{1,2} [\u0600-\u06ff]+ \d{4}، ساعت \d\d:\d\d"),
    ],
)
def test_the_workspace_writes_its_dates_as_the_page_language_does(
    handler, provider, lang, due, opened_pattern
):
    dispute = refer(handler, decided_complaint(handler), provider, method="determinative")
    staff = Actor.staff(handler)
    services.dispute_position_send(actor=staff, dispute_id=dispute.pk, position="We refunded.")
    services.dispute_file_complete(actor=staff, dispute_id=dispute.pk)
    services.dispute_outcome_record(
        actor=staff, dispute_id=dispute.pk, outcome="upheld", reasons="Charged twice.",
        obligations=[obligation(handler, due_on=dt.date(2027, 3, 5))],
    )  # fmt: skip
    client = signed_in(handler)
    client.cookies["django_language"] = lang
    page = client.get(f"/staff/disputes/{dispute.pk}/").content.decode()
    assert f"<bdi>{due}</bdi>" in page
    assert re.search(rf"<dt>[^<]+</dt><dd><bdi>{opened_pattern}</bdi>", page)
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", page)  # no date left in ISO form


def _upload(name: str, body: bytes, content_type: str = "text/plain"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, body, content_type=content_type)


def test_a_file_added_to_the_dispute_file_is_listed_with_its_submission_and_downloads(
    handler, provider
):
    """The organisation's evidence goes in with its submission; the complainant's evidence from
    the tracking page is listed the same way (it was in the bundle, not on this page)."""
    from plaint.core.models import AuditEvent
    from plaint.disputes.selectors_bundle import dispute_bundle

    complaint = decided_complaint(handler)
    dispute = refer(handler, complaint, provider, method="facilitative")
    services.dispute_evidence_add(
        complaint_id=complaint.pk, dispute_id=dispute.pk, body="My bank statement.",
        upload=_upload("statement.txt", b"two payments of 129.00"),
    )  # fmt: skip
    client, url = signed_in(handler), f"/staff/disputes/{dispute.pk}/"
    form = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in form and 'name="attachment"' in form
    added = client.post(url, {
        "form": "submission", "side": "organisation", "kind": "submission",
        "body": "Our refund record.", "attachment": _upload("refund.txt", b"refund 129.00 sent"),
    })  # fmt: skip
    assert added.status_code == 302
    ours = dispute.submissions.get(side="organisation")
    assert ours.attachment.original_name == "refund.txt" and ours.by == handler
    assert not ours.attachment.public  # not among the complaint's public files
    page = client.get(url).content.decode()
    for submission, name in ((ours, "refund.txt"), (dispute.submissions.get(side="complainant"), "statement.txt")):  # fmt: skip
        link = f"/staff/complaints/{complaint.reference}/attachments/{submission.attachment.pk}/"
        assert f'<a href="{link}" download><bdi>{name}</bdi></a>' in page
    download = client.get(
        f"/staff/complaints/{complaint.reference}/attachments/{ours.attachment.pk}/"
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"refund 129.00 sent"
    event = AuditEvent.objects.filter(case_type="dispute", case_id=dispute.pk).last()
    assert (event.action, event.data["attachment"]) == ("submission", ours.attachment.sha256)
    names = [
        f.attachment.original_name
        for f in dispute_bundle(actor=handler, dispute_id=dispute.pk).files
    ]
    assert names == ["statement.txt", "refund.txt"]  # both go to the provider in the ZIP


def _attachment_items(html: str) -> dict[str, str]:
    """The case page's attachments: each file's name and what follows its size and type."""
    listed = html.split("<h3>Attachments</h3>")[1].split("</ul>")[0]
    return {
        name: rest for name, rest in re.findall(r"<bdi>([^<]+)</bdi></a> \(.*?\)(.*?)</li>", listed)
    }


def test_the_complaint_s_page_names_each_file_of_the_dispute_s_file_at_once(handler, provider):
    """Files of the dispute's file are attachments of the complaint whose events are in the
    dispute's chain, not the complaint's: its page, seen before, lists them on the next view,
    each named with its dispute and a link to it (not "internal", like a note's file)."""
    from plaint.complaints.services import message_post
    from plaint.core.uploads import check_uploads

    complaint = decided_complaint(handler)
    dispute = refer(handler, complaint, provider, method="facilitative")
    message_post(
        complaint_id=complaint.pk, actor=Actor.staff(handler), body="Call notes.", internal=True,
        attachments=check_uploads([_upload("call-notes.txt", b"called back")]),
    )  # fmt: skip
    client, page = signed_in(handler), f"/staff/complaints/{complaint.reference}/"
    assert "refund.txt" not in client.get(page).content.decode()  # the page's history is kept
    client.post(f"/staff/disputes/{dispute.pk}/", {
        "form": "submission", "side": "organisation", "kind": "submission",
        "body": "Our refund record.", "attachment": _upload("refund.txt", b"refund 129.00 sent"),
    })  # fmt: skip
    assert "refund.txt" in _attachment_items(client.get(page).content.decode())
    services.dispute_evidence_add(
        complaint_id=complaint.pk, dispute_id=dispute.pk, body="My bank statement.",
        upload=_upload("statement.txt", b"two payments of 129.00"),
    )  # fmt: skip
    items = _attachment_items(client.get(page).content.decode())
    note = f' · <a href="/staff/disputes/{dispute.pk}/">in the file of dispute D-{dispute.pk}</a>'
    assert items == {"call-notes.txt": " · internal", "refund.txt": note, "statement.txt": note}
    client.cookies["django_language"] = "et"
    with CaptureQueriesContext(connection) as ctx:  # a first view: the list read and named
        html = client.get(page).content.decode()
    items = _attachment_items(html.replace("Manused", "Attachments"))
    assert f"vaidluse D-{dispute.pk} toimikus" in items["refund.txt"]
    asked = [q for q in ctx.captured_queries if 'FROM "disputes_submission"' in q["sql"]]
    assert len(asked) == 1  # one statement names every file, however many


def test_a_refused_file_is_named_at_its_field_and_nothing_is_added(handler, provider):
    from plaint.core.models import Attachment

    dispute = refer(handler, decided_complaint(handler), provider, method="facilitative")
    before = Attachment.objects.count()
    refused = signed_in(handler).post(f"/staff/disputes/{dispute.pk}/", {
        "form": "submission", "side": "provider", "kind": "request", "body": "Send the contract.",
        "attachment": _upload("letter.exe", b"MZ\x90\x00\x03", "application/x-msdos"),
    })  # fmt: skip
    assert refused.status_code == 422
    page = refused.content.decode()
    field = re.search(
        r'<div class="field field-error">\s*<label for="id_attachment">.*?</div>', page, re.S
    )
    assert field is not None and "letter.exe" in field.group(0)  # the message names the file
    assert '<details class="disclosure" open>' in page  # the form stays open with its text
    assert "Send the contract." in page
    assert not dispute.submissions.exists() and Attachment.objects.count() == before
