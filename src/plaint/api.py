"""The REST API root (/api/v1): each app adds its router here.

Every response that is not a success is ``application/problem+json`` (see ``core/problem.py``),
including unknown paths and methods, which Django would otherwise answer with HTML.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from django.http import HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI

from plaint.complaints.api import router as complaints_router
from plaint.complaints.api_exports import router as exports_router
from plaint.complaints.api_imports import router as imports_router
from plaint.complaints.api_reads import router as reads_router
from plaint.core.problem import CONTENT_TYPE as PROBLEM_CONTENT_TYPE
from plaint.core.problem import (
    JsonOnlyParser,
    install_problem_handlers,
    method_not_allowed,
    not_found_view,
)
from plaint.disputes.api import router as disputes_router
from plaint.disputes.api_cases import router as dispute_cases_router
from plaint.disputes.api_import import router as dispute_import_router
from plaint.disputes.api_more import router as dispute_more_router
from plaint.improvement.api import router as improvement_router
from plaint.improvement.api_audit import router as audit_router
from plaint.improvement.api_policy import router as policy_router
from plaint.improvement.api_returns import router as returns_router
from plaint.improvement.api_review import router as review_router
from plaint.insights.api import router as insights_router
from plaint.organisation.api import router as organisation_router
from plaint.privacy.api import router as privacy_router
from plaint.promises.api import router as promises_router
from plaint.surveys.api import router as surveys_router
from plaint.webhooks.api import router as webhooks_router


def _problem_on_405(view):
    @functools.wraps(view)  # keeps csrf_exempt and the other flags Ninja sets on its views
    def wrapper(request, *args: Any, **kwargs: Any):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            return method_not_allowed(response)
        return response

    return wrapper


_UNSUPPORTED_MEDIA_TYPE = {
    "description": "Unsupported Media Type: send the body as application/json",
    "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


_NOT_JSON = {
    "description": "Bad Request: the body is not valid JSON",
    "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


_UNPROCESSABLE = {
    "description": "Unprocessable Entity: the input does not match the operation's schema",
    "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


class PlaintAPI(NinjaAPI):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._schemas: dict[str, dict[str, Any]] = {}  # the OpenAPI document, by path prefix

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                if pattern.name == "api-root":  # Ninja's raises Django's HTML 404 (or redirects)
                    pattern.callback = not_found_view
                else:
                    pattern.callback = _problem_on_405(pattern.callback)
        # Last: any other path under /api/v1/ is a problem+json 404, not Django's HTML page.
        urls.append(re_path(r"^.*$", not_found_view, name="not-found"))
        return urls

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        # The document follows from the code alone, so it is built once per process and prefix:
        # building it takes ~0.7 s of CPU (170 operations, ~440 KB), which /api/v1/docs and every
        # client that reads /api/v1/openapi.json would otherwise pay on each request. Callers get
        # a copy, so none can change what the next one reads.
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        if path_prefix not in self._schemas:
            self._schemas[path_prefix] = self._build_openapi_schema(path_prefix)
        return copy.deepcopy(self._schemas[path_prefix])

    def _build_openapi_schema(self, path_prefix: str) -> dict[str, Any]:
        schema = super().get_openapi_schema(path_prefix=path_prefix)
        # Document error bodies under the media type they are sent with.
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                # one key per status: Ninja's own are ints, the ones added below are text, and
                # JSON would carry both as "400" (a duplicated key Swagger UI refuses)
                operation["responses"] = {str(k): v for k, v in operation["responses"].items()}
                body = operation.get("requestBody", {}).get("content", {})
                if "application/json" in body:  # JsonOnlyParser: any other media type is a 415
                    operation["responses"].setdefault("415", _UNSUPPORTED_MEDIA_TYPE)
                    operation["responses"].setdefault("400", _NOT_JSON)  # a body JSON can't read
                if "requestBody" in operation or operation.get("parameters"):
                    # input that does not match the schema (a path id that is not a number …)
                    operation["responses"].setdefault("422", _UNPROCESSABLE)
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        return schema


api = PlaintAPI(
    title="Plaint API",
    version="1",
    urls_namespace="api",
    parser=JsonOnlyParser(),
    description=(
        "Complaints handling (ISO 10002) for staff and integrations. Authenticate with "
        "`Authorization: Bearer <token>`. Errors are `application/problem+json` with a stable "
        "`code`. Request bodies are JSON, sent with `Content-Type: application/json` (anything "
        "else is a 415); booleans in them are `true` or `false`, dates and times are text "
        "(dates from 2000-01-01, times with a time zone). `POST /complaints` honours an "
        "`Idempotency-Key` header."
    ),
)
install_problem_handlers(api)
api.add_router("/", exports_router)  # first: "/complaints/export" is not a reference
api.add_router("/", imports_router)  # nor "/complaints/imports"
api.add_router("/", complaints_router)
api.add_router("/", reads_router)
api.add_router("/", promises_router)
api.add_router("/", surveys_router)
api.add_router("/", insights_router)
api.add_router("/", webhooks_router)
api.add_router("/", privacy_router)
api.add_router("/", improvement_router)
api.add_router("/", audit_router)
api.add_router("/", returns_router)
api.add_router("/", disputes_router)
api.add_router("/", dispute_import_router)  # before the cases: "/disputes/imports" is no id
api.add_router("/", dispute_cases_router)  # after the register: "/disputes/providers" is no id
api.add_router("/", dispute_more_router)  # the policy, legal referrals, the neutral's assignment
api.add_router("/", review_router)
api.add_router("/", policy_router)
api.add_router("/", organisation_router)
