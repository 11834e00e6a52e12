"""The API's one error shape: RFC 9457 ``application/problem+json`` with a stable ``code``.

Every error an API operation can meet — a service's ``PlaintError``, a request that does not match
its schema, a body that is not JSON, a missing token, an unknown path or method — is mapped here,
once, to ``{type, title, status, detail, code, errors: {field: [messages]}}``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from plaint.core.bounds import PATTERN_MESSAGES
from plaint.core.errors import ERROR_CODES, PlaintError

if TYPE_CHECKING:
    from ninja import NinjaAPI

log = logging.getLogger(__name__)

CONTENT_TYPE = "application/problem+json"

# The code an HTTP status gets when nothing more specific is known.
_CODE_FOR_STATUS = {
    400: "validation_failed",
    401: "unauthenticated",
    403: "not_allowed",
    404: "not_found",
    409: "conflict",
    413: "validation_failed",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
}


class Problem(Schema):
    """The body of every error response."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: dict[str, list[str]] = {}


def _status_title(status: int) -> str:
    """The status's standard phrase ("Unprocessable Entity") in the request's language: a
    problem's ``title``, and its ``detail`` when it has none of its own."""
    titles = {
        400: _("Bad Request"),
        401: _("Unauthorized"),
        403: _("Forbidden"),
        404: _("Not Found"),
        405: _("Method Not Allowed"),
        409: _("Conflict"),
        413: _("Request Entity Too Large"),
        415: _("Unsupported Media Type"),
        422: _("Unprocessable Entity"),
        429: _("Too Many Requests"),
        500: _("Internal Server Error"),
        503: _("Service Unavailable"),
    }
    if status in titles:
        return titles[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem_type(code: str) -> str:
    return f"urn:plaint:problem:{code}"


def problem_response(
    *,
    status: int,
    code: str | None = None,
    detail: str = "",
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    code = code or _CODE_FOR_STATUS.get(status, "error")
    if code not in ERROR_CODES:  # a new code must be added to core.errors first
        log.error("problem code %r is not in ERROR_CODES", code)
        code = "error"
    title = _status_title(status)
    body = {
        "type": problem_type(code),
        "title": title,
        "status": status,
        "detail": detail or title,
        "code": code,
        "errors": {str(k): [str(m) for m in v] for k, v in (errors or {}).items()},
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field_key(loc: tuple[Any, ...] | list[Any]) -> str:
    """``("body", "payload", "remedies", 0, "amount")`` → ``"remedies.0.amount"``.

    Operations name their body parameter ``payload`` and their query schema ``query``.
    """
    parts = list(loc)
    if parts and parts[0] in {"body", "query", "path", "header", "form", "file", "cookie"}:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in {"payload", "query"}:  # the parameter's own name
        parts = parts[1:]
    return ".".join(str(p) for p in parts) or "body"


def _messages() -> dict[str, str]:
    """Pydantic's commonest error types in the request's language; others keep pydantic's
    English message. ``%(x)s`` takes the error's context value ``x``."""
    return {
        "missing": _("This field is required."),
        "extra_forbidden": _("Unknown field."),
        "bool_type": _("Give true or false."),
        "bool_parsing": _("Give true or false."),
        "int_parsing": _("Give a whole number."),
        "int_type": _("Give a whole number."),
        "float_parsing": _("Give a number."),
        "float_type": _("Give a number."),
        "finite_number": _("Give a number."),
        "string_type": _("Give a text."),
        "string_too_long": _("Give at most %(max_length)s characters."),
        "greater_than": _("Give a value greater than %(gt)s."),
        "greater_than_equal": _("Give a value of at least %(ge)s."),
        "less_than": _("Give a value less than %(lt)s."),
        "less_than_equal": _("Give a value of at most %(le)s."),
        "literal_error": _("Choose one of: %(expected)s."),
        "enum": _("Choose one of: %(expected)s."),
        "string_pattern_mismatch": _("The value does not have the expected form."),
        "date_from_datetime_parsing": _("Give a date like 2026-03-01."),
        "date_parsing": _("Give a date like 2026-03-01."),
        "datetime_from_date_parsing": _("Give a time like 2026-03-01T09:30:00+02:00."),
        "datetime_parsing": _("Give a time like 2026-03-01T09:30:00+02:00."),
        "timezone_aware": _("Give the time with its time zone, e.g. +02:00 or Z."),
        "int_from_float": _("Give a whole number."),
        "decimal_type": _("Give a number."),
        "decimal_parsing": _("Give a number."),
        "date_type": _("Give a date like 2026-03-01."),
        "date_from_datetime_inexact": _("Give a date like 2026-03-01."),
        "datetime_type": _("Give a time like 2026-03-01T09:30:00+02:00."),
        "list_type": _("Give a list."),
        "dict_type": _("Give an object."),
        "model_type": _("Give an object."),
        "model_attributes_type": _("Give an object."),
    }


def _counted(kind: str, ctx: dict[str, Any]) -> str | None:
    """A bound on a length or on digits, counted in the request's language ("1 item", "3
    items"); None for an error of another kind. Pydantic says "Value should have at most …
    items" even of a text: a text's bound is in characters."""
    lists = ctx.get("field_type") == "List"
    if kind in ("too_long", "string_too_long") and isinstance(ctx.get("max_length"), int):
        n = ctx["max_length"]
        if lists:
            return ngettext("Give at most %(n)d item.", "Give at most %(n)d items.", n) % {"n": n}
        return _("Give at most %(max_length)s characters.") % {"max_length": n}
    if kind in ("too_short", "string_too_short") and isinstance(ctx.get("min_length"), int):
        n = ctx["min_length"]
        if lists:
            return ngettext("Give at least %(n)d item.", "Give at least %(n)d items.", n) % {"n": n}
        return ngettext("Give at least %(n)d character.", "Give at least %(n)d characters.", n) % {
            "n": n
        }
    if kind == "decimal_max_digits" and isinstance(n := ctx.get("max_digits"), int):
        return ngettext("Give at most %(n)d digit.", "Give at most %(n)d digits.", n) % {"n": n}
    if kind == "decimal_max_places" and isinstance(n := ctx.get("decimal_places"), int):
        return ngettext(
            "Give at most %(n)d decimal place.", "Give at most %(n)d decimal places.", n
        ) % {"n": n}
    if kind == "decimal_whole_digits" and isinstance(n := ctx.get("whole_digits"), int):
        return ngettext(
            "Give at most %(n)d digit before the decimal point.",
            "Give at most %(n)d digits before the decimal point.",
            n,
        ) % {"n": n}
    return None


def _message(error: dict[str, Any], messages: dict[str, str]) -> str:
    kind, ctx = str(error.get("type", "")), error.get("ctx") or {}
    if kind == "value_error":  # our validators' own messages, already in the user's language
        cause = ctx.get("error")
        return str(cause) if cause is not None else str(error.get("msg", "")).split(", ", 1)[-1]
    if kind == "string_pattern_mismatch" and str(ctx.get("pattern")) in PATTERN_MESSAGES:
        return str(PATTERN_MESSAGES[str(ctx["pattern"])])
    counted = _counted(kind, ctx)
    if counted is not None:
        return counted
    template = messages.get(kind)
    if template is not None:
        if kind in ("literal_error", "enum") and "expected" in ctx:
            ctx = {**ctx, "expected": _choice_list(str(ctx["expected"]))}
        try:
            return template % {k: str(v) for k, v in ctx.items()}
        except (KeyError, TypeError, ValueError):
            pass
    return str(error.get("msg", "Invalid value."))


def _choice_list(expected: str) -> str:
    """Pydantic's list of the allowed values ("'a', 'b' or 'c'", in English) as the values
    alone, comma-separated ("a, b, c"), for a message in the request's language."""
    quoted = re.findall(r"'([^']*)'", expected)
    values = quoted or re.split(r", | or ", expected)
    return ", ".join(values)


def validation_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    messages = _messages()
    for error in errors:
        fields.setdefault(_field_key(error.get("loc", ())), []).append(_message(error, messages))
    return fields


def _on_plaint_error(request: HttpRequest, exc: PlaintError) -> HttpResponse:
    return problem_response(
        status=exc.status,
        code=exc.code,
        detail=exc.message,
        errors=exc.fields,
        headers=exc.headers(),
    )


def _on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return problem_response(
        status=422,
        code="validation_failed",
        detail=_("The request does not match the operation's schema."),
        errors=validation_errors(exc.errors),
    )


def _on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        status=401,
        code="unauthenticated",
        detail=_("Send a valid API token: Authorization: Bearer <token>."),
        headers={"WWW-Authenticate": 'Bearer realm="plaint"'},
    )


class NotJson(Exception):
    """A request body sent with a media type other than JSON."""


class JsonOnlyParser(Parser):
    """Ninja's parser reads any body as JSON whatever its ``Content-Type``; Plaint reads only
    ``application/json`` (or a ``+json`` type), so a form post or ``text/plain`` is a 415."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        media_type = (request.content_type or "").strip().lower()
        if media_type != "application/json" and not (
            media_type.startswith("application/") and media_type.endswith("+json")
        ):
            raise NotJson(media_type)
        return super().parse_body(request)


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = str(exc)
    if isinstance(exc.__cause__, NotJson):  # Ninja wraps any parser error in a 400
        return problem_response(
            status=415,
            code="unsupported_media_type",
            detail=_("Send the request body as JSON with Content-Type: application/json."),
            headers={"Accept": "application/json"},
        )
    if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        return problem_response(
            status=400,
            code="validation_failed",
            detail=_("The request body is not valid JSON."),
            errors={"body": [_("Not valid JSON.")]},
        )
    return problem_response(status=exc.status_code, detail=detail)


def _on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem_response(status=404, code="not_found", detail=_("Not found."))


def _on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    if isinstance(exc, RequestDataTooBig):
        return problem_response(
            status=413, code="validation_failed", detail=_("The request body is too large.")
        )
    return problem_response(status=400, code="error", detail=_("The request was refused."))


def _on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A bug, not bad input: log it with its traceback and answer in the same shape.
    log.exception("unhandled error in %s %s", request.method, request.path)
    return problem_response(status=500, code="error", detail=_("Internal error."))


def install_problem_handlers(api: NinjaAPI) -> None:
    """Replace Ninja's default error bodies with problem+json for every error class."""
    # Ninja types a handler's argument as "the exception or its class"; it always passes the
    # instance, so the handlers take the instance and are listed as taking Any.
    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (PlaintError, _on_plaint_error),
        (NinjaValidationError, _on_validation_error),
        (AuthenticationError, _on_authentication_error),
        (HttpError, _on_http_error),
        (Http404, _on_not_found),
        (SuspiciousOperation, _on_suspicious),
        (Exception, _on_unexpected),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)


@csrf_exempt  # a POST to no endpoint is a 404 too, not Django's HTML page about CSRF
def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """For any path under the API that no operation serves, whatever the method."""
    return problem_response(status=404, code="not_found", detail=_("No such API endpoint."))


def method_not_allowed(response: HttpResponse) -> HttpResponse:
    """Turn Django's bare 405 into a problem, keeping its ``Allow`` header."""
    allow = response.get("Allow", "")
    return problem_response(
        status=405,
        code="error",
        detail=_("Use one of: %(methods)s.") % {"methods": allow} if allow else "",
        headers={"Allow": allow} if allow else None,
    )
