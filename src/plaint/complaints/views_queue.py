"""The staff queue: its filters and keyset pages, the views a person chooses or saves, the last
view it remembers for them, and one action on many ticked cases (confirmed first)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from plaint.accounts.access import (
    can_export_personal_data,
    can_read_complaints,
    can_share_queue_views,
    can_work_complaints,
)
from plaint.accounts.gates import staff_page
from plaint.complaints import selectors, services
from plaint.complaints.forms_choices import team_choices
from plaint.complaints.forms_queue import (
    BulkActionForm,
    QueueFilterForm,
    SavedViewForm,
    SavedViewRenameForm,
)
from plaint.complaints.queue_views import canonical_query
from plaint.complaints.selectors import QueueFilters
from plaint.complaints.visibility import visibility_known
from plaint.core.actors import Actor
from plaint.core.errors import NotFound, PlaintError, ValidationFailed
from plaint.core.pagination import page_size
from plaint.core.views import (
    apply_form_errors,
    error_response,
    in_organisation_timezone,
    request_config_token,
)

QUEUE_DEFAULT_LIMIT = 25


def _queue_url(query: str) -> str:
    # "All complaints" is the empty query; "sort=newest" (the default) keeps it from being read
    # as "no filters given: restore the last view".
    return reverse("staff:queue") + "?" + (query or "sort=newest")


def _pairs(params: QueryDict) -> list[tuple[str, str]]:
    return [(key, value) for key, values in params.lists() for value in values]


def page_links(params: QueryDict, next_cursor: str | None) -> tuple[str | None, str | None]:
    next_url = first_url = None
    if next_cursor:
        following = params.copy()
        following["cursor"] = next_cursor
        next_url = "?" + following.urlencode()
    if params.get("cursor"):
        first = params.copy()
        first.pop("cursor", None)
        first_url = "?" + first.urlencode()
    return next_url, first_url


def _queue_page(
    request: HttpRequest,
    params: QueryDict,
    *,
    save_form: SavedViewForm | None = None,
    remembered: str | None = None,
) -> HttpResponse:
    """Render the queue for ``params``: the filter form, the selector's page, the views, the
    form to save these filters and the bulk actions."""
    form = QueueFilterForm(params or None)
    valid = not form.is_bound or form.is_valid()
    filters = form.to_filters() if form.is_bound and valid else QueueFilters()
    limit = page_size(params.get("limit"), default=QUEUE_DEFAULT_LIMIT)
    status = 200 if valid else 400
    # who sees what, from the configuration cache under the token the page has read already
    known = visibility_known(token=request_config_token(request))
    try:
        page = selectors.complaint_list(
            actor=request.user,
            filters=filters,
            cursor=params.get("cursor") or None,
            limit=limit,
            known=known,
        )
    except ValidationFailed as exc:
        apply_form_errors(form, exc)
        page = selectors.complaint_list(
            actor=request.user, filters=filters, limit=limit, known=known
        )
        status, valid = 400, False
    current = canonical_query(_pairs(params))
    if valid and save_form is None:
        services.queue_view_remember(user=request.user, query=current, known=remembered)
    can_work = can_work_complaints(request.user)
    teams = form.choices_of("team")
    next_url, first_url = page_links(params, page.next_cursor)
    context = {
        "form": form,
        "page": page,
        "next_url": next_url,
        "first_url": first_url,
        "now": timezone.now(),
        "can_work": can_work,
        "can_export_personal": can_export_personal_data(request.user),
        "views": selectors.queue_views_for(user=request.user),
        "current_query": current,
        "save_form": save_form
        or SavedViewForm(
            initial={"query": current},
            teams=teams if can_share_queue_views(request.user) else None,
        ),
        "bulk_form": BulkActionForm(workers=form.choices_of("assignee"), teams=teams)
        if can_work
        else None,
    }
    return render(request, "complaints/staff/queue.html", context, status=status)


@require_http_methods(["GET"])
@staff_page(can_read_complaints)
@in_organisation_timezone
def queue(request: HttpRequest) -> HttpResponse:
    """The queue. Opened without filters, it goes to the view its user last looked at."""
    remembered = selectors.queue_last_query(user=request.user)
    if not request.GET and remembered:
        return redirect(_queue_url(remembered))
    return _queue_page(request, request.GET, remembered=remembered)


@require_POST
@staff_page(can_read_complaints)
@in_organisation_timezone
def saved_view_create(request: HttpRequest) -> HttpResponse:
    """Save the queue's current filters under a name (a manager: maybe for a team)."""
    sharing = can_share_queue_views(request.user)
    form = SavedViewForm(request.POST, teams=team_choices("") if sharing else None)
    if form.is_valid():
        try:
            view = services.saved_view_create(
                user=request.user,
                name=form.cleaned_data["name"],
                query=form.cleaned_data["query"],
                team_id=form.team_id if sharing else None,
            )
        except ValidationFailed as exc:
            apply_form_errors(form, exc)
        except PlaintError as exc:
            return error_response(request, exc)
        else:
            messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
            return redirect(_queue_url(view.query))
    params = QueryDict(mutable=True)
    for key, value in parse_qsl(request.POST.get("view-query", "")):
        params.appendlist(key, value)
    response = _queue_page(request, params, save_form=form)
    response.status_code = 422
    return response


@require_http_methods(["GET"])
@staff_page(can_read_complaints)
def saved_views(request: HttpRequest) -> HttpResponse:
    """The views a person may rename or delete: their own; a manager's also every team's."""
    rows = selectors.saved_views_manageable(
        user=request.user, everything=can_share_queue_views(request.user)
    )
    return render(
        request,
        "complaints/staff/saved_views.html",
        {
            "rows": [
                (row, SavedViewRenameForm(initial={"name": row.name}, prefix=f"v{row.pk}"))
                for row in rows
            ]
        },
    )


