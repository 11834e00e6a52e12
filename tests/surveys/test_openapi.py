"""Every surveys API operation answers what the OpenAPI document says, successes and problems."""

from __future__ import annotations

import json

import pytest

from plaint.core.actors import Actor
from plaint.surveys import services
from plaint.surveys.models import Contact
from tests.api_client import ApiClient
from tests.core.test_openapi import _operation, assert_matches_schema
from tests.surveys.factories import invite, make_survey


@pytest.fixture
def openapi(client):
    return client.get("/api/v1/openapi.json").json()


def test_surveys_operations_match_the_document(openapi, manager, auditor):
    api = ApiClient(manager)
    seen: set[tuple[str, str]] = set()

    def check(response) -> dict:
        seen.add(assert_matches_schema(openapi, response))
        return json.loads(response.content) if response.content else {}

    survey = make_survey(manager, quiet_period_days=0)
    check(api.get("/surveys"))
    check(ApiClient(None).get("/surveys"))  # 401
    new = check(api.post("/surveys", {"key": "x", "kind": "relationship", "title": {"en": "X"}}))
    check(api.post("/surveys", {"key": "x", "kind": "relationship", "title": {"en": "X"}}))  # 422
    check(
        ApiClient(auditor).post(
            "/surveys", {"key": "y", "kind": "relationship", "title": {"en": "Y"}}
        )
    )
    sid = new["id"]
    check(api.get(f"/surveys/{sid}"))
    check(api.get("/surveys/999999"))  # 404
    question = check(
        api.post(
            f"/surveys/{sid}/questions", {"kind": "rating", "code": "overall", "text": {"en": "?"}}
        )
    )
    check(api.post(f"/surveys/{sid}/questions", {"kind": "text", "code": "t", "text": {"en": "?"}}))
    check(api.get(f"/surveys/{sid}/questions"))
    patch = lambda path, body: api.client.patch(  # noqa: E731
        f"/api/v1{path}",
        data=json.dumps(body),
        content_type="application/json",
        headers=api.headers(),
    )
    check(patch(f"/questions/{question['id']}", {"scale_max": 7, "attribute": "speed"}))
    check(
        patch(f"/questions/{question['id']}", {"scale_max": 3, "point_labels": {"en": {"9": "x"}}})
    )  # 422
    answered = survey.questions.get(code="speed").pk
    check(
        api.client.patch(
            f"/api/v1/surveys/{sid}",
            data='{"delay_hours": 2}',
            content_type="application/json",
            headers=api.headers(),
        )
    )
    removed = api.request("DELETE", f"/questions/{question['id'] + 1}")
    method, path, operation = _operation(openapi, removed)  # 204: documented, no body
    assert removed.status_code == 204 and "204" in operation["responses"] and not removed.content
    seen.add((method, path))
    check(api.post(f"/surveys/{sid}/activate"))
    check(api.post(f"/surveys/{sid}/activate"))  # 409
    check(api.post(f"/surveys/{sid}/versions"))
    check(api.post(f"/surveys/{sid}/archive"))
    services.contacts_import_csv(actor=Actor.staff(manager), data="email\nc@example.org\n")
    check(api.post(f"/surveys/{survey.pk}/invitations", {"contact_id": Contact.objects.get().pk}))
    check(api.get(f"/surveys/{survey.pk}/invitations", {"limit": 1}))
    to_cancel, _token = invite(manager, survey, email="cancel@example.org")
    check(api.post(f"/invitations/{to_cancel.pk}/cancel"))
    check(api.post(f"/invitations/{to_cancel.pk}/cancel"))  # 409
    relationship = make_survey(manager, key="rel", kind="relationship", quiet_period_days=0)
    check(api.post(f"/surveys/{relationship.pk}/waves", {"segment": ""}))
    _inv, token = invite(manager, survey, email="r@example.org")
    response = services.response_save(
        token=token, answers={"overall": "4", "liked": ["tone"]}, submit=True
    )
    check(api.get(f"/surveys/{survey.pk}/responses", {"limit": 1}))
    check(api.get(f"/responses/{response.pk}"))
    check(patch(f"/questions/{answered}", {"weight": 2}))  # 409: the survey has responses
    check(
        api.post(
            f"/surveys/{survey.pk}/responses/import",
            {"csv": "s\n5\n9\n", "mapping": {"s": "question:overall"}},
        )
    )
    stored = check(
        api.post(
            f"/surveys/{survey.pk}/responses/uploads",
            raw="s\n5\n".encode("utf-16"),
            content_type="text/csv",
        )
    )
    check(
        api.post(
            f"/surveys/{survey.pk}/responses/import",
            {"upload": stored["upload"], "mapping": {"s": "question:overall"}},
        )
    )
    check(api.post("/contacts/import", {"csv": "email\nnew@example.org\nbad\n"}))
    check(api.get("/contacts", {"limit": 1, "opted_out": "false"}))
    check(api.get("/contacts", {"cursor": "garbage"}))  # 422

    operations = {
        (m, p)
        for p, ops in openapi["paths"].items()
        for m, op in ops.items()
        if "surveys" in op.get("tags", [])
    }
    assert operations <= seen, operations - seen
