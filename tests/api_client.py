"""A thin JSON client for /api/v1 tests: one bearer token per persona, problem+json aware."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from plaint.accounts.services import api_token_create

PROBLEM = "application/problem+json"


class ApiClient:
    def __init__(self, user=None, *, secret: str | None = None) -> None:
        self.client = Client()
        self.user = user
        if secret is None and user is not None:
            _, secret = api_token_create(user=user, name=f"test token of {user.username}")
        self.secret = secret

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = dict(extra or {})
        if self.secret is not None:
            headers.setdefault("Authorization", f"Bearer {self.secret}")
        return headers

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str):
        return self.client.get(f"/api/v1{path}", params or {}, headers=self.headers(headers))

    def post(self, path: str, body: Any = None, *, raw: bytes | str | None = None, **headers: str):
        data = raw if raw is not None else ("" if body is None else json.dumps(body))
        return self.client.post(
            f"/api/v1{path}",
            data=data,
            content_type=headers.pop("content_type", "application/json"),
            headers=self.headers(headers),
        )

    def request(self, method: str, path: str, **headers: str):
        return getattr(self.client, method.lower())(f"/api/v1{path}", headers=self.headers(headers))


def assert_problem(response, status: int, code: str) -> dict[str, Any]:
    """The response is a problem+json document with this status and code; returns its body."""
    from plaint.core.errors import ERROR_CODES

    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith(PROBLEM), response["Content-Type"]
    body = json.loads(response.content)
    assert body["status"] == status
    assert body["code"] == code, body
    assert body["code"] in ERROR_CODES
    assert set(body) == {"type", "title", "status", "detail", "code", "errors"}
    assert isinstance(body["errors"], dict)
    assert all(isinstance(v, list) for v in body["errors"].values())
    return body