def _view_error(request: HttpRequest, exc: PlaintError) -> HttpResponse:
    if isinstance(exc, NotFound):
        raise Http404(exc.message) from exc
    return error_response(request, exc)


@require_POST
@staff_page(can_read_complaints)
def saved_view_rename(request: HttpRequest, view_id: int) -> HttpResponse:
    form = SavedViewRenameForm(request.POST, prefix=f"v{view_id}")
    if not form.is_valid():
        messages.error(request, str(form.errors["name"][0]))
        return redirect("staff:saved_views")
    try:
        view = services.saved_view_rename(
            user=request.user, view_id=view_id, name=form.cleaned_data["name"]
        )
    except PlaintError as exc:
        return _view_error(request, exc)
    messages.success(request, _("View renamed to “%(name)s”.") % {"name": view.name})
    return redirect("staff:saved_views")


@require_POST
@staff_page(can_read_complaints)
def saved_view_delete(request: HttpRequest, view_id: int) -> HttpResponse:
    """Delete a saved view, after a confirmation page (a POST without ``confirm=yes``)."""
    try:
        if request.POST.get("confirm") != "yes":
            view = selectors.saved_view_manageable(
                user=request.user,
                everything=can_share_queue_views(request.user),
                view_id=view_id,
            )
            return render(request, "complaints/staff/saved_view_delete.html", {"view": view})
        name = services.saved_view_delete(user=request.user, view_id=view_id)
    except PlaintError as exc:
        return _view_error(request, exc)
    messages.success(request, _("View “%(name)s” deleted.") % {"name": name})
    return redirect("staff:saved_views")


# --- one action on many cases --------------------------------------------------------------------


def _summary(change: services.BulkChange, count: int) -> str:
    """What the action will do, said on the confirmation page before anything changes."""
    if change.action == "assign" and change.assignee is not None:
        return ngettext(
            "%(count)s complaint will be assigned to %(name)s.",
            "%(count)s complaints will be assigned to %(name)s.",
            count,
        ) % {"count": count, "name": str(change.assignee)}
    if change.action == "assign":
        return ngettext(
            "%(count)s complaint will be assigned to nobody.",
            "%(count)s complaints will be assigned to nobody.",
            count,
        ) % {"count": count}
    if change.action == "team" and change.team is not None:
        return ngettext(
            "%(count)s complaint will be moved to team %(team)s.",
            "%(count)s complaints will be moved to team %(team)s.",
            count,
        ) % {"count": count, "team": change.team.name}
    if change.action == "team":
        return ngettext(
            "%(count)s complaint will be taken out of its team.",
            "%(count)s complaints will be taken out of their teams.",
            count,
        ) % {"count": count}
    return ngettext(
        "This internal note will be added to %(count)s complaint.",
        "This internal note will be added to each of %(count)s complaints.",
        count,
    ) % {"count": count}


def _done(change: services.BulkChange, count: int) -> str:
    if change.action == "note":
        return ngettext(
            "Internal note added to %(count)s complaint.",
            "Internal note added to %(count)s complaints.",
            count,
        ) % {"count": count}
    return ngettext("%(count)s complaint changed.", "%(count)s complaints changed.", count) % {
        "count": count
    }


def _bulk_invalid(request: HttpRequest, form: BulkActionForm) -> HttpResponse:
    return render(request, "complaints/staff/bulk_confirm.html", {"form": form}, status=422)


def _change(form: BulkActionForm) -> services.BulkChange:
    d = form.cleaned_data
    return services.bulk_change_build(
        action=d["action"],
        assignee_id=int(d["assignee"]) if d.get("assignee") else None,
        team_id=int(d["team"]) if d.get("team") else None,
        body=d.get("body") or "",
    )


@require_http_methods(["GET", "POST"])
@staff_page(can_work_complaints)
@in_organisation_timezone
def bulk(request: HttpRequest) -> HttpResponse:
    """The queue's bulk action. Posted from the queue: the confirmation page says what will
    happen to how many cases, and which cannot change and why. Confirmed (``confirm=yes``):
    each case changes through its service; the queue then says what changed and what did not."""
    if request.method == "GET":  # the language switcher, back from the confirmation page
        return redirect("staff:queue")
    form = BulkActionForm(request.POST)
    if not form.is_valid():
        return _bulk_invalid(request, form)
    try:
        change = _change(form)
    except ValidationFailed as exc:
        apply_form_errors(form, exc)
        return _bulk_invalid(request, form)
    cases = form.cleaned_data["case"]
    if request.POST.get("confirm") != "yes":
        preview = selectors.bulk_preview(actor=request.user, change=change, cases=cases)
        context: dict[str, Any] = {
            "form": form,
            "preview": preview,
            "summary": _summary(change, len(preview.cases)),
            "note": change.body if change.action == "note" else "",
            "selection": [f"{c.reference}:{c.version}" for c in preview.cases]
            + [ref for ref, _version in cases if ref not in {c.reference for c in preview.cases}],
        }
        return render(request, "complaints/staff/bulk_confirm.html", context)
    try:
        outcome = services.complaints_bulk_change(
            actor=Actor.staff(request.user), change=change, cases=cases
        )
    except PlaintError as exc:
        return error_response(request, exc)
    if outcome.changed:
        messages.success(request, _done(change, len(outcome.changed)))
    for reference, reason in outcome.refused:
        messages.error(
            request,
            _("Not changed: %(reference)s — %(reason)s")
            % {"reference": reference, "reason": reason},
        )
    return redirect("staff:queue")
