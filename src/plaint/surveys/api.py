"""The surveys API: thin adapters that parse a typed request, call one selector or service, and
render a typed response. Errors are mapped once, in ``plaint.core.problem``."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Query, Router, Status

from plaint.accounts.access import can_configure, can_read_surveys
from plaint.accounts.api_auth import BearerToken, api_actor, api_user, may
from plaint.core.errors import TooLarge, ValidationFailed
from plaint.core.problem import Problem
from plaint.surveys import selectors, services
from plaint.surveys.models import Response, Survey
from plaint.surveys.schemas import (
    ContactPageOut,
    ContactQuery,
    ContactsImportIn,
    ImportIn,
    ImportReportOut,
    InvitationIn,
    InvitationOut,
    InvitationPageOut,
    InvitationQuery,
    PageQuery,
    QuestionIn,
    QuestionOut,
    QuestionUpdateIn,
    ResponseOut,
    ResponsePageOut,
    SurveyDetailOut,
    SurveyIn,
    SurveyOut,
    SurveyUpdateIn,
    UploadOut,
    WaveIn,
    WaveOut,
)

router = Router(tags=["surveys"], auth=BearerToken())

_READ: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
_WRITE: dict[int, Any] = {**_READ, 400: Problem, 409: Problem}


def _detail(survey: Survey) -> dict[str, Any]:
    return {
        **{f: getattr(survey, f) for f in SurveyOut.model_fields},
        "questions": selectors.survey_questions(survey=survey),
    }


def _response(r: Response) -> dict[str, Any]:
    return {
        "id": r.pk,
        "survey_id": r.survey_id,
        "submitted_at": r.submitted_at,
        "language": r.language,
        "channel": r.channel,
        "category": r.category.code if r.category else None,
        "product": r.product,
        "segment": r.segment,
        "source": r.source,
        "external_id": r.external_id,
        "complaint": r.complaint.reference if r.complaint else None,
        "answers": [
            {"question": a.question.code, "value": a.value, "text": a.text, "choices": a.choices}
            for a in sorted(r.answers.all(), key=lambda a: a.question.position)
        ],
    }


def _report(report: services.ImportReport) -> dict[str, Any]:
    return {
        "imported": report.imported,
        "updated": report.updated,
        "followed_up": report.followed_up,
        "rejected": report.rejected,
        "errors": [{"line": line, "message": message} for line, message in report.errors],
        "skipped_answers": [{"line": line, "message": message} for line, message in report.skipped],
        "missing_values": report.missing_values,
        "recoded": [
            {"column": column, "value": old, "read_as": new, "count": count}
            for (column, old, new), count in report.recoded.items()
        ],
    }


def _settings(payload) -> dict[str, Any]:
    return {
        k: v
        for k, v in payload.model_dump(exclude={"key", "kind", "title", "intro"}).items()
        if v is not None
    }


# --- surveys ----------------------------------------------------------------------------------


@router.get(
    "/surveys",
    response={200: list[SurveyOut], **_READ},
    summary="List surveys (all versions)",
    auth=may(can_read_surveys, gettext_noop("read surveys")),
)
def survey_list(request: HttpRequest):
    return selectors.survey_list(actor=api_user(request))


@router.post(
    "/surveys",
    response={201: SurveyDetailOut, **_WRITE},
    summary="Create a draft survey",
    auth=may(can_configure, gettext_noop("build surveys")),
)
def survey_create(request: HttpRequest, payload: SurveyIn):
    survey = services.survey_create(
        actor=api_actor(request),
        key=payload.key,
        kind=payload.kind,
        title=payload.title,
        intro=payload.intro,
        **_settings(payload),
    )
    return Status(201, _detail(survey))


@router.get(
    "/surveys/{survey_id}",
    response={200: SurveyDetailOut, **_READ},
    summary="One survey version with its questions",
    auth=may(can_read_surveys, gettext_noop("read surveys")),
)
def survey_detail(request: HttpRequest, survey_id: int):
    return _detail(selectors.survey_get(actor=api_user(request), survey_id=survey_id))


@router.patch(
    "/surveys/{survey_id}",
    response={200: SurveyDetailOut, **_WRITE},
    summary="Change a survey without responses",
    auth=may(can_configure, gettext_noop("edit surveys")),
)
def survey_update(request: HttpRequest, survey_id: int, payload: SurveyUpdateIn):
    changes = {k: v for k, v in payload.model_dump().items() if v is not None}
    survey = services.survey_update(actor=api_actor(request), survey_id=survey_id, **changes)
    return _detail(survey)


@router.post(
    "/surveys/{survey_id}/versions",
    response={201: SurveyDetailOut, **_WRITE},
    summary="Copy the survey into a new draft version (to change a survey that has responses)",
    auth=may(can_configure, gettext_noop("edit surveys")),
)
def survey_new_version(request: HttpRequest, survey_id: int):
    return Status(
        201, _detail(services.survey_new_version(actor=api_actor(request), survey_id=survey_id))
    )


@router.post(
    "/surveys/{survey_id}/activate",
    response={200: SurveyDetailOut, **_WRITE},
    summary="Activate (archives the version it replaces)",
    auth=may(can_configure, gettext_noop("activate surveys")),
)
def survey_activate(request: HttpRequest, survey_id: int):
    return _detail(services.survey_activate(actor=api_actor(request), survey_id=survey_id))


@router.post(
    "/surveys/{survey_id}/archive",
    response={200: SurveyDetailOut, **_WRITE},
    summary="Archive",
    auth=may(can_configure, gettext_noop("archive surveys")),
)
def survey_archive(request: HttpRequest, survey_id: int):
    return _detail(services.survey_archive(actor=api_actor(request), survey_id=survey_id))


# --- questions --------------------------------------------------------------------------------


@router.get(
    "/surveys/{survey_id}/questions",
    response={200: list[QuestionOut], **_READ},
    summary="A survey's questions in order",
    auth=may(can_read_surveys, gettext_noop("read surveys")),
)
def question_list(request: HttpRequest, survey_id: int):
    survey = selectors.survey_get(actor=api_user(request), survey_id=survey_id)
    return selectors.survey_questions(survey=survey)


@router.post(
    "/surveys/{survey_id}/questions",
    response={201: QuestionOut, **_WRITE},
    summary="Add a question",
    auth=may(can_configure, gettext_noop("edit surveys")),
)
def question_add(request: HttpRequest, survey_id: int, payload: QuestionIn):
    data = payload.model_dump()
    question = services.question_add(actor=api_actor(request), survey_id=survey_id, **data)
    return Status(201, question)


@router.patch(
    "/questions/{question_id}",
    response={200: QuestionOut, **_WRITE},
    summary="Change a question (survey without responses)",
    description="Only the fields given change. Refused (409) once the survey has responses: "
    "create a new version (`POST /surveys/{id}/versions`) and change the question there. "
    "Invalid values give 422 with the field named.",
    auth=may(can_configure, gettext_noop("edit surveys")),
)
def question_update(request: HttpRequest, question_id: int, payload: QuestionUpdateIn):
    data = payload.model_dump(exclude_unset=True)
    return services.question_update(actor=api_actor(request), question_id=question_id, **data)


@router.delete(
    "/questions/{question_id}",
    response={204: None, **_WRITE},
    summary="Remove a question",
    auth=may(can_configure, gettext_noop("edit surveys")),
)
def question_remove(request: HttpRequest, question_id: int):
    services.question_remove(actor=api_actor(request), question_id=question_id)
    return Status(204, None)


# --- invitations ------------------------------------------------------------------------------


@router.get(
    "/surveys/{survey_id}/invitations",
    response={200: InvitationPageOut, **_READ},
    summary="Invitations, newest first (keyset pages)",
    auth=may(can_read_surveys, gettext_noop("read surveys")),
)
def invitation_list(request: HttpRequest, survey_id: int, query: Query[InvitationQuery]):
    user = api_user(request)
    survey = selectors.survey_get(actor=user, survey_id=survey_id)
    page = selectors.invitation_list(
        actor=user,
        survey=survey,
        state=query.state.value if query.state else "",
        cursor=query.cursor,
        limit=query.limit,
    )
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.post(
    "/surveys/{survey_id}/invitations",
    response={201: InvitationOut, **_WRITE},
    summary="Invite a contact, a complainant or an address now",
    description="Give `contact_id`, `complaint_id` or `email`. Refused (409) for an address that "
    "opted out or was invited within the survey's quiet period.",
    auth=may(can_configure, gettext_noop("invite customers to surveys")),
)
def invitation_create(request: HttpRequest, survey_id: int, payload: InvitationIn):
    invitation = services.invitation_create(
        actor=api_actor(request), survey_id=survey_id, **payload.model_dump()
    )
    return Status(201, invitation)


@router.post(
    "/invitations/{invitation_id}/cancel",
    response={200: InvitationOut, **_WRITE},
    summary="Cancel one scheduled or sent invitation",
    description="Its link stops working and no reminder follows. Refused (409) for an invitation "
    "already answered, expired, opted out or cancelled.",
    auth=may(can_configure, gettext_noop("cancel invitations")),
)
def invitation_cancel(request: HttpRequest, invitation_id: int):
    return services.invitation_cancel(actor=api_actor(request), invitation_id=invitation_id)


@router.post(
    "/surveys/{survey_id}/waves",
    response={200: WaveOut, **_WRITE},
    summary="Invite the contact list now (relationship surveys)",
    auth=may(can_configure, gettext_noop("invite customers to surveys")),
)
def survey_wave(request: HttpRequest, survey_id: int, payload: WaveIn):
    report = services.survey_invite_contacts(
        actor=api_actor(request), survey_id=survey_id, segment=payload.segment
    )
    return report.__dict__


# --- responses --------------------------------------------------------------------------------


@router.get(
    "/surveys/{survey_id}/responses",
    response={200: ResponsePageOut, **_READ},
    summary="Submitted responses, newest first (keyset pages)",
    auth=may(can_read_surveys, gettext_noop("read surveys")),
)
def response_list(request: HttpRequest, survey_id: int, query: Query[PageQuery]):
    user = api_user(request)
    survey = selectors.survey_get(actor=user, survey_id=survey_id)
    page = selectors.response_list(
        actor=user, survey=survey, cursor=query.cursor, limit=query.limit
    )
    return {"items": [_response(r) for r in page.items], "next_cursor": page.next_cursor}


@router.get(
    "/responses/{response_id}",
    response={200: ResponseOut, **_READ},
    summary="One response with its answers",
    auth=may(can_read_surveys, gettext_noop("read surveys")),
)
def response_detail(request: HttpRequest, response_id: int):
    return _response(selectors.response_get(actor=api_user(request), response_id=response_id))


ENCODING_CHOICES = Literal[
    "auto", "utf-8", "utf-16", "cp1252", "cp1257", "cp1251", "cp1256", "iso-8859-15"
]


@router.post(
    "/surveys/{survey_id}/responses/uploads",
    response={201: UploadOut, **_WRITE, 413: Problem},
    summary="Send a responses file as it is (any encoding), to import it by its id",
    description="The request body is the file itself (e.g. `Content-Type: text/csv`), up to "
    "`PLAINT_IMPORT_MAX_BYTES` (20 MB by default), the same limit as the staff page. The encoding "
    "is detected (`encoding=auto`) or given. The answer names the stored file (`upload`) for "
    "`POST /surveys/{id}/responses/import`, with the header and the first rows as read.",
    auth=may(can_configure, gettext_noop("import responses")),
)
def response_upload(request: HttpRequest, survey_id: int, encoding: ENCODING_CHOICES = "auto"):
    actor = api_actor(request)
    selectors.survey_get(actor=api_user(request), survey_id=survey_id)  # 404: unknown survey
    limit = services.import_max_bytes()
    # read from the stream, not request.body: Django's request-size limit (2 MB) is for forms
    # and JSON; a file has its own, stated limit
    data = request.read(limit + 1)
    if len(data) > limit:
        message = services.too_large_message()
        raise TooLarge(message, fields={"body": [message]})
    stored = services.import_upload_store(actor=actor, data=data, encoding=encoding)
    return Status(
        201,
        {
            "upload": stored.id,
            "encoding": stored.encoding,
            "guessed": not stored.sure,
            "header": stored.header,
            "preview": stored.preview,
            "rows": stored.row_count,
            "bytes": stored.size,
        },
    )


@router.post(
    "/surveys/{survey_id}/responses/import",
    response={200: ImportReportOut, **_WRITE},
    summary="Import responses collected elsewhere (CSV with a column mapping)",
    description="Good rows go in together in one transaction; each bad row is reported with its "
    "line number and left out; no row goes in half.",
    auth=may(can_configure, gettext_noop("import responses")),
)
def response_import(request: HttpRequest, survey_id: int, payload: ImportIn):
    actor = api_actor(request)
    if (payload.csv is None) == (payload.upload is None):
        message = _("Send the file's text as `csv`, or name an uploaded file as `upload`.")
        raise ValidationFailed(message, fields={"csv": [message], "upload": [message]})
    if payload.upload is not None:
        data = services.import_upload_text(upload_id=payload.upload)
    else:
        data = payload.csv or ""
    report = services.responses_import_csv(
        actor=actor,
        survey_id=survey_id,
        data=data,
        mapping=payload.mapping,
        follow_up=payload.follow_up,
        missing_tokens=payload.missing_tokens,
        recode=payload.recode,
    )
    if payload.upload is not None:
        services.import_upload_discard(upload_id=payload.upload)
    return _report(report)


@router.get(
    "/contacts",
    response={200: ContactPageOut, **_READ},
    summary="The relationship-survey contact list, newest first (keyset pages)",
    description="Filter by `segment` and by `opted_out` (the address is on the suppression "
    "list). Pass `next_cursor` as `cursor` for the next page.",
    auth=may(can_read_surveys, gettext_noop("read surveys")),
)
def contact_list(request: HttpRequest, query: Query[ContactQuery]):
    page = selectors.contact_list(
        actor=api_user(request),
        segment=query.segment,
        opted_out=query.opted_out,
        cursor=query.cursor,
        limit=query.limit,
    )
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.post(
    "/contacts/import",
    response={200: ImportReportOut, **_WRITE},
    summary="Import the relationship-survey contact list (CSV)",
    auth=may(can_configure, gettext_noop("import contacts")),
)
def contacts_import(request: HttpRequest, payload: ContactsImportIn):
    return _report(services.contacts_import_csv(actor=api_actor(request), data=payload.csv))
