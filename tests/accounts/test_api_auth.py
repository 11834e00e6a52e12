"""Bearer-token authentication of the API: who gets in, who gets a 401 problem."""

from __future__ import annotations

import pytest
from django.utils import timezone

from plaint.accounts.models import ApiToken
from plaint.accounts.services import api_token_create, api_token_revoke
from tests.api_client import ApiClient, assert_problem


@pytest.fixture
def handler_token(handler):
    return api_token_create(user=handler, name="integration")


def test_a_valid_token_authenticates_its_user_and_stamps_its_use(handler_token):
    token, secret = handler_token
    assert token.last_used_at is None
    response = ApiClient(None, secret=secret).get("/complaints")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert (timezone.now() - token.last_used_at).total_seconds() < 60


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Bearer plt_not-a-real-token",
        "Bearer not-even-our-prefix",
        "Bearer plt_" + "x" * 5000,
        "Basic aGFuczpwYXNzd29yZA==",
        "Token {secret}",
        "{secret}",
    ],
)
def test_missing_or_wrong_credentials_are_a_401_problem(handler_token, header):
    _, secret = handler_token
    client = ApiClient(None)
    headers = {} if header is None else {"Authorization": header.format(secret=secret)}
    response = client.get("/complaints", **headers)
    assert_problem(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_the_scheme_name_is_case_insensitive(handler_token):
    _, secret = handler_token
    response = ApiClient(None).get("/complaints", Authorization=f"bearer {secret}")
    assert response.status_code == 200


def test_a_revoked_token_is_refused(handler_token):
    token, secret = handler_token
    api_token_revoke(token=token)
    assert_problem(ApiClient(None, secret=secret).get("/complaints"), 401, "unauthenticated")


def test_the_token_of_a_deactivated_user_is_refused(handler, handler_token):
    _, secret = handler_token
    handler.is_active = False
    handler.save(update_fields=["is_active"])
    assert_problem(ApiClient(None, secret=secret).get("/complaints"), 401, "unauthenticated")


def test_only_the_digest_of_a_token_is_stored(handler_token):
    token, secret = handler_token
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in {stored.digest, stored.prefix, stored.name}
    assert stored.prefix == secret[:12]


def test_the_docs_and_schema_need_no_token(client):
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


def test_the_openapi_document_declares_bearer_auth_on_every_operation(client):
    doc = client.get("/api/v1/openapi.json").json()
    schemes = doc["components"]["securitySchemes"]
    assert any(s == {"type": "http", "scheme": "bearer"} for s in schemes.values())
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            assert operation.get("security"), f"{method.upper()} {path} has no security"
            assert "401" in operation["responses"], f"{method.upper()} {path} omits 401"
