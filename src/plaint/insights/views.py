"""The insights dashboard (ISO 10004 8 and 9): survey measures with their intervals, trends,
segments, importance-performance, comparisons, the sample-size planner and the indirect
indicators on one page; CSV and XLSX exports of every table; the volume upload for managers."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from plaint.accounts.access import can_import_volumes, can_read_insights
from plaint.accounts.gates import staff_page
from plaint.core.errors import NotAllowed, PlaintError
from plaint.core.views import apply_form_errors, error_response, report_page
from plaint.insights import charts, selectors, services, tables
from plaint.insights.forms import (
    CompareForm,
    DashboardForm,
    PlanForm,
    VolumeUploadForm,
    split_segment,
)
from plaint.insights.models import Dimension
from plaint.insights.selectors import Filters

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _lang() -> str:
    return (get_language() or "en").split("-")[0]


def _state(request: HttpRequest, only: str | None = None) -> dict:
    """Everything the page computes from the query string; with ``only`` (an export), just what
    that table needs."""
    lang = _lang()
    surveys = selectors.survey_choices(actor=request.user)
    keys = [s["key"] for s in surveys]
    chosen = request.GET.get("survey") or (keys[0] if keys else "")
    segment_values = (
        selectors.segment_values(actor=request.user, survey_key=chosen) if chosen in keys else {}
    )
    form = DashboardForm(
        request.GET or None, surveys=surveys, segments=segment_values, language=lang
    )
    state: dict = {"form": form, "surveys": surveys, "errors": False, "tables": {}}
    if form.is_bound and not form.is_valid():
        state["errors"] = True
        data = {}
    else:
        data = form.cleaned_data if form.is_bound else {}
    filters = _filters(form, data, chosen, state)
    state["breakdown"] = data.get("breakdown") or Dimension.CHANNEL
    if _wanted(only, "indicators"):
        state["indicators"] = selectors.indicators(
            actor=request.user, start=filters.start, end=filters.end
        )
        state["tables"]["indicators"] = tables.indicators_table(state["indicators"])
    if chosen not in keys:
        return state
    # The population the respondents were drawn from: the people invited in the period.
    filters = selectors.with_default_population(filters)
    state["filters"] = filters
    _survey_tables(request, state, filters, lang, only)
    if _wanted(only, "plan"):
        _planner(request, state, chosen)
    if _wanted(only, "comparison"):
        _comparison(request, state, filters, segment_values, lang)
    return state


def _wanted(only: str | None, *tables_: str) -> bool:
    """Whether the page (``only`` None) or the export of the table ``only`` needs one of
    ``tables_``."""
    return only is None or only in tables_


def _filters(form: DashboardForm, data: dict, survey_key: str, state: dict) -> Filters:
    """The filters of the form's data (the defaults, with the form's errors, when they do not
    build); sets ``state["filters"]``."""
    dim, seg = form.split_segment() if data else ("", "")
    today = dt.datetime.now(dt.UTC).date()
    try:
        filters = Filters.build(
            survey_key=survey_key,
            start=data.get("start"),
            end=data.get("end"),
            dimension=dim,
            segment=seg,
            confidence=float(data.get("confidence") or 0.95),
            population=data.get("population"),
            min_count=data.get("min_count"),
            method=data.get("method") or "",
            today=today,
        )
    except PlaintError as exc:
        apply_form_errors(form, exc)
        state["errors"] = True
        filters = Filters.build(survey_key=survey_key, today=today)
    state["filters"] = filters
    return filters


def _survey_tables(
    request: HttpRequest, state: dict, filters: Filters, lang: str, only: str | None
) -> None:
    """The survey measures, trends, segments and importance the page (or export) wants."""
    if _wanted(only, "measures", "comparison", "choices"):
        state["measures"] = selectors.measures(actor=request.user, filters=filters, language=lang)
        state["tables"]["measures"] = tables.measures_table(state["measures"])
        state["tables"]["choices"] = tables.choices_table(state["measures"])
    if _wanted(only, "trend"):
        state["trends"] = selectors.trends(actor=request.user, filters=filters, language=lang)
        state["tables"]["trend"] = tables.trend_table(state["trends"])
    if _wanted(only, "segments"):
        state["segments"] = selectors.segments(
            actor=request.user, filters=filters, dimension=state["breakdown"], language=lang
        )
        state["tables"]["segments"] = tables.segments_table(state["segments"])
    if _wanted(only, "importance", "reliability"):
        state["ipa"] = selectors.importance_performance(
            actor=request.user, filters=filters, language=lang
        )
        state["tables"]["importance"] = tables.importance_table(state["ipa"])
        state["tables"]["reliability"] = tables.reliability_table(state["ipa"])


def _planner(request: HttpRequest, state: dict, survey_key: str) -> None:
    bound = any(k.startswith("plan-") for k in request.GET)
    form = PlanForm(request.GET if bound else None, initial={"confidence": "0.95"})
    state["plan_form"] = form
    if not bound or not form.is_valid():
        return
    d = form.cleaned_data
    try:
        plan = selectors.sample_plan(
            actor=request.user,
            margin=float(d["margin"]) / 100,
            confidence=float(d["confidence"]),
            population=d.get("population"),
            proportion=float(d.get("proportion") or 50) / 100,
            response_rate=float(d["response_rate"]) / 100 if d.get("response_rate") else None,
            survey_key=survey_key,
        )
    except PlaintError as exc:
        apply_form_errors(form, exc)
        return
    state["plan"] = plan
    state["tables"]["plan"] = tables.plan_table(plan)


def _comparison(request, state, filters: Filters, segment_values, lang) -> None:
    questions = [(q["code"], q["label"]) for q in state["measures"]["questions"]]
    bound = any(k.startswith("cmp-") for k in request.GET)
    end = filters.end
    initial = {
        "a_start": f"{selectors.add_months(end, -5):%Y-%m}",
        "a_end": f"{selectors.add_months(end, -3):%Y-%m}",
        "b_start": f"{selectors.add_months(end, -2):%Y-%m}",
        "b_end": f"{end:%Y-%m}",
    }
    form = CompareForm(
        request.GET if bound else None,
        initial=initial,
        questions=questions,
        segments=segment_values,
    )
    state["compare_form"] = form
    if not bound or not questions or not form.is_valid():
        return
    d = form.cleaned_data

    def group(prefix: str) -> Filters:
        dim, seg = split_segment(d.get(f"{prefix}_segment"))
        return Filters.build(
            survey_key=filters.survey_key,
            start=d.get(f"{prefix}_start") or filters.start,
            end=d.get(f"{prefix}_end") or filters.end,
            dimension=dim,
            segment=seg,
            confidence=filters.confidence,
        )

    try:
        result = selectors.compare(
            actor=request.user,
            a=group("a"),
            b=group("b"),
            question_code=d["question"],
            language=lang,
        )
    except PlaintError as exc:
        apply_form_errors(form, exc)
        return
    state["comparison"] = result
    state["tables"]["comparison"] = tables.comparison_table(result)


def _charts(state: dict) -> dict:
    rtl = get_language_bidi()
    return {
        "trends": charts.survey_trend_charts(state.get("trends"), rtl)
        + _choice_charts(state.get("trends"), rtl),
        "indicators": _indicator_charts(state["indicators"], rtl),
        "ipa": _ipa_chart(state.get("ipa"), rtl),
        "segments": _segment_chart(state.get("segments"), state.get("measures"), rtl),
    }


def _choice_charts(trends: dict | None, rtl: bool) -> list:
    """One trend chart per option of each single-choice question: its share per month."""
    out: list = []
    for q in (trends or {}).get("choices", []):
        for k, option in enumerate(q["points"][0]["options"] if q["points"] else []):
            shares = [p["options"][k]["share"] for p in q["points"]]

            def v(key: str, shares: list = shares) -> list:
                return [None if s[key] is None else s[key] * 100 for s in shares]

            out.append(
                charts.trend_chart(
                    months=trends["months"] if trends else [],
                    values=v("value"),
                    lows=v("low"),
                    highs=v("high"),
                    y_range=(0, 100),
                    unit="%",
                    title=f"{q['label']} — {tables.option_measure(option['label'])}",
                    rtl=rtl,
                )
            )
    return out


def _ipa_chart(ipa: dict | None, rtl: bool) -> str | None:
    if not ipa or not ipa["attributes"]:
        return None
    return charts.ipa_chart(
        points=ipa["attributes"],
        importance_centre=ipa["importance_centre"],
        performance_centre=ipa["performance_centre"],
        quadrant_labels=tables.quadrant_labels(),
        x_label=_("Importance"),
        y_label=_("Performance"),
        title=_("Importance and performance"),
        rtl=rtl,
    )


def _segment_chart(seg: dict | None, measures: dict | None, rtl: bool) -> str | None:
    """The overall question (or the first) per segment value."""
    if not seg or not seg["rows"] or measures is None:
        return None
    questions = measures["questions"]
    overall = next(
        (q["code"] for q in questions if q["is_overall"]),
        questions[0]["code"] if questions else "",
    )
    rows = []
    for r in seg["rows"]:
        if r["code"] != overall:
            continue
        head = r[r["measure"]]
        scale = 1 if r["measure"] == "nps" else 100
        rows.append(
            {
                "label": r["segment_label"],
                "value": None if head is None else head["value"] * scale,
                "low": None if head is None else head["low"] * scale,
                "high": None if head is None else head["high"] * scale,
            }
        )
    nps = any(r["measure"] == "nps" for r in seg["rows"] if r["code"] == overall)
    return charts.bar_chart(
        rows=rows,
        x_range=(-100, 100) if nps else (0, 100),
        unit="" if nps else "%",
        title=_("Overall question by segment"),
        hidden_label=_("hidden: fewer than %(n)d answers") % {"n": seg["min_count"]},
        rtl=rtl,
    )


def _indicator_charts(result: dict, rtl: bool) -> list:
    """Complaints per 1,000 orders (exact Poisson band) and the repeat-complainant rate
    (Wilson band), month by month."""
    months = [m["month"] for m in result["months"]]
    out = []

    def series(key: str, interval: str, scale: float):
        values, lows, highs = [], [], []
        for m in result["months"]:
            ci = m.get(interval)
            ok = m[key] is not None and ci is not None
            values.append(m[key] * scale if ok else None)
            lows.append(ci[0] * scale if ok else None)
            highs.append(ci[1] * scale if ok else None)
        return values, lows, highs

    values, lows, highs = series("per_1000_orders", "per_1000_orders_interval", 1.0)
    if any(v is not None for v in values):
        top = max(h for h in highs if h is not None)
        out.append(
            charts.trend_chart(
                months=months,
                values=values,
                lows=lows,
                highs=highs,
                y_range=(0, max(top, 0.1)),
                unit="",
                title=_("Complaints per 1,000 orders"),
                rtl=rtl,
            )
        )
    values, lows, highs = series("repeat_rate", "repeat_interval", 100.0)
    if any(v is not None for v in values):
        out.append(
            charts.trend_chart(
                months=months,
                values=values,
                lows=lows,
                highs=highs,
                y_range=(0, 100),
                unit="%",
                title=_("Repeat complainants"),
                rtl=rtl,
            )
        )
    return out


@require_GET
@staff_page(can_read_insights)
@report_page
def dashboard(request: HttpRequest) -> HttpResponse:
    return _dashboard(request, _state(request))


def _dashboard(request: HttpRequest, state: dict) -> HttpResponse:
    context = state | {
        "charts": _charts(state),
        "can_import": can_import_volumes(request.user),
        "upload_form": VolumeUploadForm(),
        "imports": selectors.volume_imports(actor=request.user, limit=3),
        "query": request.GET.urlencode(),
        "hidden_filters": [
            (k, v) for k, v in request.GET.items() if not k.startswith(("plan-", "cmp-"))
        ],
    }
    return render(
        request, "insights/dashboard.html", context, status=400 if state["errors"] else 200
    )


@require_GET
@staff_page(can_read_insights)
@report_page
def export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    state = _state(request, only=table)
    if state["errors"]:
        # Not a file of another period than asked: the page, with the filters' errors.
        return _dashboard(request, _state(request))
    chosen = state["tables"].get(table)
    if chosen is None or fmt not in EXPORT_TYPES:
        return error_response(
            request,
            NotAllowed(_("That table is not on the page for these filters.")),
            status=404,
        )
    body = tables.to_csv(chosen) if fmt == "csv" else tables.to_xlsx(chosen)
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    name = f"plaint-{table}-{state['filters'].start:%Y-%m}-{state['filters'].end:%Y-%m}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@staff_page(can_read_insights)
def volumes_upload(request: HttpRequest) -> HttpResponse:
    form = VolumeUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > services.MAX_VOLUME_BYTES:
            messages.error(request, _("The file is larger than 1 MB."))
            return redirect("insights_staff:dashboard")
        try:
            record = services.volumes_import(
                actor=request.user, content=upload.read(), filename=upload.name
            )
        except NotAllowed as exc:
            return error_response(request, exc, status=403)
        except PlaintError as exc:
            messages.error(request, exc.message)
        else:
            text = _("%(ok)d of %(total)d rows imported.") % {
                "ok": record.rows_imported,
                "total": record.rows_total,
            }
            if record.errors:
                messages.warning(request, text + " " + _("See the rejected rows below."))
            else:
                messages.success(request, text)
    else:
        messages.error(request, _("Choose a CSV file to import."))
    return redirect("insights_staff:dashboard")
