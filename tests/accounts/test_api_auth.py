"""Bearer-token authentication of the API: who gets in, who gets a 401 problem."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plaint.accounts.models import ApiToken, LoginThrottle
from plaint.accounts.services import (
    TOKEN_CACHE_SECONDS,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)
from plaint.core.actors import Actor
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
    api_token_revoke(token_id=token.pk, actor=Actor.system())
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


def _token_queries(secret: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert ApiClient(None, secret=secret).get("/complaints").status_code == 200
    return sum("accounts_apitoken" in q["sql"] for q in queries.captured_queries)


def test_a_token_lookup_is_remembered_for_a_few_seconds(handler_token):
    _, secret = handler_token
    assert _token_queries(secret) == 2  # the lookup, and the first use's stamp
    assert _token_queries(secret) == 0
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=TOKEN_CACHE_SECONDS + 1)):
        assert _token_queries(secret) == 1


def test_without_the_cache_every_request_looks_the_token_up(handler_token, settings):
    settings.API_TOKEN_CACHE_SECONDS = 0
    _, secret = handler_token
    _token_queries(secret)
    assert _token_queries(secret) == 1


def test_revoking_through_the_service_takes_effect_at_once_in_this_process(handler_token):
    token, secret = handler_token
    assert ApiClient(None, secret=secret).get("/complaints").status_code == 200
    api_token_revoke(token_id=token.pk, actor=Actor.system())
    assert_problem(ApiClient(None, secret=secret).get("/complaints"), 401, "unauthenticated")


def test_a_revocation_by_another_process_takes_effect_within_the_cache_window(
    handler, handler_token
):
    token, secret = handler_token
    assert ApiClient(None, secret=secret).get("/complaints").status_code == 200
    # as another process would: this process's memory of the token is not told
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert ApiClient(None, secret=secret).get("/complaints").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=TOKEN_CACHE_SECONDS + 0.5)):
        assert_problem(ApiClient(None, secret=secret).get("/complaints"), 401, "unauthenticated")


def test_the_remembered_user_is_a_copy_per_request(handler_token):
    _, secret = handler_token
    first = api_token_authenticate(secret=secret)
    first.role = "admin"  # a request changing its user object changes no other request's
    second = api_token_authenticate(secret=secret)
    assert second is not first and second.role == "handler"


def _get(secret: str, address: str):
    return ApiClient(None, secret=secret).client.get(
        "/api/v1/complaints", headers={"Authorization": f"Bearer {secret}"}, REMOTE_ADDR=address
    )


def test_an_address_sending_bad_tokens_is_locked_out_even_with_a_good_one(
    settings, handler, handler_token
):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 3
    settings.API_TOKEN_CACHE_SECONDS = 0
    _, secret = handler_token
    for guess in ("plt_guess-1", "plt_guess-2", "not-even-ours"):
        assert_problem(_get(guess, "198.51.100.20"), 401, "unauthenticated")
    locked = _get("plt_guess-4", "198.51.100.20")
    assert_problem(locked, 429, "rate_limited")
    assert "unknown API tokens from your address" in locked.json()["detail"]
    assert 15 * 60 - 10 <= int(locked["Retry-After"]) <= 15 * 60
    # a locked address learns nothing: a valid token it never used is refused unseen
    assert _get(secret, "198.51.100.20").status_code == 429
    assert _get(secret, "198.51.100.21").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        assert _get(secret, "198.51.100.20").status_code == 200
    # the sign-in page's count of that address is a separate one
    assert not LoginThrottle.objects.filter(scope="address", key="198.51.100.20").exists()


def test_a_remembered_good_token_costs_no_throttle_query(handler_token):
    _, secret = handler_token
    _get(secret, "198.51.100.30")
    with CaptureQueriesContext(connection) as queries:
        assert _get(secret, "198.51.100.30").status_code == 200
    assert not any("accounts_loginthrottle" in q["sql"] for q in queries.captured_queries)
