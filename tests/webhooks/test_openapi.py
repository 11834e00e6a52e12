"""Every webhooks API operation, and the register export's problems, answer what the OpenAPI
document says."""

from __future__ import annotations

import json

import pytest

from tests.api_client import ApiClient
from tests.core.test_openapi import assert_matches_schema
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def openapi(client):
    return client.get("/api/v1/openapi.json").json()


def test_webhooks_operations_match_the_document(openapi, manager, handler):
    api = ApiClient(manager)
    seen: set[tuple[str, str]] = set()

    def check(response) -> dict:
        seen.add(assert_matches_schema(openapi, response))
        return json.loads(response.content) if response.content else {}

    new = {"name": "CRM", "url": "https://crm.example.org/in", "events": ["complaint.created"]}
    created = check(api.post("/webhooks", new))
    check(api.post("/webhooks", {**new, "url": "ftp://x"}))  # 422
    check(ApiClient(handler).post("/webhooks", new))  # 403
    make_complaint()
    path = f"/api/v1/webhooks/{created['id']}"
    check(api.get("/webhooks"))
    check(api.get(f"/webhooks/{created['id']}"))
    check(api.get("/webhooks/999999"))  # 404
    check(
        api.client.patch(
            path, data={"name": "CRM 2"}, content_type="application/json", headers=api.headers()
        )
    )
    check(api.post(f"/webhooks/{created['id']}/rotate-secret"))
    deleted = api.client.delete(path, headers=api.headers())
    assert deleted.status_code == 204

    operations = {
        (m, p)
        for p, ops in openapi["paths"].items()
        for m, op in ops.items()
        if "webhooks" in op.get("tags", [])
    }
    assert operations - {("delete", "/api/v1/webhooks/{webhook_id}")} <= seen


def test_the_exports_problems_match_the_document(openapi, handler):
    api = ApiClient(handler)

    assert_matches_schema(openapi, api.get("/complaints/export", {"format": "pdf"}))  # 422
    assert_matches_schema(openapi, api.get("/complaints/export", {"include_personal": "1"}))
    assert_matches_schema(openapi, ApiClient(None).get("/complaints/export"))  # 401
