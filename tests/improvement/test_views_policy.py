# ruff: noqa: RUF001 - the expected texts are Persian on purpose
"""The public policy page in each language (with the fallback said, and right to left in
Persian), earlier versions, drafts kept private, and the staff pages: who reads, who edits and
publishes."""

from __future__ import annotations

import pytest

from plaint.core.actors import Actor
from plaint.improvement import services as s
from plaint.improvement.models import PolicyState, PolicyVersion

pytestmark = pytest.mark.django_db

TEXTS = {
    "title": {"en": "Complaints-handling policy", "fa": "خط‌مشی رسیدگی به شکایات"},
    "body": {
        "en": "We welcome complaints.\n\n- We answer within 20 days.",
        "fa": "ما از شکایت‌ها استقبال می‌کنیم.",
    },
    "responsibilities": {
        "handler": {"en": ["Answers complaints on time."], "fa": ["به‌موقع پاسخ می‌دهد."]}
    },
}


@pytest.fixture
def published(manager):
    draft = s.policy_draft_create(actor=Actor.staff(manager), **TEXTS)
    return s.policy_publish(actor=Actor.staff(manager), version=draft.version)


def test_the_page_says_when_no_policy_is_published(client, db):
    response = client.get("/policy/")
    assert response.status_code == 404
    assert "No complaints-handling policy is published yet." in response.content.decode()


def test_the_policy_in_force_in_english(client, published):
    page = client.get("/policy/").content.decode()
    assert '<article class="policy" lang="en" dir="ltr"' in page
    assert "<ul><li>We answer within 20 days.</li></ul>" in page
    assert "Complaint handler" in page and "Answers complaints on time." in page
    assert 'id="policy-fallback"' not in page


def test_persian_reads_right_to_left_with_persian_role_names(client, published):
    client.cookies["django_language"] = "fa"
    page = client.get("/policy/").content.decode()
    assert '<html lang="fa" dir="rtl">' in page
    assert '<article class="policy" lang="fa" dir="rtl"' in page
    assert "ما از شکایت‌ها استقبال می‌کنیم." in page
    assert "<dt>کارشناس رسیدگی به شکایات</dt>" in page  # the role, in the text's language


def test_a_missing_language_falls_back_to_the_organisations_and_says_so(client, published):
    client.cookies["django_language"] = "sv"
    page = client.get("/policy/").content.decode()
    assert '<article class="policy" lang="en" dir="ltr"' in page  # the text: English
    assert 'id="policy-fallback"' in page
    assert "Svenska" in page and "English" in page
    assert "Complaint handler" in page  # the role in English, beside the English duties


def test_the_language_can_be_chosen_on_the_page(client, published):
    page = client.get("/policy/", {"lang": "fa"}).content.decode()
    assert '<article class="policy" lang="fa" dir="rtl"' in page
    assert client.get("/policy/", {"lang": "xx\x00"}).status_code == 200


def test_earlier_versions_stay_readable_and_drafts_are_not_public(client, manager, published):
    s.policy_draft_create(actor=Actor.staff(manager), body={"en": "Version two text."})
    assert client.get("/policy/2/").status_code == 404  # a draft
    assert "Version two text." not in client.get("/policy/").content.decode()
    s.policy_publish(actor=Actor.staff(manager), version=2)
    assert "Version two text." in client.get("/policy/").content.decode()
    old = client.get("/policy/1/").content.decode()
    assert "We welcome complaints." in old and 'id="policy-superseded"' in old
    assert client.get("/policy/99/").status_code == 404


def test_the_public_footer_links_to_the_policy(client, db):
    assert 'href="/policy/" id="policy-link"' in client.get("/").content.decode()


def test_every_staff_role_reads_the_policy_pages(client, personas, published):
    for user in personas.values():
        client.force_login(user)
        for url in ("/staff/improvement/policy/", "/staff/improvement/policy/1/"):
            assert client.get(url).status_code == 200, (user.role, url)


def test_only_managers_start_a_draft(client, personas, published):
    for role in ("handler", "auditor"):
        client.force_login(personas[role])
        assert client.post("/staff/improvement/policy/").status_code == 403
        assert 'id="start-draft"' not in client.get("/staff/improvement/policy/").content.decode()
    assert PolicyVersion.objects.count() == 1
    client.force_login(personas["manager"])
    response = client.post("/staff/improvement/policy/")
    assert response.status_code == 302 and response["Location"].endswith("/policy/2/")
    assert client.post("/staff/improvement/policy/").status_code == 409  # one draft at a time


def test_a_manager_edits_one_language_and_publishes(client, manager, published):
    s.policy_draft_start(actor=Actor.staff(manager))
    client.force_login(manager)
    url = "/staff/improvement/policy/2/"
    response = client.post(
        f"{url}?lang=sv",
        {
            "title": "Policy för klagomålshantering",
            "body": "Vi välkomnar klagomål.",
            "duties_handler": "Svarar i tid.\n\nBehandlar uppgifter konfidentiellt.",
            "change_note": "Swedish added.",
        },
    )
    assert response.status_code == 302
    draft = PolicyVersion.objects.get(version=2)
    assert draft.body["sv"] == "Vi välkomnar klagomål." and draft.body["en"]  # English kept
    assert draft.responsibilities["handler"]["sv"] == [
        "Svarar i tid.",
        "Behandlar uppgifter konfidentiellt.",
    ]
    assert client.post(url, {"action": "publish"}).status_code == 302
    assert PolicyVersion.objects.get(version=2).state == PolicyState.PUBLISHED
    assert 'id="policy-form"' not in client.get(url).content.decode()  # frozen


def test_a_too_long_title_is_shown_on_the_form(client, manager):
    s.policy_draft_start(actor=Actor.staff(manager))
    client.force_login(manager)
    response = client.post("/staff/improvement/policy/1/", {"title": "x" * 201, "body": ""})
    assert response.status_code == 422
    assert 'id="id_title_error"' in response.content.decode()


def test_publishing_an_incomplete_draft_says_why(client, manager):
    s.policy_draft_start(actor=Actor.staff(manager))
    client.force_login(manager)
    response = client.post("/staff/improvement/policy/1/", {"action": "publish"})
    assert response.status_code == 422
    assert "not complete in the organisation" in response.content.decode()


def test_handlers_may_not_edit_a_draft(client, manager, handler):
    s.policy_draft_start(actor=Actor.staff(manager))
    client.force_login(handler)
    assert 'id="policy-form"' not in client.get("/staff/improvement/policy/1/").content.decode()
    assert client.post("/staff/improvement/policy/1/", {"action": "publish"}).status_code == 403
    assert client.post("/staff/improvement/policy/1/", {"title": "x"}).status_code == 403
    assert PolicyVersion.objects.get().title == {}


def test_a_version_number_out_of_range_is_not_found(client, manager, published):
    assert client.get("/policy/99999999999999999999999/").status_code == 404
    client.force_login(manager)
    for url in (
        "/staff/improvement/policy/99999999999999999999999/",
        "/staff/improvement/training/people/99999999999999999999999/",
        "/staff/improvement/training/courses/99999999999999999999999/",
    ):
        assert client.get(url).status_code == 404, url
