"""The case bundle's downloads: the PDF with its index, and the ZIP of that PDF with the
complaint's attachments, streamed; both in the case's language. Staff who may read the dispute
download it here; the dispute's neutral on the portal (``views_neutral``), through the same
``bundle_download`` after the portal's own check."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from plaint.accounts.access import can_read_complaints
from plaint.accounts.gates import staff_page
from plaint.core.actors import Actor
from plaint.core.errors import Conflict, PlaintError
from plaint.core.pdf import PdfUnavailable
from plaint.core.views import error_response, in_organisation_timezone
from plaint.disputes.bundle import bundle_pdf, bundle_zip_stream
from plaint.disputes.selectors_bundle import Bundle, dispute_bundle
from plaint.disputes.services.bundle import dispute_bundle_exported


def _headers(response: HttpResponseBase, filename: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"


def bundle_download(
    request: HttpRequest, *, actor: Actor, read: Callable[[], Bundle], what: str
) -> HttpResponseBase:
    """Read the bundle with ``read`` (the caller's access check: NotFound for what the actor may
    not have), render its PDF, record the export by ``actor`` and send the PDF or the ZIP."""
    try:
        bundle = read()
        pdf = bundle_pdf(bundle, made_by=actor.label)
        dispute_bundle_exported(actor=actor, bundle=bundle, what=what)
    except PdfUnavailable as exc:
        return error_response(request, Conflict(str(exc)), status=503)
    except PlaintError as exc:
        return error_response(request, exc)
    response: HttpResponseBase
    if what == "zip":
        stream = bundle_zip_stream(bundle, pdf)
        response = StreamingHttpResponse(stream, content_type="application/zip")
    else:
        response = HttpResponse(pdf, content_type="application/pdf")
    _headers(response, f"{bundle.name}.{what}")
    return response


def _staff(request: HttpRequest, dispute_id: int, what: str) -> HttpResponseBase:
    read = partial(dispute_bundle, actor=request.user, dispute_id=dispute_id)
    actor = Actor.staff(request.user)
    return bundle_download(request, actor=actor, read=read, what=what)


@require_GET
@staff_page(can_read_complaints)
@in_organisation_timezone
def bundle_pdf_download(request: HttpRequest, dispute_id: int) -> HttpResponseBase:
    return _staff(request, dispute_id, "pdf")


@require_GET
@staff_page(can_read_complaints)
@in_organisation_timezone
def bundle_zip_download(request: HttpRequest, dispute_id: int) -> HttpResponseBase:
    return _staff(request, dispute_id, "zip")
