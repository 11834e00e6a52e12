"""The staff case page runs the same number of SQL statements however long the case's history is:
1 audit event or 50, 1 message or 10, 1 attachment or 5 (bench/case_page.py measures it at
1,000,000 complaints)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaint.complaints.services import complaint_assign, message_post
from plaint.core.actors import Actor
from plaint.core.models import AuditEvent
from plaint.core.uploads import check_uploads
from tests.factories import UserFactory, advance, make_complaint

pytestmark = pytest.mark.django_db

# What the page reads (with no promise configured): session, user, the configuration token (once:
# the organisation, the reply templates and the promise snapshot come from the cache under it),
# the complaint with its complainant, category, assignee and team, and whether it has a referral
# to a legal or regulatory authority (the disputes app's annotation, CasePageReading: its panel
# asks for the referrals only when there are some); audit events; messages with authors; promise
# checks; broken-promise claims; remedies; attachments; the header's unread notifications; and one
# INSERT of the access log's row for this read (complaints.CaseRead: who read which case, for the
# auditor), the same one row on every case. The step forms (and the assign form's people and
# teams) are on their own pages. The events, messages, remedies, attachments and claims are read
# on the first view after the case changed; a view of an unchanged case takes them (the timeline
# rendered) from the cache (complaints.views_history), five fewer.
CASE_PAGE_STATEMENTS = 12
CASE_PAGE_STATEMENTS_HISTORY_KEPT = 7


def _phone_case():
    """A case logged by staff from a phone call: one audit event ("received"), no mail."""
    complaint, _token = make_complaint(
        channel="phone",
        email="",
        phone="+372 5555 0101",
        preferred_channel="phone",
        actor=Actor.staff(_staff("logger")),
    )
    return complaint


def _staff(username: str):
    return UserFactory(username=username, role="handler")


def _files(count: int, stem: str) -> list:
    uploads = [
        SimpleUploadedFile(f"{stem}-{k}.txt", f"{stem} {k}\n".encode(), content_type="text/plain")
        for k in range(count)
    ]
    return check_uploads(uploads)


def _events(complaint) -> int:
    return AuditEvent.objects.filter(case_type="complaint", case_id=complaint.pk).count()


def _statements(client, complaint) -> tuple[int, int]:
    """The statements of the first view of the case as it is now, and of a second view (the
    client has viewed another case before: the session's first use is not what is measured)."""
    url = f"/staff/complaints/{complaint.reference}/"
    counts = []
    for _view in range(2):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    return counts[0], counts[1]


def test_statements_do_not_grow_with_events_messages_or_attachments(client, handler):
    staff = Actor.staff(handler)
    one_event = _phone_case()
    assert _events(one_event) == 1

    one_each = _phone_case()
    message_post(
        complaint_id=one_each.pk,
        actor=staff,
        body="Called back.",
        internal=True,
        attachments=_files(1, "call"),
    )
    assert one_each.messages.count() == 1 and one_each.attachments.count() == 1

    long_case = _phone_case()
    others = [_staff(f"colleague{k}") for k in range(3)]
    for k in range(10):
        message_post(
            complaint_id=long_case.pk,
            actor=staff,
            body=f"Note {k}.",
            internal=k % 2 == 0,
            attachments=_files(1, f"report{k}") if k < 5 else None,
        )
    turn = 0
    while _events(long_case) < 50:
        complaint_assign(complaint_id=long_case.pk, actor=staff, assignee_id=others[turn % 3].pk)
        turn += 1
    assert (_events(long_case), long_case.messages.count(), long_case.attachments.count()) == (
        50,
        10,
        5,
    )

    client.force_login(handler)
    client.get(f"/staff/complaints/{_phone_case().reference}/")  # the session's first use
    counts = {
        "1 event": _statements(client, one_event),
        "1 message, 1 attachment": _statements(client, one_each),
        "50 events, 10 messages, 5 attachments": _statements(client, long_case),
    }
    # and in every state a case passes through (the steps offered differ, the statements do not)
    for state in ("acknowledged", "investigating", "decision_communicated", "closed"):
        complaint, _token = make_complaint()
        counts[state] = _statements(client, advance(complaint, state, by=handler))
    assert set(counts.values()) == {(CASE_PAGE_STATEMENTS, CASE_PAGE_STATEMENTS_HISTORY_KEPT)}, (
        counts
    )


def test_of_those_statements_one_is_the_access_log_row_and_no_more(client, handler):
    complaint = _phone_case()
    url = f"/staff/complaints/{complaint.reference}/"
    client.force_login(handler)
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    writes = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith("SELECT")]
    assert len(writes) == 1 and writes[0].startswith('INSERT INTO "complaints_caseread"'), writes


def test_the_long_case_shows_every_entry(client, handler):
    """The constant count is not bought by leaving rows out."""
    staff = Actor.staff(handler)
    complaint = _phone_case()
    for k in range(10):
        message_post(
            complaint_id=complaint.pk, actor=staff, body=f"Note number {k}.", internal=True
        )
    client.force_login(handler)
    body = client.get(f"/staff/complaints/{complaint.reference}/").content.decode()
    timeline = body.split('id="timeline"')[1]
    for k in range(10):
        assert f"Note number {k}." in timeline


def _reads(client, url: str, table: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    # a statement reading the table itself (its first FROM), not one that names it in a
    # subquery: the visibility rule reads the organisation's setting inside the case's statement
    return sum(
        q["sql"].split(" FROM ", 1)[-1].startswith(f'"{table}"') for q in ctx.captured_queries
    )


def test_the_case_page_reads_no_people_or_teams_and_their_pages_read_them_once(client, handler):
    complaint, _token = make_complaint()  # acknowledged at once: assess and assign are allowed
    assert complaint.state == "acknowledged"
    client.force_login(handler)
    case = f"/staff/complaints/{complaint.reference}/"
    assert _reads(client, case, "accounts_team") == 0
    for page in (f"{case}step/assess/", f"{case}assign/"):
        body = client.get(page).content.decode()
        assert body.count(f'<option value="{handler.pk}"') == 1
        assert _reads(client, page, "accounts_team") == 1


def test_the_configuration_is_read_from_the_cache_until_it_changes(client, handler, manager):
    """The organisation and the reply templates come from the cache under the configuration
    token; a change of either writes a new token, and the page shows it at once."""
    from plaint.complaints.services import reply_template_create
    from plaint.organisation.services import organisation_update

    complaint, _token = make_complaint()
    client.force_login(handler)
    case = f"/staff/complaints/{complaint.reference}/"
    assert _reads(client, case, "core_organisation") == 0
    assert _reads(client, case, "complaints_replytemplate") == 0
    reply_template_create(actor=Actor.staff(manager), name="Thanks", texts={"en": "Thank you."})
    assert "Thanks" in client.get(case).content.decode()
    organisation_update(actor=Actor.staff(manager), timezone="America/New_York")
    with CaptureQueriesContext(connection) as ctx:
        client.get(case)
    # read again under the new token (by the promise snapshot too), then from the cache
    assert sum('FROM "core_organisation"' in q["sql"] for q in ctx.captured_queries) >= 1
    assert _reads(client, case, "core_organisation") == 0
