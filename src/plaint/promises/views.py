"""Staff pages (codes, promises, versions, pauses, profiles, scorecard) and the public code pages.
Adapters only: parse a form, call one service or selector, render. Managers and admins change;
all staff read; the public reads published codes."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from plaint.accounts.access import can_configure, can_read_complaints, can_work_complaints
from plaint.accounts.gates import staff_page
from plaint.complaints.selectors import complaint_get
from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, NotFound, PlaintError, ValidationFailed
from plaint.core.views import (
    apply_form_errors,
    error_response,
    in_organisation_timezone,
    report_page,
)
from plaint.promises import selectors, services
from plaint.promises.charts import scorecard_svg
from plaint.promises.forms import ClaimForm, CodeForm, PauseForm, ProfileForm, PromiseForm
from plaint.promises.models import Promise
from plaint.promises.profiles import organisation_numbers, shown_profiles
from plaint.promises.states import EDITABLE, PUBLIC, allowed_code_steps


def _configure_or_403(request: HttpRequest) -> HttpResponse | None:
    if not can_configure(request.user):
        return error_response(
            request, NotAllowed(_("Only managers and admins change codes of conduct.")), status=403
        )
    return None


def _code(request: HttpRequest, code_id: int):
    try:
        return selectors.code_get(actor=request.user, code_id=code_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _submit(request: HttpRequest, form, call: Callable[[], Any]) -> tuple[Any, HttpResponse | None]:
    """Call the service; map its errors once. Returns (result, error page or None)."""
    try:
        return call(), None
    except ValidationFailed as exc:
        apply_form_errors(form, exc)
        return None, None
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PlaintError as exc:
        return None, error_response(request, exc)


# --- codes -----------------------------------------------------------------------------------


@require_http_methods(["GET"])
@staff_page(can_read_complaints)
@in_organisation_timezone
def codes(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "promises/staff/codes.html",
        {
            "codes": selectors.code_list(actor=request.user),
            "can_configure": can_configure(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_page(can_read_complaints)
@in_organisation_timezone
def code_new(request: HttpRequest) -> HttpResponse:
    if denied := _configure_or_403(request):
        return denied
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code, error = _submit(
            request,
            form,
            lambda: services.code_create(
                actor=Actor.staff(request.user),
                slug=form.cleaned_data["slug"],
                **form.service_kwargs(),
            ),
        )
        if error:
            return error
        if code:
            messages.success(request, _("Code created as a draft."))
            return redirect("promises_staff:code", code_id=code.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "promises/staff/code_form.html", {"form": form}, status=status)


@require_http_methods(["GET"])
@staff_page(can_read_complaints)
@in_organisation_timezone
def code_detail(request: HttpRequest, code_id: int) -> HttpResponse:
    code = _code(request, code_id)
    configure = can_configure(request.user)
    return render(
        request,
        "promises/staff/code_detail.html",
        {
            "code": code,
            "promises": list(code.promises.all()),
            "versions": selectors.code_versions(code=code),
            "steps": allowed_code_steps(code.state) if configure else [],
            "editable": configure and code.state in EDITABLE,
            "can_configure": configure,
            "languages": selectors.code_languages(code),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_page(can_read_complaints)
@in_organisation_timezone
def code_edit(request: HttpRequest, code_id: int) -> HttpResponse:
    if denied := _configure_or_403(request):
        return denied
    code = _code(request, code_id)
    form = CodeForm(request.POST or None, initial=CodeForm.initial_for(code), editing=True)
    if request.method == "POST" and form.is_valid():
        done, error = _submit(
            request,
            form,
            lambda: services.code_update(
                actor=Actor.staff(request.user), code_id=code.pk, **form.service_kwargs()
            ),
        )
        if error:
            return error
        if done:
            messages.success(request, _("Code saved."))
            return redirect("promises_staff:code", code_id=code.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "promises/staff/code_form.html", {"form": form, "code": code}, status=status
    )


@require_POST
@staff_page(can_read_complaints)
@in_organisation_timezone
def code_step(request: HttpRequest, code_id: int, step: str) -> HttpResponse:
    if denied := _configure_or_403(request):
        return denied
    try:
        services.code_transition(actor=Actor.staff(request.user), code_id=code_id, step=step)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PlaintError as exc:
        return error_response(request, exc)
    messages.success(request, _("Done."))
    return redirect("promises_staff:code", code_id=code_id)


@require_POST
@staff_page(can_read_complaints)
@in_organisation_timezone
def code_new_version(request: HttpRequest, code_id: int) -> HttpResponse:
    if denied := _configure_or_403(request):
        return denied
    try:
        draft = services.code_new_version(actor=Actor.staff(request.user), code_id=code_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PlaintError as exc:
        return error_response(request, exc)
    messages.success(request, _("Version %(v)s created as a draft.") % {"v": draft.version})
    return redirect("promises_staff:code", code_id=draft.pk)


@require_http_methods(["GET"])
@staff_page(can_read_complaints)
@in_organisation_timezone
def code_diff(request: HttpRequest, code_id: int) -> HttpResponse:
    new = _code(request, code_id)
    other_id = request.GET.get("against") or (new.previous_id and str(new.previous_id))
    if not other_id or not str(other_id).isdigit():
        raise Http404(_("This version has no earlier version to compare with."))
    old = _code(request, int(other_id))
    if old.slug != new.slug:
        raise Http404(_("Compare versions of the same code."))
    language = request.GET.get("lang") or "en"
    return render(
        request,
        "promises/staff/code_diff.html",
        {"old": old, "new": new, "diff": selectors.code_diff(old=old, new=new, language=language)},
    )


# --- promises --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_page(can_read_complaints)
@in_organisation_timezone
def promise_new(request: HttpRequest, code_id: int) -> HttpResponse:
    if denied := _configure_or_403(request):
        return denied
    code = _code(request, code_id)
    form = PromiseForm(
        request.POST or None,
        initial={
            "target_rate": "0.95",
            "at_risk_fraction": "0.8",
            "honours_regulatory_pauses": True,
        },
    )
    if request.method == "POST" and form.is_valid():
        done, error = _submit(
            request,
            form,
            lambda: services.promise_create(
                actor=Actor.staff(request.user), code_id=code.pk, **form.service_kwargs()
            ),
        )
        if error:
            return error
        if done:
            messages.success(request, _("Promise added."))
            return redirect("promises_staff:code", code_id=code.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "promises/staff/promise_form.html", {"form": form, "code": code}, status=status
    )


@require_http_methods(["GET", "POST"])
@staff_page(can_read_complaints)
@in_organisation_timezone
def promise_edit(request: HttpRequest, promise_id: int) -> HttpResponse:
    if denied := _configure_or_403(request):
        return denied
    promise = Promise.objects.select_related("code").filter(pk=promise_id).first()
    if promise is None:
        raise Http404(_("No such promise."))
    form = PromiseForm(request.POST or None, initial=PromiseForm.initial_for(promise))
    if request.method == "POST" and form.is_valid():
        done, error = _submit(
            request,
            form,
            lambda: services.promise_update(
                actor=Actor.staff(request.user), promise_id=promise.pk, **form.service_kwargs()
            ),
        )
        if error:
            return error
        if done:
            messages.success(request, _("Promise saved."))
            return redirect("promises_staff:code", code_id=promise.code_id)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "promises/staff/promise_form.html",
        {"form": form, "code": promise.code, "promise": promise},
        status=status,
    )


# --- regulatory pauses and profiles ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_page(can_read_complaints)
@in_organisation_timezone
def pauses(request: HttpRequest) -> HttpResponse:
    form = PauseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if denied := _configure_or_403(request):
            return denied
        if form.is_valid():
            d = form.cleaned_data
            done, error = _submit(
                request,
                form,
                lambda: services.regulatory_pause_create(
                    actor=Actor.staff(request.user),
                    starts_at=d["starts_at"],
                    ends_at=d["ends_at"],
                    reason=d["reason"],
                    category_code=d["category"],
                ),
            )
            if error:
                return error
            if done:
                messages.success(
                    request,
                    _("Regulatory pause recorded; it is being applied to the open complaints."),
                )
                return redirect("promises_staff:pauses")
        status = 422
    return render(
        request,
        "promises/staff/pauses.html",
        {
            "pauses": selectors.regulatory_pause_list(actor=request.user),
            "applying": services.recompute_pending(),
            "form": form,
            "can_configure": can_configure(request.user),
        },
        status=status,
    )


@require_POST
@staff_page(can_read_complaints)
@in_organisation_timezone
def pause_delete(request: HttpRequest, pause_id: int) -> HttpResponse:
    if denied := _configure_or_403(request):
        return denied
    try:
        services.regulatory_pause_delete(actor=Actor.staff(request.user), pause_id=pause_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    messages.success(
        request, _("Regulatory pause removed; the open complaints are being recomputed.")
    )
    return redirect("promises_staff:pauses")


@require_http_methods(["GET", "POST"])
@staff_page(can_read_complaints)
@in_organisation_timezone
def profiles(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if denied := _configure_or_403(request):
            return denied
        if form.is_valid():
            d = form.cleaned_data
            done, error = _submit(
                request,
                form,
                lambda: services.profile_select(
                    actor=Actor.staff(request.user),
                    profile_key=d["profile"],
                    product_line=d["product_line"],
                    category_code=d["category"],
                ),
            )
            if error:
                return error
            if done:
                messages.success(request, _("Profile adopted as a published code."))
                return redirect("promises_staff:profiles")
        status = 422
    return render(
        request,
        "promises/staff/profiles.html",
        {
            "profiles": shown_profiles(get_language() or "en", organisation_numbers()),
            "selections": selectors.profile_selection_list(actor=request.user),
            "form": form,
            "can_configure": can_configure(request.user),
        },
        status=status,
    )


@require_POST
@staff_page(can_read_complaints)
@in_organisation_timezone
def profile_deselect(request: HttpRequest, selection_id: int) -> HttpResponse:
    if denied := _configure_or_403(request):
        return denied
    try:
        services.profile_deselect(actor=Actor.staff(request.user), selection_id=selection_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    messages.success(request, _("Profile no longer applies; its code is retired."))
    return redirect("promises_staff:profiles")


# --- scorecard -------------------------------------------------------------------------------


def _months(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("months") or 12), 60))
    except ValueError:
        return 12


@require_http_methods(["GET"])
@staff_page(can_read_complaints)
@in_organisation_timezone
@report_page
def scorecard(request: HttpRequest) -> HttpResponse:
    slug = request.GET.get("code") or None
    months = _months(request)
    rows = selectors.scorecard(actor=request.user, months=months, code_slug=slug)
    groups: dict[tuple[str, str], list] = {}
    for r in rows:
        groups.setdefault((r.code_slug, r.promise_key), []).append(r)
    # Headed by the newest month's measured version; a month measured under another version says so.
    charts = [
        {
            "slug": key[0],
            "key": key[1],
            "latest": items[-1],
            "rows": items,
            "svg": scorecard_svg(items, title=f"{items[-1].code_title}: {items[-1].promise_text}"),
        }
        for key, items in groups.items()
    ]
    return render(
        request,
        "promises/staff/scorecard.html",
        {"charts": charts, "code": slug or "", "months": months},
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_http_methods(["GET"])
@staff_page(can_read_complaints)
@in_organisation_timezone
@report_page
def scorecard_csv(request: HttpRequest) -> StreamingHttpResponse:
    slug = request.GET.get("code") or None
    rows = selectors.scorecard(actor=request.user, months=_months(request), code_slug=slug)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(
            [
                "code",
                "promise",
                "month",
                "cases",
                "met",
                "breached",
                "pending",
                "claims",
                "broken_incl_claims",
                "fulfilment_rate",
                "wilson_low",
                "wilson_high",
                "target",
                "code_version",
                "code_title",
                "promise_text",
            ]
        )
        for r in rows:
            yield writer.writerow(
                [
                    r.code_slug,
                    r.promise_key,
                    r.month.strftime("%Y-%m"),
                    r.cases,
                    r.met,
                    r.breached,
                    r.pending,
                    r.claims,
                    r.broken,
                    "" if r.rate is None else f"{r.rate:.4f}",
                    "" if r.low is None else f"{r.low:.4f}",
                    "" if r.high is None else f"{r.high:.4f}",
                    f"{r.target:.4f}",
                    r.version,
                    r.code_title,
                    r.promise_text,
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="promise-scorecard.csv"'
    return response


# --- on a complaint ------------------------------------------------------------------------


@require_POST
@staff_page(can_work_complaints)
@in_organisation_timezone
def complaint_claim(request: HttpRequest, reference: str) -> HttpResponse:
    try:
        complaint = complaint_get(actor=request.user, reference=reference)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = ClaimForm(request.POST, promises=selectors.claimable_promises())
    if not form.is_valid():
        return error_response(request, ValidationFailed(_("Choose a promise.")), status=422)
    try:
        services.broken_promise_claim_create(
            actor=Actor.staff(request.user),
            complaint_id=complaint.pk,
            promise_id=int(form.cleaned_data["promise"]),
            note=form.cleaned_data["note"],
        )
    except PlaintError as exc:
        return error_response(request, exc)
    messages.success(request, _("The broken promise is recorded."))
    return redirect("staff:detail", reference=complaint.reference)


@require_POST
@staff_page(can_work_complaints)
@in_organisation_timezone
def check_record(request: HttpRequest, check_id: int) -> HttpResponse:
    if not can_work_complaints(request.user):
        return error_response(request, NotAllowed(_("Your role may not do this.")), status=403)
    try:
        check = services.promise_check_record(
            actor=Actor.staff(request.user), check_id=check_id, met=request.POST.get("met") == "1"
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PlaintError as exc:
        return error_response(request, exc)
    messages.success(request, _("Promise check recorded."))
    return redirect("staff:detail", reference=check.complaint.reference)


# --- public ----------------------------------------------------------------------------------


@require_http_methods(["GET"])
def public_index(request: HttpRequest) -> HttpResponse:
    language = get_language() or "en"
    codes = [{"code": c, "title": c.title_in(language)} for c in selectors.code_public_list()]
    return render(request, "promises/public/index.html", {"codes": codes})


@require_http_methods(["GET"])
def public_detail(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    try:
        code = selectors.code_public_get(slug=slug, version=version)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    languages = selectors.code_languages(code)
    language = request.GET.get("lang") or get_language() or "en"
    if language not in languages:
        language = "en" if "en" in languages else languages[0]
    performance = selectors.public_performance(code=code)
    promises = [
        {"promise": p, "text": p.text_in(language), "performance": performance.get(p.key)}
        for p in code.promises.all()
    ]
    rtl = language in {"fa", "ar", "he"}
    return render(
        request,
        "promises/public/detail.html",
        {
            "code": code,
            "title": code.title_in(language),
            "language": language,
            "languages": languages,
            "promises": promises,
            "rtl": rtl,
            "is_current": code.state in PUBLIC,
            "now": timezone.now(),
        },
    )
