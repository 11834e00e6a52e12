"""The surveys API: state, audit, permission matrix, keyset pages with constant queries, imports."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaint.core.actors import Actor
from plaint.core.models import AuditEvent
from plaint.surveys import services
from plaint.surveys.models import Contact, Invitation, Response, Survey
from tests.api_client import ApiClient, assert_problem
from tests.surveys.factories import invite, make_survey

NEW = {"key": "rel", "kind": "relationship", "title": {"en": "How are we doing?", "fa": "چطوریم؟"}}
RATING = {
    "kind": "rating",
    "code": "overall",
    "text": {"en": "Overall?"},
    "scale_min": 1,
    "scale_max": 7,
    "point_labels": {"en": {"1": "Poor", "7": "Excellent"}},
    "is_overall": True,
    "attribute": "overall",
}


@pytest.fixture
def as_manager(manager):
    return ApiClient(manager)


def test_build_activate_version_archive_through_the_api(as_manager, manager):
    response = as_manager.post("/surveys", {**NEW, "sampling_rate": "0.5", "reminder_count": 2})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "draft" and body["sampling_rate"] == "0.500" and body["questions"] == []
    sid = body["id"]
    response = as_manager.post(f"/surveys/{sid}/questions", RATING)
    assert response.status_code == 201, response.content
    assert response.json()["scale_max"] == 7 and response.json()["position"] == 1
    assert as_manager.post(f"/surveys/{sid}/activate").json()["state"] == "active"
    assert_problem(as_manager.post(f"/surveys/{sid}/activate"), 409, "invalid_transition")
    v2 = as_manager.post(f"/surveys/{sid}/versions")
    assert v2.status_code == 201 and v2.json()["version"] == 2
    assert [q["code"] for q in v2.json()["questions"]] == ["overall"]
    assert as_manager.post(f"/surveys/{v2.json()['id']}/activate").json()["state"] == "active"
    assert Survey.objects.get(pk=sid).state == "archived"
    assert as_manager.get(f"/surveys/{sid}").json()["state"] == "archived"
    assert [s["version"] for s in as_manager.get("/surveys").json()] == [2, 1]
    assert AuditEvent.objects.filter(case_type="survey", case_id=sid, action="archived").exists()


def test_validation_problems_name_fields(as_manager):
    body = assert_problem(
        as_manager.post("/surveys", {**NEW, "title": {"fa": "x"}}), 422, "validation_failed"
    )
    assert "title" in body["errors"]
    sid = as_manager.post("/surveys", NEW).json()["id"]
    body = assert_problem(
        as_manager.post(
            f"/surveys/{sid}/questions",
            {**RATING, "scale_max": 9, "scale_min": 0, "point_labels": {"en": {"10": "x"}}},
        ),
        422,
        "validation_failed",
    )
    assert "point_labels" in body["errors"]
    assert_problem(as_manager.post("/surveys", {**NEW, "unknown": 1}), 422, "validation_failed")
    nps_1_10 = {"kind": "nps", "code": "nps", "text": {"en": "Recommend?"}, "scale_min": 1}
    body = assert_problem(
        as_manager.post(f"/surveys/{sid}/questions", nps_1_10), 422, "validation_failed"
    )
    assert "0 to 10" in body["errors"]["scale_min"][0]
    single_overall = {
        "kind": "single",
        "code": "pick",
        "text": {"en": "Which?"},
        "options": [{"code": "a", "label": {"en": "A"}}, {"code": "b", "label": {"en": "B"}}],
        "is_overall": True,
    }
    body = assert_problem(
        as_manager.post(f"/surveys/{sid}/questions", single_overall), 422, "validation_failed"
    )
    assert "is_overall" in body["errors"]


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [("admin", 200, 201), ("manager", 200, 201), ("handler", 200, 403), ("auditor", 200, 403)],
)
def test_permission_matrix(personas, role, read, write):
    survey = make_survey(personas["manager"])
    client = ApiClient(personas[role])
    assert client.get("/surveys").status_code == read
    assert client.get(f"/surveys/{survey.pk}/responses").status_code == read
    assert client.get(f"/surveys/{survey.pk}/invitations").status_code == read
    assert client.post("/surveys", {**NEW, "key": f"k-{role}"}).status_code == write
    response = client.post(f"/surveys/{survey.pk}/invitations", {"email": f"{role}@example.org"})
    assert response.status_code == write
    response = client.post("/contacts/import", {"csv": "email\nx@example.org\n"})
    assert response.status_code == (200 if write == 201 else 403)


def test_anonymous_is_401():
    assert_problem(ApiClient().get("/surveys"), 401, "unauthenticated")


def test_invitation_create_and_refusals(as_manager, manager):
    survey = make_survey(manager, quiet_period_days=30)
    response = as_manager.post(
        f"/surveys/{survey.pk}/invitations", {"email": "A@example.org", "language": "fa"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "sent" and response.json()["email"] == "a@example.org"
    assert_problem(
        as_manager.post(f"/surveys/{survey.pk}/invitations", {"email": "a@example.org"}),
        409,
        "conflict",
    )
    assert_problem(
        as_manager.post(f"/surveys/{survey.pk}/invitations", {"language": "xx"}),
        422,
        "validation_failed",
    )
    services.contacts_import_csv(
        actor=Actor.staff(manager), data="email,language\nc@example.org,uk\n"
    )
    contact = Contact.objects.get()
    response = as_manager.post(f"/surveys/{survey.pk}/invitations", {"contact_id": contact.pk})
    assert response.json()["language"] == "uk" and response.json()["contact_id"] == contact.pk


def _answer(manager, survey, n):
    for i in range(n):
        _inv, token = invite(manager, survey, email=f"r{i}@example.org")
        services.response_save(
            token=token,
            answers={"overall": str(1 + i % 5), "liked": ["tone"], "comment": f"c{i}"},
            submit=True,
        )


def test_response_pages_are_keyset_with_constant_queries(as_manager, manager):
    survey = make_survey(manager, quiet_period_days=0)
    _answer(manager, survey, 7)
    seen = []
    cursor = None
    counts = []
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        with CaptureQueriesContext(connection) as ctx:
            body = as_manager.get(f"/surveys/{survey.pk}/responses", params).json()
        counts.append(len(ctx))
        seen += [r["id"] for r in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert (
        sorted(seen) == sorted(Response.objects.values_list("pk", flat=True))
        and len(set(seen)) == 7
    )
    # the same queries for every page (the first also checks the address is not locked out,
    # reads the token and records its use; later ones find the token in the process's cache)
    assert len(set(counts[1:])) == 1 and counts[0] <= counts[1] + 3
    one = as_manager.get(f"/responses/{seen[0]}").json()
    assert {a["question"] for a in one["answers"]} == {"overall", "liked", "comment"}
    assert_problem(
        as_manager.get(f"/surveys/{survey.pk}/responses", {"cursor": "garbage"}),
        422,
        "validation_failed",
    )


def test_list_queries_do_not_grow_with_rows(as_manager, manager, django_assert_max_num_queries):
    survey = make_survey(manager, quiet_period_days=0)
    _answer(manager, survey, 2)
    with CaptureQueriesContext(connection) as small:
        as_manager.get(f"/surveys/{survey.pk}/responses", {"limit": 50})
        as_manager.get(f"/surveys/{survey.pk}/invitations", {"limit": 50})
        as_manager.get("/surveys")
    _answer(manager, survey, 0)
    for i in range(8):
        invite(manager, survey, email=f"more{i}@example.org")
    _answer_more = [invite(manager, survey, email=f"x{i}@example.org")[1] for i in range(6)]
    for token in _answer_more:
        services.response_save(token=token, answers={"overall": "3"}, submit=True)
    with django_assert_max_num_queries(len(small)):
        as_manager.get(f"/surveys/{survey.pk}/responses", {"limit": 50})
        as_manager.get(f"/surveys/{survey.pk}/invitations", {"limit": 50})
        as_manager.get("/surveys")


def test_import_responses_through_the_api(as_manager, manager):
    survey = make_survey(manager)
    csv_text = "id,when,score,nps\nA1,2026-01-05,5,9\nA2,2026-01-06,9,3\nA3,2026-01-07,4,\n"
    response = as_manager.post(
        f"/surveys/{survey.pk}/responses/import",
        {
            "csv": csv_text,
            "mapping": {
                "id": "external_id",
                "when": "submitted_at",
                "score": "question:overall",
                "nps": "question:nps",
            },
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["imported"], body["rejected"]) == (2, 1)
    assert body["errors"] == [{"line": 3, "message": "score: Choose a whole number from 1 to 5."}]
    assert set(Response.objects.values_list("external_id", flat=True)) == {"A1", "A3"}
    body = assert_problem(
        as_manager.post(
            f"/surveys/{survey.pk}/responses/import",
            {"csv": csv_text, "mapping": {"nope": "question:overall"}},
        ),
        422,
        "validation_failed",
    )
    assert "mapping" in body["errors"]


def test_contacts_import_and_wave(as_manager, manager):
    response = as_manager.post(
        "/contacts/import",
        {"csv": "email,name,language,segment\na@example.org,A,et,vip\nbad,B,en,\n"},
    )
    assert response.json()["imported"] == 1 and response.json()["errors"][0]["line"] == 3
    survey = make_survey(manager, key="rel", kind="relationship")
    body = as_manager.post(f"/surveys/{survey.pk}/waves", {"segment": "vip"}).json()
    assert body["invited"] == 1
    assert Invitation.objects.get().language == "et"


def test_patch_and_remove_question(as_manager, manager):
    sid = as_manager.post("/surveys", NEW).json()["id"]
    qid = as_manager.post(f"/surveys/{sid}/questions", RATING).json()["id"]
    second = {**RATING, "code": "speed", "is_overall": False, "attribute": "speed"}
    as_manager.post(f"/surveys/{sid}/questions", second)
    r = as_manager.client.patch(
        f"/api/v1/surveys/{sid}",
        data='{"delay_hours": 6, "title": {"en": "Pulse", "sv": "Puls"}}',
        content_type="application/json",
        headers=as_manager.headers(),
    )
    assert r.status_code == 200, r.content
    assert r.json()["delay_hours"] == 6 and r.json()["title"] == {"en": "Pulse", "sv": "Puls"}
    assert as_manager.request("DELETE", f"/questions/{qid}").status_code == 204
    assert [q["code"] for q in as_manager.get(f"/surveys/{sid}/questions").json()] == ["speed"]
    assert_problem(as_manager.request("DELETE", f"/questions/{qid}"), 404, "not_found")


def test_cancel_one_invitation_through_the_api(as_manager, manager, personas):
    survey = make_survey(manager, quiet_period_days=0)
    invitation, _token = invite(manager, survey, email="c@example.org")
    assert_problem(
        ApiClient(personas["handler"]).post(f"/invitations/{invitation.pk}/cancel"),
        403,
        "not_allowed",
    )
    response = as_manager.post(f"/invitations/{invitation.pk}/cancel")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "cancelled" and response.json()["id"] == invitation.pk
    invitation.refresh_from_db()
    assert invitation.state == "cancelled" and invitation.next_reminder_at is None
    assert AuditEvent.objects.filter(
        case_type="survey_invitation", case_id=invitation.pk, action="cancel"
    ).exists()
    body = assert_problem(
        as_manager.post(f"/invitations/{invitation.pk}/cancel"), 409, "invalid_transition"
    )
    assert "Cancelled" in body["detail"]
    assert_problem(as_manager.post("/invitations/999999/cancel"), 404, "not_found")


def _patch(api, path, body):
    import json

    return api.client.patch(
        f"/api/v1{path}",
        data=json.dumps(body),
        content_type="application/json",
        headers=api.headers(),
    )


def test_change_a_question_through_the_api(as_manager, manager, personas):
    survey = make_survey(manager, quiet_period_days=0)
    speed = survey.questions.get(code="speed")
    change = {
        "text": {"en": "How quick?", "sv": "Hur snabbt?"},
        "scale_max": 7,
        "point_labels": {"en": {"1": "Slow", "7": "Quick"}},
        "attribute": "speed",
        "weight": "2.5",
    }
    assert_problem(
        _patch(ApiClient(personas["auditor"]), f"/questions/{speed.pk}", change), 403, "not_allowed"
    )
    response = _patch(as_manager, f"/questions/{speed.pk}", change)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["text"] == {"en": "How quick?", "sv": "Hur snabbt?"} and body["scale_max"] == 7
    assert body["code"] == "speed" and body["scale_min"] == 1 and body["weight"] == "2.500"
    speed.refresh_from_db()
    assert speed.point_labels == {"en": {"1": "Slow", "7": "Quick"}}
    # the overall flag moves only when the other question gives it up
    body = assert_problem(
        _patch(as_manager, f"/questions/{speed.pk}", {"is_overall": True}), 422, "validation_failed"
    )
    assert "is_overall" in body["errors"]
    overall = survey.questions.get(code="overall")
    assert _patch(as_manager, f"/questions/{overall.pk}", {"is_overall": False}).status_code == 200
    assert _patch(as_manager, f"/questions/{speed.pk}", {"is_overall": True}).json()["is_overall"]
    contact = survey.questions.get(code="contact")
    body = assert_problem(
        _patch(
            as_manager,
            f"/questions/{contact.pk}",
            {"options": [{"code": "a", "label": {"en": "A"}}]},
        ),
        422,
        "validation_failed",
    )
    assert body["errors"]["options"] == ["Give at least two options."]
    assert_problem(
        _patch(as_manager, f"/questions/{speed.pk}", {"surprise": 1}), 422, "validation_failed"
    )
    assert_problem(_patch(as_manager, "/questions/999999", {"weight": 1}), 404, "not_found")
    # once the survey has responses the question is frozen: a new version is the way
    _answer(manager, survey, 1)
    body = assert_problem(
        _patch(as_manager, f"/questions/{speed.pk}", {"weight": 1}), 409, "conflict"
    )
    assert "create a new version" in body["detail"]
    speed.refresh_from_db()
    assert str(speed.weight) == "2.500"


def _contacts(manager, start, n, segment="retail"):
    rows = "".join(f"p{i}@example.org,P{i},et,{segment}\n" for i in range(start, start + n))
    services.contacts_import_csv(
        actor=Actor.staff(manager), data="email,name,language,segment\n" + rows
    )


def test_contact_list_keyset_pages_and_filters(as_manager, manager, personas):
    from plaint.surveys.models import Suppression

    _contacts(manager, 0, 5, "retail")
    _contacts(manager, 5, 3, "business")
    Suppression.objects.create(
        email="p1@example.org", created_at=Contact.objects.first().created_at
    )
    Suppression.objects.create(
        email="p6@example.org", created_at=Contact.objects.first().created_at
    )
    seen, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = ApiClient(personas["auditor"]).get("/contacts", params).json()
        seen += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 8 and len({c["id"] for c in seen}) == 8
    assert [c["id"] for c in seen] == sorted((c["id"] for c in seen), reverse=True)
    first = next(c for c in seen if c["email"] == "p1@example.org")
    assert first == {
        "id": first["id"],
        "email": "p1@example.org",
        "name": "P1",
        "language": "et",
        "segment": "retail",
        "created_at": first["created_at"],
        "opted_out": True,
    }

    def emails(**params):
        return sorted(c["email"] for c in as_manager.get("/contacts", params).json()["items"])

    assert emails(segment="business") == ["p5@example.org", "p6@example.org", "p7@example.org"]
    assert emails(opted_out="true") == ["p1@example.org", "p6@example.org"]
    assert emails(segment="retail", opted_out="false") == [
        "p0@example.org",
        "p2@example.org",
        "p3@example.org",
        "p4@example.org",
    ]
    assert emails(segment="nobody") == []
    assert_problem(as_manager.get("/contacts", {"cursor": "garbage"}), 422, "validation_failed")
    assert_problem(as_manager.get("/contacts", {"limit": 0}), 422, "validation_failed")
    assert_problem(ApiClient().get("/contacts"), 401, "unauthenticated")


def test_contact_list_queries_do_not_grow_with_the_page(
    as_manager, manager, django_assert_num_queries
):
    from plaint.surveys.models import Suppression

    _contacts(manager, 0, 2)
    as_manager.get("/contacts")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as small:
        assert len(as_manager.get("/contacts", {"limit": 200}).json()["items"]) == 2
    _contacts(manager, 2, 60)
    for i in range(0, 60, 3):
        Suppression.objects.create(
            email=f"p{i}@example.org", created_at=Contact.objects.first().created_at
        )
    with django_assert_num_queries(len(small)):
        body = as_manager.get("/contacts", {"limit": 200}).json()
    assert len(body["items"]) == 62 and sum(c["opted_out"] for c in body["items"]) == 20


def test_import_follow_up_is_an_explicit_option(as_manager, manager):
    from plaint.surveys.models import CallbackTask

    survey = make_survey(manager, followup="callback", followup_max_score=1)
    body = {"csv": "s\n1\n1\n4\n", "mapping": {"s": "question:overall"}}
    first = as_manager.post(f"/surveys/{survey.pk}/responses/import", body).json()
    assert (first["imported"], first["followed_up"]) == (3, 0)
    assert not CallbackTask.objects.exists()
    second = as_manager.post(
        f"/surveys/{survey.pk}/responses/import", {**body, "follow_up": True}
    ).json()
    assert (second["imported"], second["followed_up"]) == (3, 2)
    assert CallbackTask.objects.count() == 2


def test_response_import_reports_missing_values_and_skipped_answers(as_manager, manager):
    survey = make_survey(manager)
    body = as_manager.post(
        f"/surveys/{survey.pk}/responses/import",
        {
            "csv": "id,overall,speed\na,5,NA\nb,4,9\nc,3,x\n",
            "mapping": {
                "id": "external_id",
                "overall": "question:overall",
                "speed": "question:speed",
            },
            "missing_tokens": ["NA", "x"],
        },
    )
    assert body.status_code == 200, body.content
    report = body.json()
    assert (report["imported"], report["rejected"], report["missing_values"]) == (3, 0, 2)
    assert report["skipped_answers"] == [
        {"line": 3, "message": "speed: Choose a whole number from 1 to 5."}
    ]


def test_a_large_eight_bit_file_goes_in_through_an_upload_not_a_json_string(
    as_manager, manager, handler, settings
):
    survey = make_survey(manager)
    # 14,000 rows of ~180 bytes: over the 2 MiB request limit for forms/JSON
    # (DATA_UPLOAD_MAX_MEMORY_SIZE) with few enough rows that the import stays quick
    said = " ".join(["відповідь прийшла вчасно та дякуємо"] * 4)
    rows = "".join(
        f"r{i},{i % 5 + 1},Оцінка від клієнта номер {i}: {said}\n" for i in range(14_000)
    )
    data = ("id,score,comment\n" + rows).encode("cp1251")
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < len(data) < 5_000_000
    r = as_manager.post(
        f"/surveys/{survey.pk}/responses/uploads", raw=data, content_type="text/csv"
    )
    assert r.status_code == 201, r.content
    stored = r.json()
    assert (stored["encoding"], stored["guessed"], stored["rows"]) == ("cp1251", True, 14_000)
    assert stored["preview"][0] == ["r0", "1", f"Оцінка від клієнта номер 0: {said}"]
    mapping = {"id": "external_id", "score": "question:overall", "comment": "question:comment"}
    r = as_manager.post(
        f"/surveys/{survey.pk}/responses/import", {"upload": stored["upload"], "mapping": mapping}
    )
    assert r.status_code == 200 and r.json()["imported"] == 14_000
    # imported once: the stored file is gone
    r = as_manager.post(
        f"/surveys/{survey.pk}/responses/import", {"upload": stored["upload"], "mapping": mapping}
    )
    assert_problem(r, 404, "not_found")


def test_an_upload_over_the_limit_or_not_in_its_encoding_is_refused_clearly(
    as_manager, manager, handler, settings
):
    survey = make_survey(manager)
    settings.IMPORT_MAX_BYTES = 1000
    url = f"/surveys/{survey.pk}/responses/uploads"
    body = assert_problem(
        as_manager.post(url, raw=b"s\n" + b"5\n" * 600, content_type="text/csv"),
        413,
        "validation_failed",
    )
    assert "larger than 0.001 MB" in body["detail"]
    body = assert_problem(
        as_manager.post(
            url + "?encoding=utf-8", raw="s\nÅ\n".encode("cp1252"), content_type="text/csv"
        ),
        422,
        "validation_failed",
    )
    assert "not utf-8 text" in body["detail"]
    assert_problem(
        as_manager.post(url + "?encoding=klingon", raw=b"s\n5\n", content_type="text/csv"),
        422,
        "validation_failed",
    )
    assert_problem(
        ApiClient(handler).post(url, raw=b"s\n5\n", content_type="text/csv"), 403, "not_allowed"
    )
    assert_problem(
        as_manager.post(
            f"/surveys/{survey.pk}/responses/import",
            {"csv": "s\n5\n", "upload": "abc", "mapping": {"s": "question:overall"}},
        ),
        422,
        "validation_failed",
    )


def test_the_contact_list_flag_is_true_or_false_only(manager):
    response = ApiClient(manager).get("/contacts", {"opted_out": "yes"})
    body = assert_problem(response, 422, "validation_failed")
    assert body["errors"] == {"opted_out": ["Give true or false."]}


def test_response_import_recodes_and_reports_each_rule(as_manager, manager):
    survey = make_survey(manager)
    body = as_manager.post(
        f"/surveys/{survey.pk}/responses/import",
        {
            "csv": "id,overall,speed\na,5,0\nb,4,0\n",
            "mapping": {
                "id": "external_id",
                "overall": "question:overall",
                "speed": "question:speed",
            },
            "recode": {"speed": {"0": ""}},
        },
    ).json()
    assert body["imported"] == 2 and body["skipped_answers"] == []
    assert body["recoded"] == [{"column": "speed", "value": "0", "read_as": "", "count": 2}]
