"""The case page's history — timeline, attachments, remedies, broken-promise claims — is kept in
Django's cache (``complaints.views_history``): a second view of an unchanged case reads none of
it and renders no timeline, and anything that changes the case's history shows on the next view,
in the reader's language and time zone."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaint.complaints.services import complaint_assign, message_post
from plaint.core.actors import Actor
from plaint.core.uploads import check_uploads
from plaint.organisation.services import organisation_update
from plaint.promises.services import broken_promise_claim_create
from tests.factories import UserFactory, advance, make_complaint
from tests.promises.factories import make_code

pytestmark = pytest.mark.django_db


def _timeline(client, complaint) -> str:
    body = client.get(f"/staff/complaints/{complaint.reference}/").content.decode()
    return body.split('<ol class="timeline" id="timeline">')[1].split("</ol>")[0]


def _page(client, complaint) -> str:
    """The page's HTML, each form's CSRF token (masked anew for every response) left out."""
    body = client.get(f"/staff/complaints/{complaint.reference}/").content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def _history_reads(client, complaint) -> int:
    """The statements of one view that read the case's events, messages, remedies or
    attachments (not the complaint's own, whose subqueries read its last event and newest
    file: ``U0``)."""
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/staff/complaints/{complaint.reference}/")
    tables = (
        'FROM "core_auditevent" WHERE',
        'FROM "complaints_message"',
        'FROM "complaints_remedy"',
        'FROM "core_attachment" WHERE',
        'FROM "promises_brokenpromiseclaim"',
    )
    return sum(any(t in q["sql"] for t in tables) for q in ctx.captured_queries)


def _files(stem: str) -> list:
    upload = SimpleUploadedFile(f"{stem}.txt", b"Notes\n", content_type="text/plain")
    return check_uploads([upload])


@pytest.fixture
def case(client, handler):
    complaint, _token = make_complaint()
    client.force_login(handler)
    return complaint


def test_a_second_view_of_an_unchanged_case_reads_no_history_and_shows_the_same(client, handler):
    complaint, _token = make_complaint()
    complaint = advance(complaint, "response_proposed", by=handler)  # a remedy on offer
    message_post(
        complaint_id=complaint.pk,
        actor=Actor.staff(handler),
        body="The receipt.",
        internal=True,
        attachments=_files("receipt"),
    )
    client.force_login(handler)
    assert _history_reads(client, complaint) == 5  # read, rendered and kept
    first = _page(client, complaint)
    assert "receipt.txt" in first and 'id="remedies"' in first
    assert _history_reads(client, complaint) == 0
    cache.clear()
    assert _page(client, complaint) == first  # what was kept is what a fresh read shows


def test_a_message_shows_on_the_next_view(client, handler, case):
    before = _timeline(client, case)
    message_post(
        complaint_id=case.pk, actor=Actor.staff(handler), body="Called the courier.", internal=True
    )
    after = _timeline(client, case)
    assert "Called the courier." not in before and "Called the courier." in after


def test_a_message_s_attachment_shows_on_the_next_view(client, handler, case):
    assert "call-notes.txt" not in _page(client, case)
    message_post(
        complaint_id=case.pk,
        actor=Actor.staff(handler),
        body="Called back.",
        internal=True,
        attachments=_files("call-notes"),
    )
    assert "call-notes.txt" in _page(client, case)


def test_a_new_proposal_shows_on_the_next_view(client, handler, case):
    advance(case, "investigating", by=handler)
    assert 'id="remedies"' not in _page(client, case)
    advance(case, "response_proposed", by=handler)
    assert 'id="remedies"' in _page(client, case)


def test_a_step_shows_on_the_next_view(client, handler, case):
    before = _timeline(client, case).count("entry-event")
    colleague = UserFactory(username="colleague", role="handler")
    complaint_assign(complaint_id=case.pk, actor=Actor.staff(handler), assignee_id=colleague.pk)
    assert _timeline(client, case).count("entry-event") == before + 1


def test_a_broken_promise_claim_shows_though_it_leaves_the_version_alone(
    client, handler, manager, case
):
    """A claim appends an audit event without a new version of the case: the key follows the
    history's last event, not the version alone."""
    code = make_code(manager)
    before = _timeline(client, case).count("entry-event")
    assert "Named as broken by the complainant" not in _page(client, case)
    version = type(case).objects.get(pk=case.pk).version
    broken_promise_claim_create(
        actor=Actor.staff(handler), complaint_id=case.pk, promise_id=code.promises.first().pk
    )
    assert type(case).objects.get(pk=case.pk).version == version
    assert _timeline(client, case).count("entry-event") == before + 1
    panel = _page(client, case).split('id="promise-checks"')[1]
    assert "Named as broken by the complainant" in panel  # the panel's claims, kept alike


def test_each_language_gets_its_own_timeline(client, case):
    english = _timeline(client, case)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    persian = _timeline(client, case)
    assert persian != english
    assert "دریافت" in persian and "دریافت" not in english  # "received", in Persian
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert _timeline(client, case) == english


def test_a_new_time_zone_shows_at_once(client, manager, case):
    before = _timeline(client, case)
    organisation_update(actor=Actor.staff(manager), timezone="America/New_York")
    after = _timeline(client, case)
    assert after != before
    cache.clear()
    assert _timeline(client, case) == after


def test_a_file_that_joins_the_case_without_an_event_shows_on_the_next_view(client, case):
    """An app above can add a file to the case with its event in a chain of its own (a dispute's
    file does): the key names the case's newest attachment as well as its last event."""
    from plaint.core.models import AuditEvent

    events = AuditEvent.objects.filter(case_type="complaint", case_id=case.pk).count()
    assert "evidence.txt" not in _page(client, case)
    _files("evidence")[0].attachment(complaint_id=case.pk, public=False).save()
    assert AuditEvent.objects.filter(case_type="complaint", case_id=case.pk).count() == events
    assert "evidence.txt" in _page(client, case)
