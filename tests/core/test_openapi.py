"""The generated OpenAPI document: served locally, complete, and true to the actual responses."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plaint.complaints.services import message_post
from plaint.complaints.states import Step
from plaint.core.actors import Actor
from plaint.core.uploads import check_uploads
from tests.api_client import ApiClient
from tests.factories import advance, make_complaint, office_today


@pytest.fixture
def openapi(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operation(doc: dict, response) -> tuple[str, str, dict]:
    route = response.resolver_match.route  # e.g. "api/v1/complaints/<reference>"
    path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    method = response.request["REQUEST_METHOD"].lower()
    assert path in doc["paths"], f"{path} is not documented"
    assert method in doc["paths"][path], f"{method.upper()} {path} is not documented"
    return method, path, doc["paths"][path][method]


def assert_matches_schema(doc: dict, response) -> tuple[str, str]:
    """The response's status, media type and body are what the document says for its operation."""
    method, path, operation = _operation(doc, response)
    status = str(response.status_code)
    assert status in operation["responses"], (
        f"{method.upper()} {path} answered {status}, documented: {sorted(operation['responses'])}"
    )
    content = operation["responses"][status]["content"]
    media_type = response["Content-Type"].split(";")[0]
    if "*/*" in content:  # a file as it was uploaded: any type, its bytes
        assert content["*/*"]["schema"] == {"type": "string", "format": "binary"}
        return method, path
    assert media_type in content, (media_type, list(content))
    schema = {"components": doc["components"], **content[media_type]["schema"]}
    jsonschema.Draft202012Validator(schema).validate(json.loads(response.content))
    return method, path


