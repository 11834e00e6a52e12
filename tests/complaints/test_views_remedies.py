"""After a declined decision and an internal review, the case page and the tracking page show the
second proposal's remedies once; the case page keeps the first in its history."""

from __future__ import annotations

import re

import pytest

from tests.complaints.proposals import FIRST, SECOND, propose_again
from tests.factories import advance, make_complaint

pytestmark = pytest.mark.django_db


def _between(body: str, start: str, end: str) -> str:
    match = re.search(re.escape(start) + "(.*?)" + re.escape(end), body, re.S)
    assert match, f"{start!r} not on the page"
    return match.group(1)


def _items(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li>(.*?)</li>", html, re.S)]


def test_the_tracking_page_shows_the_latest_proposal_once(client, handler, other_handler):
    complaint, token = make_complaint()
    propose_again(complaint, decider=handler, reviewer=other_handler)
    body = client.get(f"/track/{token}/").content.decode()
    decision = _between(body, 'id="decision-heading"', "</section>")
    assert SECOND in decision and FIRST not in decision
    offered = _between(decision, "What we will do", "</ul>")
    assert _items(offered) == ["Refund: €39.90", "Apology — A letter from the manager"]


def test_the_tracking_page_shows_no_remedy_while_the_review_proposal_is_unsent(
    client, handler, other_handler
):
    complaint, token = make_complaint()
    propose_again(complaint, decider=handler, reviewer=other_handler, communicate=False)
    body = client.get(f"/track/{token}/").content.decode()
    assert "What we will do" not in body and "39.90" not in body


def test_the_case_page_shows_the_latest_remedies_and_the_earlier_proposal_apart(
    client, handler, other_handler
):
    complaint = propose_again(make_complaint()[0], decider=handler, reviewer=other_handler)
    client.force_login(other_handler)
    body = client.get(f"/staff/complaints/{complaint.reference}/").content.decode()
    current = _between(body, 'id="remedies">', "</div>")
    assert _items(current) == ["Refund: €39.90", "Apology — A letter from the manager"]
    earlier = _between(body, 'id="earlier-proposals">', "</details>")
    assert "Earlier proposals (superseded)" in earlier
    assert "Proposal 1 of" in earlier and "replaced on" in earlier
    assert _items(earlier) == ["Refund: €4.90"]
    assert body.count("€39.90") == 1


def test_a_case_proposed_once_has_no_earlier_proposals(client, handler):
    complaint = advance(make_complaint()[0], "decision_communicated", by=handler)
    client.force_login(handler)
    body = client.get(f"/staff/complaints/{complaint.reference}/").content.decode()
    assert _items(_between(body, 'id="remedies">', "</div>")) == ["Refund: €4.90"]
    assert "earlier-proposals" not in body


@pytest.mark.parametrize(
    ("lang", "summary", "proposal"),
    [
        ("et", "Varasemad ettepanekud (asendatud)", "Ettepanek 1 ("),
        ("uk", "Попередні пропозиції (замінені)", "Пропозиція 1 від"),
        ("sv", "Tidigare förslag (ersatta)", "Förslag 1 från"),
        ("fa", "پیشنهادهای پیشین (جایگزین‌شده)", "مورخ"),
    ],
)
def test_the_earlier_proposals_are_named_in_the_page_language(
    client, handler, other_handler, lang, summary, proposal
):
    complaint = propose_again(make_complaint()[0], decider=handler, reviewer=other_handler)
    client.force_login(other_handler)
    client.cookies["django_language"] = lang
    body = client.get(f"/staff/complaints/{complaint.reference}/").content.decode()
    earlier = _between(body, 'id="earlier-proposals">', "</details>")
    assert summary in earlier and proposal in earlier
