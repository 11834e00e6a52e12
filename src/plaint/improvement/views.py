"""The analysis page (ISO 10002 8.3): Pareto charts and the control chart of the complaint rate,
each with its table beside it and exportable as CSV or XLSX."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language_bidi, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plaint.accounts.access import can_configure, can_read_insights
from plaint.accounts.gates import staff_page
from plaint.complaints import services as complaint_services
from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, PlaintError, ValidationFailed
from plaint.core.views import apply_form_errors, error_response, report_page
from plaint.improvement import charts as analysis_charts
from plaint.improvement import services, tables
from plaint.improvement.forms import AnalysisForm, RootCauseForm
from plaint.improvement.process import Process, process_figures
from plaint.improvement.selectors import (
    DIMENSIONS,
    Analysis,
    complaint_analysis,
    latest_clusters,
    root_cause_tree,
)
from plaint.insights.tables import Table, to_csv, to_xlsx

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


State = tuple[AnalysisForm, Analysis | None, Process | None, dict[str, Table]]


def _state(request: HttpRequest) -> State:
    form = AnalysisForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, None, None, {}
    if not request.GET:
        form.is_valid()  # unbound: the defaults (the last twelve months)
        form.cleaned_data = {}
    result = complaint_analysis(form.filters())
    found = {"control-chart": tables.control_table(result)}
    for dimension in DIMENSIONS:
        found[f"pareto-{dimension}"] = tables.pareto_table(result, dimension)
    process = process_figures(result.filters)
    found["durations"] = tables.durations_table(process)
    found["promises"] = tables.promises_table(process)
    found["backlog"] = tables.backlog_table(process)
    found["load"] = tables.load_table(process)
    return form, result, process, found


CORRECTIVE_LINKS = 3  # the largest items of each Pareto offered as a corrective action


def _corrective_links(result: Analysis) -> dict[str, Any]:
    """Links that open a corrective action prefilled from what the page found: the largest items
    of each Pareto (the item as the indicator's filter) and the months the control chart flags.
    Category names go as names (the form finds the category), so the page reads nothing more."""
    f = result.filters
    period = {"start": f"{f.start:%Y-%m}", "end": f"{f.end:%Y-%m}"}
    base = {
        k: v
        for k, v in {
            "category": f.category or "",
            "product": f.product,
            "channel": f.channel,
            "team": f.team or "",
            "segment": f.segment,
        }.items()
        if v
    }
    url = reverse("improvement:corrective_new")
    titles = tables.dimension_titles()
    pareto: dict[str, list[tuple[str, str]]] = {}
    for dimension in DIMENSIONS:
        items = []
        for key, _count, _share, _cum in result.pareto.get(dimension, [])[:CORRECTIVE_LINKS]:
            if not key:
                continue
            label = tables.dimension_label(dimension, key)
            name = "category_name" if dimension == "category" else dimension
            query = {
                **base,
                name: key,
                "source": "cluster",
                "title": label,
                # in the page's language, as the person who opens the action reads it
                "source_ref": _("Pareto: %(dimension)s = %(item)s, %(start)s to %(end)s")
                % {"dimension": titles[dimension], "item": label, **period},
            }
            items.append((label, f"{url}?{urlencode(query)}"))
        pareto[dimension] = items
    signal = None
    chart = result.chart
    if chart is not None and chart.signals:
        months = ", ".join(
            f"{m:%Y-%m}" for m, flags in zip(result.months, chart.flags, strict=True) if flags
        )
        query = {
            **base,
            "source": "cluster",
            "kind": "per_1000_orders" if result.per_thousand else "received",
            "source_ref": _("Control chart: %(months)s") % {"months": months},
        }
        signal = f"{url}?{urlencode(query)}"
    return {"pareto": pareto, "signal": signal}


@require_GET
@staff_page(can_read_insights)
@report_page
def analysis(request: HttpRequest) -> HttpResponse:
    return _page(request, *_state(request))


def _page(request: HttpRequest, *state: object) -> HttpResponse:
    form, result, process, found = cast(State, state)
    rtl = get_language_bidi()
    links = _corrective_links(result) if result and can_configure(request.user) else None
    context = {
        "corrective": links,
        "process_tables": [found.get(k) for k in ("durations", "promises", "backlog", "load")],
        "process_charts": analysis_charts.process_charts(process, rtl) if process else {},
        "form": form,
        "result": result,
        "control_table": found.get("control-chart"),
        "query": request.GET.urlencode(),
        "control_chart": analysis_charts.control_chart(result, rtl) if result else None,
        "paretos": [
            (
                found[f"pareto-{d}"],
                analysis_charts.pareto_chart(result, d, rtl),
                links["pareto"][d] if links else [],
            )
            for d in DIMENSIONS
        ]
        if result
        else [],
        "products": [key for key, *_ in result.pareto.get("product", [])[:50] if key]
        if result
        else [],
    }
    status = 400 if result is None else 200
    return render(request, "improvement/analysis.html", context, status=status)


@require_GET
@staff_page(can_read_insights)
@report_page
def export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    state = _state(request)
    _form, result, _process, found = state
    if result is None:
        return _page(request, *state)  # the page, with the filters' errors
    chosen = found.get(table)
    if chosen is None or fmt not in EXPORT_TYPES:
        return error_response(
            request, NotAllowed(_("That table is not on the page for these filters.")), status=404
        )
    body = to_csv(chosen) if fmt == "csv" else to_xlsx(chosen)
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    f = result.filters
    name = f"plaint-{table}-{f.start:%Y-%m}-{f.end:%Y-%m}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@staff_page(can_read_insights)
def clusters(request: HttpRequest) -> HttpResponse:
    found = latest_clusters(request.user)
    if can_configure(request.user):  # a corrective action from each group, prefilled
        url = reverse("improvement:corrective_new")
        for cluster in found.clusters:
            query = {
                "source": "cluster",
                "title": cluster.label[:200],
                "source_ref": (_("Recurring issue: %(label)s") % {"label": cluster.label})[:300],
                "complaints": ", ".join(
                    m.complaint.reference or "" for m in getattr(cluster, "shown", [])
                ),
            }
            if cluster.kind == "same_cause":
                query.update(product=cluster.product, category=str(cluster.category_id or ""))
            setattr(cluster, "corrective_url", f"{url}?{urlencode(query)}")  # noqa: B010 (shown by the template)
    return render(
        request,
        "improvement/clusters.html",
        {
            "run": found.run,
            "clusters": found.clusters,
            "can_detect": can_configure(request.user),
            "window_days": services.WINDOW_DAYS,
            "min_size": services.MIN_SIZE,
        },
    )


@require_POST
@staff_page(can_configure)
def clusters_detect(request: HttpRequest) -> HttpResponse:
    run = services.clusters_detect()
    messages.success(
        request,
        ngettext(
            "%(found)s recurring issue found among %(scanned)s complaints.",
            "%(found)s recurring issues found among %(scanned)s complaints.",
            run.found,
        )
        % {"found": run.found, "scanned": run.scanned},
    )
    return redirect("improvement_staff:clusters")


@require_http_methods(["GET", "POST"])
@staff_page(can_configure)
def root_causes(request: HttpRequest) -> HttpResponse:
    """Managers and admins keep the root-cause taxonomy: add a cause, retire or restore one."""
    form = RootCauseForm(prefix="cause")
    status = 200
    if request.method == "POST":
        actor = Actor.staff(request.user)
        try:
            if "active" in request.POST:
                cause = complaint_services.root_cause_set_active(
                    actor=actor,
                    code=request.POST.get("code", ""),
                    active=request.POST["active"] == "1",
                )
                messages.success(request, _("“%(name)s” saved.") % {"name": cause.name})
                return redirect("improvement_staff:root_causes")
            form = RootCauseForm(request.POST, prefix="cause")
            if form.is_valid():
                cause = complaint_services.root_cause_create(actor=actor, **form.cleaned_data)
                messages.success(request, _("Cause “%(name)s” added.") % {"name": cause.name})
                return redirect("improvement_staff:root_causes")
        except ValidationFailed as exc:
            apply_form_errors(form, exc)
        except PlaintError as exc:
            return error_response(request, exc)
        status = 422
    return render(
        request,
        "improvement/root_causes.html",
        {"form": form, "tree": root_cause_tree()},
        status=status,
    )