def test_every_operation_is_documented_with_its_own_input_schema(openapi):
    paths = openapi["paths"]
    assert set(paths["/api/v1/complaints"]) == {"get", "post"}
    for step in Step.values:
        assert "post" in paths[f"/api/v1/complaints/{{reference}}/steps/{step}"], step
    assess = paths["/api/v1/complaints/{reference}/steps/assess"]["post"]
    ref = assess["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assess_schema = openapi["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert "severity" in assess_schema["required"]
    assert assess_schema["additionalProperties"] is False
    headers = [p["name"] for p in paths["/api/v1/complaints"]["post"].get("parameters", [])]
    assert "Idempotency-Key" in headers
    operation_ids = [op["operationId"] for ops in paths.values() for op in ops.values()]
    assert len(operation_ids) == len(set(operation_ids))


def test_error_responses_are_documented_as_problem_json(openapi):
    for operations in openapi["paths"].values():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert list(response["content"]) == ["application/problem+json"]


def test_actual_responses_match_the_document(openapi, handler, auditor):
    api = ApiClient(handler)
    seen: set[tuple[str, str]] = set()

    def check(response) -> dict:
        seen.add(assert_matches_schema(openapi, response))
        return json.loads(response.content)

    new = {
        "name": "Mari Maasikas",
        "email": "mari@example.org",
        "description": "Late parcel.",
        "consent": True,
    }
    created = check(api.post("/complaints", new, **{"Idempotency-Key": "k1"}))
    check(api.post("/complaints", new, **{"Idempotency-Key": "k1"}))  # 200 replay
    check(api.post("/complaints", {**new, "subject": "x"}, **{"Idempotency-Key": "k1"}))  # 422
    check(api.post("/complaints", raw="{oops"))  # 400
    check(ApiClient(None).post("/complaints", new))  # 401
    check(ApiClient(auditor).post("/complaints", new))  # 403
    ref = created["reference"]
    check(api.get("/complaints", {"limit": 1}))
    check(api.get("/complaints", {"cursor": "garbage"}))  # 422
    check(api.get(f"/complaints/{ref}"))
    check(api.get("/complaints/C-1999-000000"))  # 404
    check(api.post(f"/complaints/{ref}/messages", {"body": "Note", "internal": True}))
    files = check_uploads([SimpleUploadedFile("receipt.txt", b"paid", content_type="text/plain")])
    message_post(complaint_id=created["id"], actor=Actor.staff(handler), body="The receipt.",
                 internal=False, attachments=files)  # fmt: skip
    [receipt] = check(api.get(f"/complaints/{ref}"))["attachments"]
    seen.add(
        assert_matches_schema(openapi, api.get(f"/complaints/{ref}/attachments/{receipt['id']}"))
    )
    check(api.get(f"/complaints/{ref}/attachments/999999"))  # 404
    with_files = f"/api/v1/complaints/{ref}/messages/with-files"
    invoice = SimpleUploadedFile("invoice.txt", b"129.00 EUR", content_type="text/plain")
    sent = {"body": "The invoice.", "internal": "true", "files": [invoice]}
    check(api.client.post(with_files, sent, headers=api.headers()))  # 201, multipart
    check(api.client.post(with_files, {"body": "No file."}, headers=api.headers()))  # 422
    check(api.post(f"/complaints/{ref}/assign", {"assignee_id": handler.pk}))

    phone = make_complaint(channel="phone", actor=Actor.staff(handler))[0]
    check(api.post(f"/complaints/{phone.reference}/steps/acknowledge", {}))
    check(api.post(f"/complaints/{ref}/steps/communicate_decision", {}))  # 409 invalid
    check(api.post(f"/complaints/{ref}/steps/assess", {"severity": "low", "expected_version": 99}))
    check(api.post(f"/complaints/{ref}/steps/assess", {"severity": "low"}))
    check(api.post(f"/complaints/{ref}/steps/request_information", {"reason": "Order number?"}))
    check(api.post(f"/complaints/{ref}/steps/resume", {}))
    check(api.post(f"/complaints/{ref}/steps/start_investigation", {}))
    check(api.post(f"/complaints/{ref}/steps/record_findings", {"findings": "Lost."}))
    check(
        api.post(
            f"/complaints/{ref}/steps/propose_response",
            {
                "decision": "Refund.",
                "remedies": [{"kind": "refund", "amount": 5, "currency": "EUR"}],
            },
        )
    )
    check(api.post(f"/complaints/{ref}/steps/communicate_decision", {}))
    check(api.post(f"/complaints/{ref}/steps/accept_decision", {"comment": "Fine"}))
    check(api.post(f"/complaints/{ref}/steps/record_remedy_delivered", {}))
    check(api.post(f"/complaints/{ref}/steps/close", {"reason": "accepted"}))
    check(api.post(f"/complaints/{ref}/steps/reopen", {"reason": "Wrote again."}))
    for name, state, body in [
        ("reject_out_of_scope", "acknowledged", {"reason": "Not ours."}),
        ("withdraw", "acknowledged", {}),
        ("decline_decision", "decision_communicated", {"reason": "No."}),
        ("refer_external", "decision_communicated", {"note": "ADR"}),
    ]:
        other = advance(make_complaint()[0], state, by=handler)
        check(api.post(f"/complaints/{other.reference}/steps/{name}", body))
    # "other" is now referred to external dispute resolution: record how the dispute ended.
    outcome = {
        "provider": "Consumer Disputes Committee",
        "outcome": "settled",
        "closed_on": office_today().isoformat(),
        "binding": True,
    }
    check(api.post(f"/complaints/{other.reference}/steps/record_dispute_outcome", outcome))

    # Every complaints operation was exercised here; each other app checks its own the same way.
    complaints_operations = {
        (m, p)
        for p, ops in openapi["paths"].items()
        for m, op in ops.items()
        if "complaints" in op.get("tags", [])
    }
    assert complaints_operations <= seen, complaints_operations - seen


def test_docs_are_served_locally_without_a_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    sources = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert sources, html
    for source in sources:
        assert source.startswith("/"), f"{source} is not served by Plaint itself"
    for cdn in ("cdn.", "jsdelivr", "unpkg", "cdnjs", "http://", "https://"):
        assert cdn not in html
    for asset in [s for s in sources if s.startswith("/static/")]:
        served = client.get(asset)
        assert served.status_code == 200, asset


def test_the_document_is_built_once_and_each_reader_gets_its_own_copy(client):
    from plaint.api import api

    first = api.get_openapi_schema(path_prefix="/api/v1/")
    first["paths"].clear()  # a caller that changes what it got …
    first["info"]["title"] = "changed"
    second = api.get_openapi_schema(path_prefix="/api/v1/")
    assert second["paths"] and second["info"]["title"] == "Plaint API"  # … changes no one else's
    assert second is not api.get_openapi_schema(path_prefix="/api/v1/")
    served = client.get("/api/v1/openapi.json").json()
    assert served["info"]["title"] == "Plaint API"
    assert sorted(served["paths"]) == sorted(second["paths"])
