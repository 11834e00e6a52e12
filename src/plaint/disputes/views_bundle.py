"""The case bundle's downloads (staff who may read the dispute): the PDF with its index, and the
ZIP of that PDF with the complaint's attachments, streamed. Both in the case's language."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from plaint.accounts.access import can_read_complaints
from plaint.accounts.gates import staff_page
from plaint.core.errors import Conflict, PlaintError
from plaint.core.pdf import PdfUnavailable
from plaint.core.views import error_response, in_organisation_timezone
from plaint.disputes.bundle import bundle_pdf, bundle_zip_stream
from plaint.disputes.selectors_bundle import Bundle, dispute_bundle
from plaint.disputes.services.bundle import dispute_bundle_exported


def _made(request: HttpRequest, dispute_id: int, what: str) -> tuple[Bundle, bytes]:
    """The bundle and its PDF, the export recorded (raises PlaintError, PdfUnavailable)."""
    bundle = dispute_bundle(actor=request.user, dispute_id=dispute_id)
    user = request.user
    pdf = bundle_pdf(bundle, made_by=user.get_username())
    dispute_bundle_exported(user=user, bundle=bundle, what=what)  # type: ignore[arg-type]
    return bundle, pdf


def _headers(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"


@require_GET
@staff_page(can_read_complaints)
@in_organisation_timezone
def bundle_pdf_download(request: HttpRequest, dispute_id: int) -> HttpResponse:
    try:
        bundle, pdf = _made(request, dispute_id, "pdf")
    except PdfUnavailable as exc:
        return error_response(request, Conflict(str(exc)), status=503)
    except PlaintError as exc:
        return error_response(request, exc)
    response = HttpResponse(pdf, content_type="application/pdf")
    _headers(response, f"{bundle.name}.pdf")
    return response


@require_GET
@staff_page(can_read_complaints)
@in_organisation_timezone
def bundle_zip_download(request: HttpRequest, dispute_id: int) -> HttpResponse:
    try:
        bundle, pdf = _made(request, dispute_id, "zip")
    except PdfUnavailable as exc:
        return error_response(request, Conflict(str(exc)), status=503)
    except PlaintError as exc:
        return error_response(request, exc)
    response = StreamingHttpResponse(bundle_zip_stream(bundle, pdf), content_type="application/zip")
    _headers(response, f"{bundle.name}.zip")
    return response  # type: ignore[return-value]
