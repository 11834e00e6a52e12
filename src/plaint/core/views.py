"""Web adapters' shared helpers: the one mapping of service errors onto pages and forms, the
organisation's time zone for staff pages, and safe downloads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any, cast

from django import forms
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from plaint.core import csp
from plaint.core.errors import NotFound, PlaintError
from plaint.core.filestore import open_download
from plaint.core.replica import report_reads, rows_from_replica
from plaint.core.selectors import config_token, organisation_cached

ERROR_TITLES = {
    403: gettext_lazy("Not allowed"),
    404: gettext_lazy("Not found"),
    409: gettext_lazy("Not possible now"),
    422: gettext_lazy("Please check your input"),
    429: gettext_lazy("Too many attempts"),
}

View = Callable[..., HttpResponseBase]  # a page, a download or a stream


def apply_form_errors(form: forms.Form, exc: PlaintError) -> None:
    """Put a service's field errors next to the form's fields; the rest above the form."""
    placed = False
    for name, errors in exc.fields.items():
        target = name if name in form.fields else None
        for error in errors:
            form.add_error(target, error)
            placed = placed or target is not None
    if not placed or not exc.fields:
        form.add_error(None, exc.message)


def error_response(
    request: HttpRequest, exc: PlaintError, *, status: int | None = None, staff: bool = False
) -> HttpResponse:
    """A page that says what went wrong, with the status the error carries (403, 404, 409, 429…);
    ``staff``: inside the staff console (its header and navigation), as is every page the staff
    gate (``accounts.gates.staff_page``) let through."""
    status = status or exc.status
    staff = staff or getattr(request, "staff_console", False)
    response = render(
        request,
        "core/staff_error.html" if staff else "core/error.html",
        {"title": ERROR_TITLES.get(status, _("Something went wrong")), "message": exc.message},
        status=status,
    )
    for name, value in exc.headers().items():
        response[name] = value
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 handler (``plaint.urls``): the error page, inside the staff console when a
    staff page raised it, in the visitor's language. A view's own message (a string given to
    ``Http404``) is shown; the resolver's (a dict of the patterns tried) never is."""
    message = exception.args[0] if exception.args else None
    if not isinstance(message, str) or not message:
        message = _("There is nothing at this address.")
    return error_response(request, NotFound(message))


_CONFIG_TOKEN_ATTRIBUTE = "plaint_config_token"  # noqa: S105 (an attribute name)


def request_config_token(request: HttpRequest) -> str:
    """The configuration token (``core.selectors.config_token``), read once per request: what the
    page then takes from the configuration cache (``core.selectors.config_cached``) costs no
    further statement."""
    token = getattr(request, _CONFIG_TOKEN_ATTRIBUTE, None)
    if token is None:
        token = config_token()
        setattr(request, _CONFIG_TOKEN_ATTRIBUTE, token)
    return token


def in_organisation_timezone(view: View) -> View:
    """Show the page's times in the organisation's time zone (staff pages of cases and surveys).
    Reads the configuration token once for the request (``request_config_token``) and the
    organisation from the cache under it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        organisation = organisation_cached(token=request_config_token(request))
        with timezone.override(organisation.timezone):
            return view(request, *args, **kwargs)

    return wrapper


def report_page(view: View) -> View:
    """A report (insights, analysis, scorecard, exports): its reads go to the replica when one is
    configured (``core.replica.report_reads``), streamed content included, and the page says how
    stale its figures may be (``core/_replica_note.html`` reads ``request.replica_freshness``).
    Below the access gate: the gate reads the primary."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with report_reads() as freshness:
            request.replica_freshness = freshness  # type: ignore[attr-defined]
            response = view(request, *args, **kwargs)
            if (
                isinstance(response, StreamingHttpResponse)
                and not isinstance(response, FileResponse)  # a file: its rows were read here
                and not response.is_async
            ):
                # produced after the view returns: read there too
                content = cast(Iterator[bytes], response.streaming_content)
                response.streaming_content = rows_from_replica(content)
        return response

    return wrapper


def errors_as_pages(view: View) -> View:
    """A service error the view lets through becomes the error page with its status."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except PlaintError as exc:
            return error_response(request, exc)

    return wrapper


def attachment_response(attachment) -> FileResponse:
    """Send a stored, type-checked upload as a download that the browser will not render inline.

    ``sandbox`` keeps even a mislabelled file from running script in our origin.
    """
    download = open_download(attachment.file)
    response = FileResponse(
        download.file,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    if download.size is not None:  # a stream from the object store cannot tell its length
        response["Content-Length"] = str(download.size)
    response[csp.HEADER] = csp.DOWNLOAD_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """``/favicon.ico``, which browsers ask for on their own: the icon the pages name in
    ``<link rel="icon">``. A temporary redirect, since the static file's name carries a hash."""
    return HttpResponseRedirect(static("core/favicon.svg"))
