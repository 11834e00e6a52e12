"""The staff pages of surveys: list, builder, invitations, responses (export, import), contacts
and callback tasks. Every staff role reads; managers and admins change (the services check too)."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from plaint.accounts.access import can_configure, can_read_surveys
from plaint.accounts.gates import staff_page
from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, ValidationFailed
from plaint.core.pagination import page_size
from plaint.core.spreadsheets import spreadsheet_safe
from plaint.core.views import (
    apply_form_errors,
    error_response,
    errors_as_pages,
    in_organisation_timezone,
)
from plaint.surveys import selectors, services
from plaint.surveys.forms import (
    CallbackDoneForm,
    CsvUploadForm,
    InviteForm,
    QuestionForm,
    SurveyCreateForm,
    SurveySettingsForm,
    WaveForm,
    question_initial,
)
from plaint.surveys.models import SurveyKind
from plaint.surveys.states import OPEN_INVITATION_STATES, SurveyState, survey_allowed_steps


def _limit(raw: str | None) -> int:
    return page_size(raw, default=50)


@require_http_methods(["GET"])
@staff_page(can_read_surveys)
@errors_as_pages
@in_organisation_timezone
def survey_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "surveys/staff/list.html",
        {
            "surveys": selectors.survey_list(actor=request.user),
            "can_configure": can_configure(request.user),
            "open_callbacks": selectors.callback_open_count(actor=request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_page(can_configure)
@errors_as_pages
@in_organisation_timezone
def survey_new(request: HttpRequest) -> HttpResponse:
    form = SurveyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.settings()
        try:
            survey = services.survey_create(
                actor=Actor.staff(request.user),
                key=form.cleaned_data["key"],
                kind=form.cleaned_data["kind"],
                **data,
            )
        except ValidationFailed as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("Survey created. Add its questions."))
            return redirect("surveys_staff:detail", survey.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "surveys/staff/form.html", {"form": form, "title": _("New survey")}, status=status
    )


def _survey_initial(survey) -> dict[str, Any]:
    initial = {name: getattr(survey, name) for name in services.SURVEY_SETTINGS}
    for lang, text in survey.title.items():
        initial[f"title_{lang}"] = text
    for lang, text in survey.intro.items():
        initial[f"intro_{lang}"] = text
    return initial


@require_http_methods(["GET", "POST"])
@staff_page(can_configure)
@errors_as_pages
@in_organisation_timezone
def survey_edit(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get(actor=request.user, survey_id=survey_id)
    form = SurveySettingsForm(request.POST or None, initial=_survey_initial(survey))
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(
                actor=Actor.staff(request.user), survey_id=survey.pk, **form.settings()
            )
        except ValidationFailed as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("Survey saved."))
            return redirect("surveys_staff:detail", survey.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "surveys/staff/form.html",
        {
            "form": form,
            "survey": survey,
            "title": _("Edit “%(t)s”") % {"t": survey.title_in(get_language() or "en")},
        },
        status=status,
    )


@require_http_methods(["GET"])
@staff_page(can_read_surveys)
@errors_as_pages
@in_organisation_timezone
def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get(actor=request.user, survey_id=survey_id)
    return _detail(request, survey)


def _detail(request, survey, *, question_form=None, invite_form=None, status=200) -> HttpResponse:
    has_responses = selectors.survey_has_responses(survey=survey)
    editable = survey.state != SurveyState.ARCHIVED and not has_responses
    return render(
        request,
        "surveys/staff/detail.html",
        {
            "survey": survey,
            "questions": selectors.survey_questions(survey=survey),
            "counts": selectors.survey_counts(survey=survey),
            "steps": survey_allowed_steps(survey.state),
            "editable": editable,
            "has_responses": has_responses,
            "can_configure": can_configure(request.user),
            "question_form": question_form or QuestionForm(prefix="q"),
            "invite_form": invite_form or InviteForm(prefix="inv"),
            "wave_form": WaveForm(prefix="wave"),
            "is_relationship": survey.kind == SurveyKind.RELATIONSHIP,
        },
        status=status,
    )


@require_POST
@staff_page(can_configure)
@errors_as_pages
@in_organisation_timezone
def survey_step(request: HttpRequest, survey_id: int, step: str) -> HttpResponse:
    actor = Actor.staff(request.user)
    calls = {
        "activate": services.survey_activate,
        "archive": services.survey_archive,
        "new_version": services.survey_new_version,
    }
    if step not in calls:
        return error_response(request, ValidationFailed(_("Unknown step.")), status=404)
    survey = calls[step](actor=actor, survey_id=survey_id)
    messages.success(request, _("Done."))
    return redirect("surveys_staff:detail", survey.pk)


@require_POST
@staff_page(can_configure)
@errors_as_pages
@in_organisation_timezone
def question_add(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get(actor=request.user, survey_id=survey_id)
    form = QuestionForm(request.POST, prefix="q")
    if form.is_valid():
        try:
            services.question_add(
                actor=Actor.staff(request.user), survey_id=survey.pk, **form.question()
            )
        except ValidationFailed as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("Question added."))
            return redirect("surveys_staff:detail", survey.pk)
    return _detail(request, survey, question_form=form, status=422)


@require_http_methods(["GET", "POST"])
@staff_page(can_configure)
@errors_as_pages
@in_organisation_timezone
def question_edit(request: HttpRequest, question_id: int) -> HttpResponse:
    """Change one question (texts, labels, scale, attribute, weight, overall flag, options) while
    its survey has no responses; afterwards the page refuses with 409 and a new version is the way."""
    question = selectors.question_get(actor=request.user, question_id=question_id)
    survey = question.survey
    services.survey_check_editable(survey=survey)
    form = QuestionForm(request.POST or None, prefix="q", initial=question_initial(question))
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(
                actor=Actor.staff(request.user), question_id=question.pk, **form.question()
            )
        except ValidationFailed as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("Question saved."))
            return redirect("surveys_staff:detail", survey.pk)
    return render(
        request,
        "surveys/staff/question_edit.html",
        {"form": form, "survey": survey, "question": question},
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@staff_page(can_configure)
@errors_as_pages
@in_organisation_timezone
def question_step(request: HttpRequest, question_id: int, step: str) -> HttpResponse:
    if step not in ("remove", "up", "down"):
        return error_response(request, ValidationFailed(_("Unknown step.")), status=404)
    question = selectors.question_get(actor=request.user, question_id=question_id)
    actor = Actor.staff(request.user)
    if step == "remove":
        services.question_remove(actor=actor, question_id=question_id)
    else:
        services.question_move(actor=actor, question_id=question_id, up=step == "up")
    return redirect("surveys_staff:detail", question.survey_id)


@require_POST
@staff_page(can_configure)
@errors_as_pages
@in_organisation_timezone
def invite(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get(actor=request.user, survey_id=survey_id)
    form = InviteForm(request.POST, prefix="inv")
    if form.is_valid():
        try:
            services.invitation_create(
                actor=Actor.staff(request.user), survey_id=survey.pk, **form.cleaned_data
            )
        except ValidationFailed as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("Invitation sent."))
            return redirect("surveys_staff:detail", survey.pk)
    return _detail(request, survey, invite_form=form, status=422)


@require_POST
@staff_page(can_configure)
@errors_as_pages
@in_organisation_timezone
def wave(request: HttpRequest, survey_id: int) -> HttpResponse:
    form = WaveForm(request.POST, prefix="wave")
    segment = form.cleaned_data["segment"] if form.is_valid() else ""
    report = services.survey_invite_contacts(
        actor=Actor.staff(request.user), survey_id=survey_id, segment=segment
    )
    messages.success(
        request,
        _("%(n)s invited; %(o)s opted out, %(q)s in their quiet period, %(s)s not sampled.")
        % {
            "n": report.invited,
            "o": report.opted_out,
            "q": report.quiet_period,
            "s": report.not_sampled,
        },
    )
    return redirect("surveys_staff:detail", survey_id)


@require_http_methods(["GET"])
@staff_page(can_read_surveys)
@errors_as_pages
@in_organisation_timezone
def responses(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get(actor=request.user, survey_id=survey_id)
    page = selectors.response_list(
        actor=request.user,
        survey=survey,
        cursor=request.GET.get("cursor") or None,
        limit=_limit(request.GET.get("limit")),
    )
    questions = selectors.survey_questions(survey=survey)
    rows = []
    for r in page.items:
        by_q = {a.question_id: a for a in r.answers.all()}
        rows.append((r, [selectors.answer_cell(q, by_q.get(q.pk)) for q in questions]))
    return render(
        request,
        "surveys/staff/responses.html",
        {"survey": survey, "questions": questions, "rows": rows, "page": page},
    )


@require_http_methods(["GET"])
@staff_page(can_read_surveys)
@errors_as_pages
@in_organisation_timezone
def invitations(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get(actor=request.user, survey_id=survey_id)
    page = selectors.invitation_list(
        actor=request.user,
        survey=survey,
        state=request.GET.get("state", ""),
        cursor=request.GET.get("cursor") or None,
        limit=_limit(request.GET.get("limit")),
    )
    return render(
        request,
        "surveys/staff/invitations.html",
        {
            "survey": survey,
            "page": page,
            "state": request.GET.get("state", ""),
            "can_configure": can_configure(request.user),
            "open_states": sorted(OPEN_INVITATION_STATES),
        },
    )


@require_POST
@staff_page(can_configure)
@errors_as_pages
@in_organisation_timezone
def invitation_cancel(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """Cancel one scheduled or sent invitation: its link stops working and no reminder follows."""
    invitation = services.invitation_cancel(
        actor=Actor.staff(request.user), invitation_id=invitation_id
    )
    messages.success(request, _("Invitation to %(email)s cancelled.") % {"email": invitation.email})
    return redirect("surveys_staff:invitations", invitation.survey_id)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_stream(header: list[str], rows: Iterator[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)  # the BOM makes spreadsheet programs read UTF-8
    for row in rows:
        yield writer.writerow(
            [
                ""
                if v is None
                else (v.isoformat() if hasattr(v, "isoformat") else spreadsheet_safe(v))
                for v in row
            ]
        )


@require_http_methods(["GET"])
@staff_page(can_read_surveys)
@errors_as_pages
@in_organisation_timezone
def export_csv(request: HttpRequest, survey_id: int) -> StreamingHttpResponse:
    survey = selectors.survey_get(actor=request.user, survey_id=survey_id)
    header = selectors.export_header(questions=selectors.survey_questions(survey=survey))
    response = StreamingHttpResponse(
        _csv_stream(header, selectors.export_rows(actor=request.user, survey=survey)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{survey.key}-v{survey.version}.csv"'
    return response


@require_http_methods(["GET"])
@staff_page(can_read_surveys)
@errors_as_pages
@in_organisation_timezone
def export_xlsx(request: HttpRequest, survey_id: int) -> FileResponse:
    """The responses as a workbook. openpyxl's write-only mode streams the rows into a temporary
    file (never the whole workbook in memory); the file is unlinked as soon as it is open for
    sending, so nothing is left on disk once the response is closed, even on an error."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import save_workbook

    survey = selectors.survey_get(actor=request.user, survey_id=survey_id)
    header = selectors.export_header(questions=selectors.survey_questions(survey=survey))
    fd, path = tempfile.mkstemp(prefix="plaint-export-", suffix=".xlsx")
    os.close(fd)
    try:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("responses")
        sheet.append(header)
        for row in selectors.export_rows(actor=request.user, survey=survey):
            sheet.append(
                [
                    v.replace(tzinfo=None)
                    if hasattr(v, "tzinfo") and v.tzinfo
                    else spreadsheet_safe(v)
                    for v in row
                ]
            )
        save_workbook(workbook, path)  # a file write, not a model write
        handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it after sending
    finally:
        os.unlink(path)  # the open handle still reads it; the space is freed when it closes
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{survey.key}-v{survey.version}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require_http_methods(["GET", "POST"])
@staff_page(can_read_surveys)
@errors_as_pages
@in_organisation_timezone
def contacts(request: HttpRequest) -> HttpResponse:
    report = None
    upload = CsvUploadForm()
    status = 200
    if request.method == "POST":
        if not can_configure(request.user):
            return error_response(request, NotAllowed(_("Your role may not do this.")), status=403)
        upload = CsvUploadForm(request.POST, request.FILES)
        if upload.is_valid():
            try:
                text = services.decode_upload(upload.text(), upload.chosen_encoding()).text
                report = services.contacts_import_csv(actor=Actor.staff(request.user), data=text)
            except ValidationFailed as exc:
                apply_form_errors(upload, exc)
                status = 422
        else:
            status = 422
    page = selectors.contact_list(
        actor=request.user,
        segment=request.GET.get("segment", ""),
        cursor=request.GET.get("cursor") or None,
        limit=_limit(request.GET.get("limit")),
    )
    return render(
        request,
        "surveys/staff/contacts.html",
        {
            "page": page,
            "total": selectors.contact_count(actor=request.user),
            "upload_form": upload,
            "report": report,
            "can_configure": can_configure(request.user),
        },
        status=status,
    )


@require_http_methods(["GET"])
@staff_page(can_read_surveys)
@errors_as_pages
@in_organisation_timezone
def callbacks(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "open")
    page = selectors.callback_list(
        actor=request.user,
        state=state if state in ("open", "done") else "",
        cursor=request.GET.get("cursor") or None,
        limit=_limit(request.GET.get("limit")),
    )
    return render(
        request,
        "surveys/staff/callbacks.html",
        {
            "page": page,
            "state": state,
            "form": CallbackDoneForm(),
            "can_configure": can_configure(request.user),
        },
    )


@require_POST
@staff_page(can_configure)
@errors_as_pages
@in_organisation_timezone
def callback_done(request: HttpRequest, callback_id: int) -> HttpResponse:
    form = CallbackDoneForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.callback_done(actor=Actor.staff(request.user), callback_id=callback_id, note=note)
    messages.success(request, _("Callback marked done."))
    return redirect("surveys_staff:callbacks")
