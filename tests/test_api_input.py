"""What every API operation does before its handler runs, checked over all of them (src/plaint/
api.py builds the list): the role is checked before the input is validated, a body is JSON sent
as JSON, booleans in a body are JSON booleans, and any path or method no operation serves is a
problem+json 404 or 405."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from pydantic import BaseModel, ValidationError

from plaint.accounts.api_auth import BearerToken
from plaint.api import api
from tests.api_client import ApiClient, assert_problem

pytestmark = pytest.mark.django_db

ROLES = ["admin", "manager", "handler", "auditor"]


def operations() -> list[tuple[str, str, Any]]:
    """(method, path, operation) of every API operation, the path as the client sends it, with
    each path parameter set to 1."""
    found = []
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            url = re.sub(r"\{[^}]+\}", "1", (prefix.rstrip("/") + path))
            for operation in view.operations:
                for method in operation.methods:
                    found.append((method, url, operation))
    return found


OPERATIONS = operations()
WITH_BODY = [
    (m, u, op)
    for m, u, op in OPERATIONS
    if any(getattr(model, "__ninja_param_source__", "") == "body" for model in op.models)
]


def _id(value) -> str:
    return f"{value[0]} {value[1]}"


def test_the_lists_cover_the_api():
    assert len(OPERATIONS) > 50 and len(WITH_BODY) > 25


# --- authorisation before validation ---------------------------------------------------------------


@pytest.mark.parametrize("entry", OPERATIONS, ids=_id)
def test_every_operation_names_the_role_it_needs_in_its_auth(entry):
    _method, _url, operation = entry
    [auth] = operation.auth_callbacks
    assert isinstance(auth, BearerToken) and auth.check is not None and auth.what


@pytest.mark.parametrize("entry", OPERATIONS, ids=_id)
def test_a_role_that_may_not_learns_nothing_of_the_fields(entry, personas):
    """A refused role gets the same 403 for a nonsense request as for a good one: the input is
    not validated (nor looked up) for it."""
    method, url, operation = entry
    check = operation.auth_callbacks[0].check
    refused = [role for role in ROLES if not check(personas[role])]
    if not refused:
        pytest.skip("every staff role may")
    client = ApiClient(personas[refused[0]])
    path = url[len("/") :].replace("/1", "/not-a-number")
    kwargs: dict[str, Any] = {"headers": client.headers()}
    if method in {"POST", "PUT", "PATCH"}:
        kwargs |= {"data": b'{"no_such_field": "yes"', "content_type": "application/json"}
    response = getattr(client.client, method.lower())(
        f"/api/v1/{path}?no_such_parameter=%00", **kwargs
    )
    body = assert_problem(response, 403, "not_allowed")
    assert body["errors"] == {}


def test_a_handler_cannot_learn_a_manager_operations_fields(handler):
    """The case from the field: POST /promise-codes with an empty body told a handler the
    fields it needs (422) instead of that it may not (403)."""
    body = assert_problem(ApiClient(handler).post("/promise-codes", {}), 403, "not_allowed")
    assert body["errors"] == {}
    assert body["detail"] == "Your role may not write codes of conduct."


# --- JSON only with application/json ---------------------------------------------------------------


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
@pytest.mark.parametrize("entry", WITH_BODY, ids=_id)
def test_a_body_that_is_not_sent_as_json_is_a_415(entry, admin_user, content_type):
    method, url, _operation = entry
    client = ApiClient(admin_user)
    response = getattr(client.client, method.lower())(
        f"/api/v1{url}", data=b"{}", content_type=content_type, headers=client.headers()
    )
    body = assert_problem(response, 415, "unsupported_media_type")
    assert body["detail"] == "Send the request body as JSON with Content-Type: application/json."
    assert response["Accept"] == "application/json"


def test_json_with_a_charset_or_a_json_suffix_is_read(admin_user):
    client = ApiClient(admin_user)
    for n, content_type in enumerate(("application/json; charset=utf-8", "application/ld+json")):
        body = {"title": {"en": f"Our code {n}"}}
        response = client.post("/promise-codes", body, content_type=content_type)
        assert response.status_code == 201, (content_type, response.content)


def test_the_415_is_in_the_callers_language(admin_user):
    client = ApiClient(admin_user)
    response = client.post(
        "/promise-codes", raw="{}", content_type="text/plain", **{"Accept-Language": "fa"}
    )
    body = assert_problem(response, 415, "unsupported_media_type")
    assert (
        body["detail"] == "بدنهٔ درخواست را به صورت JSON با Content-Type: application/json بفرستید."
    )


# --- strict booleans in every body -----------------------------------------------------------------


def _models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _models(arg)]


def _body_schemas() -> list[type[BaseModel]]:
    seen: dict[str, type[BaseModel]] = {}
    todo = [
        schema
        for _m, _u, op in WITH_BODY
        for model in op.models
        if model.__ninja_param_source__ == "body"
        for field in model.model_fields.values()
        for schema in _models(field.annotation)
    ]
    while todo:
        schema = todo.pop()
        if schema.__qualname__ not in seen:
            seen[schema.__qualname__] = schema
            todo += [m for f in schema.model_fields.values() for m in _models(f.annotation)]
    return list(seen.values())


def _flags(schema: type[BaseModel]) -> list[str]:
    def is_flag(prop: dict) -> bool:
        return prop.get("type") == "boolean" or any(
            p.get("type") == "boolean" for p in prop.get("anyOf", [])
        )

    properties = schema.model_json_schema()["properties"]
    return [name for name, prop in properties.items() if is_flag(prop)]


BODY_FLAGS = [(s, f) for s in _body_schemas() for f in _flags(s)]


def test_the_flag_list_covers_the_bodies():
    names = {f"{s.__name__}.{f}" for s, f in BODY_FLAGS}
    assert {"ComplaintIn.consent", "MessageIn.internal", "PromiseIn.measured_only"} <= names


@pytest.mark.parametrize("value", ["yes", "true", 1, 0, "on"])
@pytest.mark.parametrize(("schema", "flag"), BODY_FLAGS, ids=lambda v: getattr(v, "__name__", v))
def test_every_boolean_in_a_body_takes_only_true_or_false(schema, flag, value):
    with pytest.raises(ValidationError) as refused:
        schema.model_validate({flag: value})
    kinds = {e["type"] for e in refused.value.errors() if e["loc"] == (flag,)}
    assert kinds == {"bool_type"}


# --- unknown paths and methods ---------------------------------------------------------------------

METHODS = ["get", "post", "put", "patch", "delete", "options"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/v1/complaints/x/y/z", "/api/v1/"])
def test_an_unknown_api_path_is_a_problem_404_for_every_method(admin_user, method, path):
    # A browser-like client that enforces CSRF: a POST used to get Django's HTML CSRF page.
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    body_kwargs = {"data": b"{}", "content_type": "application/json"} if method != "get" else {}
    response = getattr(client, method)(path, **body_kwargs)
    body = assert_problem(response, 404, "not_found")
    assert body["detail"] == "No such API endpoint."


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_an_unserved_method_on_a_known_path_is_a_problem_405(admin_user, method):
    client = ApiClient(admin_user)
    response = getattr(client.client, method)("/api/v1/complaints", headers=client.headers())
    assert_problem(response, 405, "error")
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_the_415_is_documented_on_every_operation_with_a_body(client):
    document = client.get("/api/v1/openapi.json").json()
    with_body = [
        (path, method, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    ]
    assert len(with_body) == len(WITH_BODY)
    # a form with files (multipart/form-data) is read by Django, not the JSON parser: no 415
    forms = [
        operation
        for methods in document["paths"].values()
        for operation in methods.values()
        if "multipart/form-data" in operation.get("requestBody", {}).get("content", {})
    ]
    assert forms and all("415" not in operation["responses"] for operation in forms)
    for path, method, operation in with_body:
        content = operation["responses"]["415"]["content"]
        assert content["application/problem+json"]["schema"] == {
            "$ref": "#/components/schemas/Problem"
        }, (method, path)
    assert "Problem" in document["components"]["schemas"]


def test_the_unknown_path_problem_is_in_the_callers_language():
    response = Client().post("/api/v1/no-such-thing", headers={"Accept-Language": "uk"})
    body = assert_problem(response, 404, "not_found")
    assert body["detail"] == "Такої кінцевої точки API немає."


def test_a_value_against_a_schema_pattern_is_told_what_to_give_in_the_callers_language(
    admin_user,
):
    """Not pydantic's "does not match the expected form": each pattern names what it wants
    (``core.bounds.matching``)."""
    api = ApiClient(admin_user)

    def errors(path: str, params: dict, language: str) -> dict:
        response = api.get(path, params, **{"Accept-Language": language})
        return assert_problem(response, 422, "validation_failed")["errors"]

    assert errors("/insights/measures", {"survey": "handling", "start": "2026-3"}, "et") == {
        "start": ["Märkige kuu kujul 2026-03."]
    }
    assert errors("/complaints", {"assignee": "someone"}, "sv") == {
        "assignee": ["Använd ett användar-id, me eller none."]
    }
    # a choice among fixed values lists the values alone, without English between them
    assert errors("/complaints", {"sort": "random"}, "uk") == {
        "sort": ["Виберіть одне з: newest, oldest, due."]
    }


def test_a_count_or_a_kind_of_value_is_explained_in_the_callers_language(admin_user):
    """Pydantic's own English ("List should have at least 1 item after validation, not 0",
    "Input should be a valid list") is not what a caller reads."""
    api = ApiClient(admin_user)

    def errors(body: dict, language: str) -> dict:
        response = api.post("/webhooks", body, **{"Accept-Language": language})
        return assert_problem(response, 422, "validation_failed")["errors"]

    hook = {"name": "ERP", "url": "https://erp.example.org/hook"}
    assert errors({**hook, "events": []}, "en")["events"] == ["Give at least 1 item."]
    assert errors({**hook, "events": []}, "uk")["events"] == ["Вкажіть щонайменше 1 елемент."]
    assert errors({**hook, "events": "complaint.received"}, "sv")["events"] == ["Ange en lista."]
    # a text over its bound is counted in characters, in the caller's language
    assert errors({**hook, "name": "x" * 5000, "events": ["x"]}, "et")["name"][0].startswith(
        "Märkige kõige rohkem"
    )
