"""Staff and public pages: permissions per role, the forms calling the services, the version
diff, the complaint panel, the scorecard page and CSV, and query counts on lists."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from plaint.core.actors import Actor
from plaint.promises import services
from plaint.promises.models import BrokenPromiseClaim, Code, RegulatoryPause
from tests.factories import CategoryFactory, make_complaint
from tests.promises.factories import ACK_2_BD, RESPOND_10_BD, make_code

T0 = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


STAFF_PAGES = [
    "/staff/promises/",
    "/staff/promises/codes/{code}/",
    "/staff/promises/pauses/",
    "/staff/promises/profiles/",
    "/staff/promises/scorecard/",
]
MANAGER_PAGES = [
    "/staff/promises/codes/new/",
    "/staff/promises/codes/{draft}/edit/",
    "/staff/promises/codes/{draft}/promises/new/",
]


@pytest.mark.parametrize("role", ["admin", "manager", "handler", "auditor"])
def test_all_staff_read_and_only_managers_and_admins_get_the_forms(personas, role):
    code = make_code(personas["manager"])
    draft = make_code(personas["manager"], slug="draft-code", publish=False)
    client = login(personas[role])
    for page in STAFF_PAGES:
        response = client.get(page.format(code=code.pk))
        assert response.status_code == 200, page
    for page in MANAGER_PAGES:
        response = client.get(page.format(draft=draft.pk))
        assert response.status_code == (200 if role in {"admin", "manager"} else 403), page


def test_anonymous_visitors_are_sent_to_the_login(db):
    response = Client().get("/staff/promises/")
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_manager_writes_publishes_and_versions_a_code_through_the_pages(manager):
    client = login(manager)
    response = client.post(
        "/staff/promises/codes/new/",
        {"slug": "care", "title_en": "Care promises", "title_fa": "تعهدات مراقبت", "origin": "own"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    code = Code.objects.get(slug="care")
    assert code.title == {"en": "Care promises", "fa": "تعهدات مراقبت"}
    response = client.post(
        f"/staff/promises/codes/{code.pk}/promises/new/",
        {
            "key": "respond",
            "text_en": "We answer within 5 business days.",
            "clock": "received_to_decision",
            "limit_amount": 5,
            "limit_unit": "business_days",
            "target_rate": "0.9",
            "at_risk_fraction": "0.8",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert client.post(f"/staff/promises/codes/{code.pk}/step/publish/").status_code == 302
    code.refresh_from_db()
    assert code.state == "published"
    # a published code offers no edit form, and a POST to it is refused with the reason
    page = client.get(f"/staff/promises/codes/{code.pk}/").content.decode()
    assert "/edit/" not in page and "Make a new version" in page
    refused = client.post(
        f"/staff/promises/codes/{code.pk}/edit/", {"title_en": "Changed", "origin": "own"}
    )
    assert refused.status_code == 409 and "new version" in refused.content.decode()
    response = client.post(f"/staff/promises/codes/{code.pk}/new-version/")
    draft = Code.objects.get(slug="care", version=2)
    assert response["Location"] == f"/staff/promises/codes/{draft.pk}/"
    promise = draft.promises.get()
    client.post(
        f"/staff/promises/promises/{promise.pk}/edit/",
        {
            "key": "respond",
            "text_en": "We answer within 3 business days.",
            "clock": "received_to_decision",
            "limit_amount": 3,
            "limit_unit": "business_days",
            "target_rate": "0.9",
            "at_risk_fraction": "0.8",
        },
    )
    diff = client.get(f"/staff/promises/codes/{draft.pk}/diff/").content.decode()
    assert "<del>- We answer within 5 business days.</del>" in diff
    assert "<ins>+ We answer within 3 business days.</ins>" in diff


def test_form_errors_come_back_next_to_the_fields(manager):
    client = login(manager)
    response = client.post("/staff/promises/codes/new/", {"origin": "adopted", "title_en": "X"})
    assert response.status_code == 422
    assert "Name the body whose code you adopted." in response.content.decode()


def test_handler_cannot_post_lifecycle_steps(manager, handler):
    code = make_code(manager)
    response = login(handler).post(f"/staff/promises/codes/{code.pk}/step/retire/")
    assert response.status_code == 403
    code.refresh_from_db()
    assert code.state == "published"


def test_a_codes_channels_are_named_in_the_page_language(manager):
    code = make_code(manager, publish=False)
    services.code_update(
        actor=Actor.staff(manager), code_id=code.pk, scope_channels=["in_person", "email"]
    )
    client = login(manager)
    client.cookies["django_language"] = "et"
    page = client.get(f"/staff/promises/codes/{code.pk}/").content.decode()
    assert "in_person" not in page
    assert "Kanalid: Isiklikult, E-post;" in page


def test_the_shipped_profiles_read_in_the_page_language_with_the_organisations_numbers(manager):
    from plaint.core.selectors import organisation_get

    org = organisation_get()
    client = login(manager)
    client.cookies["django_language"] = "fa"
    page = client.get("/staff/promises/profiles/").content.decode()
    iso = page[page.index('id="profile-iso-10002-default"') :]
    iso = iso[: iso.index("</section>")]
    # the ISO 10002 profile has Persian texts: shown in Persian, the organisation's numbers filled in
    assert '<h3 lang="fa" dir="auto">تعهدات ما در رسیدگی به شکایات (ISO 10002)</h3>' in iso
    ack = org.acknowledgement_business_days
    assert f'<bdi lang="fa">دریافت شکایت شما را ظرف {ack} روز کاری تأیید می‌کنیم.</bdi>' in iso
    assert "{ack}" not in page and "{resp}" not in page
    assert f"({ack} روز کاری)" in iso  # the unit in Persian, not "business_days"
    # a regulator's profile exists in English only: marked as English inside the Persian page
    fca = page[page.index('id="profile-uk-fca-disp"') :]
    assert '<h3 lang="en" dir="auto">UK FCA complaint handling rules (DISP 1.6)</h3>' in fca
    assert '<bdi lang="en">We acknowledge your complaint promptly in writing.</bdi>' in fca
    assert "business_days" not in page and "(org." not in page
    # the form to adopt one names each profile as the list does
    form = page[page.index('name="profile"') :]
    form = form[: form.index("</select>")]
    assert ">تعهدات ما در رسیدگی به شکایات (ISO 10002)</option>" in form
    assert ">UK FCA complaint handling rules (DISP 1.6)</option>" in form


def test_regulatory_pause_and_profile_pages(manager, run_jobs):
    category = CategoryFactory(code="mortgages")
    client = login(manager)
    response = client.post(
        "/staff/promises/pauses/",
        {
            "category": category.code,
            "starts_at": "2026-03-02 00:00",
            "ends_at": "2026-03-09 00:00",
            "reason": "Regulator's direction 2026/4",
        },
    )
    assert response.status_code == 302
    pause = RegulatoryPause.objects.get()
    assert pause.category == category
    page = client.get("/staff/promises/pauses/").content.decode()
    assert "Regulator" in page and 'id="applying"' in page  # the job has not run yet
    run_jobs()
    assert 'id="applying"' not in client.get("/staff/promises/pauses/").content.decode()
    assert client.post(f"/staff/promises/pauses/{pause.pk}/delete/").status_code == 302
    assert not RegulatoryPause.objects.exists()
    response = client.post("/staff/promises/profiles/", {"profile": "us-cfpb"})
    assert response.status_code == 302
    page = client.get("/staff/promises/profiles/").content.decode()
    assert "https://www.consumerfinance.gov/complaint/process/" in page


def test_complaint_page_shows_the_checks_with_clocks_and_records_a_claim(manager, handler):
    with time_machine.travel(T0, tick=False):
        code = make_code(manager)
        complaint, _ = make_complaint()
    client = login(handler)
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        page = client.get(f"/staff/complaints/{complaint.reference}/").content.decode()
    assert 'id="promise-checks"' in page
    assert "We decide within 10 business days." in page
    assert "elapsed 8h 0min of opening time" in page
    assert "remaining 80h 0min of opening time" in page
    promise = code.promises.get(key="respond")
    response = client.post(
        f"/staff/promises/complaints/{complaint.reference}/claim/",
        {"promise": promise.pk, "note": "Nobody called back"},
    )
    assert response.status_code == 302
    claim = BrokenPromiseClaim.objects.get()
    assert (claim.complaint, claim.promise, claim.note) == (
        complaint,
        promise,
        "Nobody called back",
    )


def test_in_a_persian_page_the_promise_texts_keep_their_own_direction(manager, handler):
    """The checks and the claims are written in the complainant's language; in a right-to-left
    page each sits in its own ``<bdi>``, so "… business days." keeps its full stop at its end."""
    with time_machine.travel(T0, tick=False):
        code = make_code(manager)
        complaint, _ = make_complaint()
    client = login(handler)
    client.post(
        f"/staff/promises/complaints/{complaint.reference}/claim/",
        {"promise": code.promises.get(key="respond").pk, "note": "Nobody called back"},
    )
    client.cookies["django_language"] = "fa"
    page = client.get(f"/staff/complaints/{complaint.reference}/").content.decode()
    assert 'dir="rtl"' in page
    assert "<bdi>We decide within 10 business days.</bdi>" in page
    assert "<bdi>Nobody called back</bdi>" in page


def test_auditor_sees_the_panel_but_no_claim_form(manager, auditor):
    with time_machine.travel(T0, tick=False):
        make_code(manager)
        complaint, _ = make_complaint()
    page = login(auditor).get(f"/staff/complaints/{complaint.reference}/").content.decode()
    assert 'id="promise-checks"' in page and "Record a broken promise" not in page
    response = login(auditor).post(
        f"/staff/promises/complaints/{complaint.reference}/claim/", {"promise": 1}
    )
    assert response.status_code == 403


def test_scorecard_page_and_streaming_csv(manager, handler):
    with time_machine.travel(T0, tick=False):
        make_code(manager)
        make_complaint()
    client = login(handler)
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        page = client.get("/staff/promises/scorecard/").content.decode()
        response = client.get("/staff/promises/scorecard.csv")
    assert "<svg" in page and "We decide within 10 business days." in page
    assert response.streaming
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("code,promise,month,cases,met,breached")
    assert "service-promises,acknowledge,2026-03,1,1,0,0,0,0,1.0000" in lines[1]


def test_public_pages_show_published_codes_only_in_their_languages(manager):
    with time_machine.travel(T0, tick=False):
        code = make_code(manager)
        draft = make_code(manager, slug="secret-draft", publish=False)
        make_complaint()
    client = Client()
    index = client.get("/codes/").content.decode()
    assert f"/codes/{code.slug}/v1/" in index and "secret-draft" not in index
    assert client.get(f"/codes/{draft.slug}/v1/").status_code == 404
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        english = client.get(f"/codes/{code.slug}/v1/").content.decode()
        estonian = client.get(f"/codes/{code.slug}/v1/?lang=et").content.decode()
    assert "We acknowledge within 2 business days." in english
    assert "Kinnitame 2 tööpäevaga." in estonian and 'lang="et"' in estonian
    assert "100% of 1 case" in english  # the acknowledgement promise, met once
    assert "Version 1" in english


def test_a_retired_version_stays_readable_and_says_so(manager):
    code = make_code(manager)
    services.code_transition(actor=Actor.staff(manager), code_id=code.pk, step="retire")
    page = Client().get(f"/codes/{code.slug}/v1/").content.decode()
    assert "no longer in force" in page
    assert f"/codes/{code.slug}/v1/" not in Client().get("/codes/").content.decode()


def test_lists_run_a_constant_number_of_queries(manager, django_assert_num_queries):
    client = login(manager)
    make_code(manager)
    client.get("/staff/promises/")
    client.get("/codes/")
    # session, user, configuration token, codes, the header's unread notifications (within the
    # cases the reader may see), and a manager's two permission reads (may they open the
    # personal-data pages: `plaint privacy grant`)
    with django_assert_num_queries(7) as few:
        client.get("/staff/promises/")
    page_queries = len(few.captured_queries)  # read now: a later request resets the log
    with django_assert_num_queries(3):  # codes, their promises, organisation name
        Client().get("/codes/")
    for i in range(6):
        make_code(manager, slug=f"code-{i}")
    # the first page after a configuration change loads the organisation again (core.selectors
    # .config_cached); the count compared is the page's own
    client.get("/staff/promises/")
    with django_assert_num_queries(page_queries):
        client.get("/staff/promises/")
    with django_assert_num_queries(3):
        Client().get("/codes/")


def test_the_claim_form_waits_behind_a_closed_disclosure(manager, handler):
    """Issue 16, item 6: "Record a broken promise" is a disclosure on the case page, not a form
    that is always open."""
    with time_machine.travel(T0, tick=False):
        make_code(manager)
        complaint, _ = make_complaint()
    page = login(handler).get(f"/staff/complaints/{complaint.reference}/").content.decode()
    panel = page.split('id="promise-checks"')[1].split("</section>")[0]
    disclosure = panel.split('<details class="disclosure" id="record-broken-promise">')[1]
    assert disclosure.lstrip().startswith("<summary>Record a broken promise</summary>")
    assert f'action="/staff/promises/complaints/{complaint.reference}/claim/"' in disclosure
    assert "claim/" not in panel.split('id="record-broken-promise"')[0]


def test_the_claim_form_lists_each_promise_whole_in_the_complainants_words(manager, handler):
    """The promises to name as broken are radio buttons under their code, each promise's whole
    text in the complainant's language as the checks above them; the claims named are too.
    (A select cut them at the panel's width, and named them in English.)"""
    long_text = {
        "en": "We confirm that we have your complaint, and who handles it, within 2 business days.",
        "et": "Kinnitame 2 tööpäeva jooksul, et teie kaebus on meil ja kes seda menetleb.",
    }
    with time_machine.travel(T0, tick=False):
        code = make_code(manager, promises=[{**ACK_2_BD, "texts": long_text}, RESPOND_10_BD])
        complaint, _ = make_complaint(language="et")
    client = login(handler)
    page = client.get(f"/staff/complaints/{complaint.reference}/").content.decode()
    claim = page.split('id="record-broken-promise"')[1].split("</details>")[0]
    assert "<select" not in claim
    assert '<p class="muted"><bdi>Meie teeninduslubadused v1</bdi></p>' in claim
    for promise in code.promises.all():
        radio = f'<input type="radio" name="promise" value="{promise.pk}"'
        assert radio in claim
        label = claim.split(radio)[1].split("</label>")[0]
        assert label.endswith(f"<bdi>{promise.texts['et']}</bdi>")

    client.post(
        f"/staff/promises/complaints/{complaint.reference}/claim/",
        {"promise": code.promises.get(key="acknowledge").pk, "note": "Keegi ei vastanud"},
    )
    page = client.get(f"/staff/complaints/{complaint.reference}/").content.decode()
    named = page.split("</h3>")[-2:]
    assert f"<bdi>{long_text['et']}</bdi> — <bdi>Keegi ei vastanud</bdi>" in "".join(named)


def test_the_codes_pages_name_codes_and_promises_in_the_pages_language(manager):
    code = make_code(manager)  # written in English and Estonian
    client = login(manager)
    client.cookies["django_language"] = "et"
    codes = client.get("/staff/promises/").content.decode()
    assert "<bdi>Meie teeninduslubadused</bdi></a>" in codes
    detail = client.get(f"/staff/promises/codes/{code.pk}/").content.decode()
    assert "<h1><bdi>Meie teeninduslubadused</bdi>" in detail
    assert "<strong>acknowledge</strong> — <bdi>Kinnitame 2 tööpäevaga.</bdi>" in detail
    client.cookies["django_language"] = "uk"  # not written in Ukrainian: in English
    detail = client.get(f"/staff/promises/codes/{code.pk}/").content.decode()
    assert "<h1><bdi>Our service promises</bdi>" in detail
