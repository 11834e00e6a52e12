"""The policy and training API. The policy in force as the public reads it (the public itself
reads the page ``/policy/``; every operation here takes a token, like the rest of the API); every
version, drafts included, is read by staff and written by managers and admins. Training: every staff role reads
(a handler only their own records), managers and admins record."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, get_args

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Header, Query, Router, Schema, Status
from pydantic import StrictBool

from plaint.accounts.access import can_configure, can_read_complaints
from plaint.accounts.api_auth import BearerToken, api_actor, api_principal, api_user, may
from plaint.core.bounds import Day
from plaint.core.errors import NotFound
from plaint.core.idempotency import idempotent_run
from plaint.core.problem import Problem
from plaint.improvement import services
from plaint.improvement.models_policy import Course, PolicyRole, PolicyVersion, TrainingRecord
from plaint.improvement.selectors_policy import (
    own_language,
    policy_current,
    policy_get,
    policy_reading,
    policy_versions,
)
from plaint.improvement.selectors_training import (
    DUE_WITHIN_DAYS,
    competence_matrix,
    course_get,
    course_list,
    training_record_get,
    training_records,
)

router = Router(tags=["policy and training"], auth=BearerToken())

_READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
_WRITE_ERRORS: dict[int, Any] = {**_READ_ERRORS, 400: Problem, 409: Problem}
READ = gettext_noop("read the policy and training records")
WRITE_POLICY = gettext_noop("write the complaints-handling policy")
WRITE_TRAINING = gettext_noop("keep training records")
Language = Literal["en", "et", "uk", "sv", "fa"]
Texts = dict[Language, str]
Role = Literal["top_management", "manager", "handler", "auditor", "all_staff"]
Duties = dict[Role, dict[Language, list[str]]]
# the schema's lists are the site's languages and the policy's roles, nothing else
assert set(get_args(Language)) == {code for code, _name in settings.LANGUAGES}
assert set(get_args(Role)) == set(PolicyRole.values)


class ResponsibilityOut(Schema):
    role: str
    label: str
    duties: list[str]


class PolicyPublicOut(Schema):
    version: int
    language: str = Field(description="The language shown")
    asked_language: str
    fell_back: bool = Field(description="True when the version has no text in the one asked")
    languages: list[str]
    title: str
    text: str
    html: str = Field(description="The text as sanitised HTML")
    responsibilities: list[ResponsibilityOut]
    effective_from: dt.date | None


class PolicyIn(Schema):
    title: Texts | None = None
    body: Texts | None = Field(None, description="{language: text}; a blank text removes it")
    responsibilities: Duties | None = Field(
        None, description="{role: {language: [duty, …]}}; an empty list removes it"
    )
    change_note: str | None = Field(None, max_length=500)


class PolicyOut(Schema):
    version: int
    state: str
    title: dict[str, str]
    body: dict[str, str]
    responsibilities: dict[str, dict[str, list[str]]]
    change_note: str
    languages: list[str]
    created_at: dt.datetime
    published_at: dt.datetime | None
    effective_from: dt.date | None
    effective_to: dt.date | None


class CourseIn(Schema):
    name: str = Field(max_length=200)
    description: str = Field("", max_length=5000)
    validity_months: int | None = Field(None, ge=1, le=120)
    required_for: list[Literal["admin", "manager", "handler", "auditor"]] = Field(
        default_factory=list
    )


class CourseChangeIn(Schema):
    name: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)
    validity_months: int | None = Field(None, ge=1, le=120)
    required_for: list[Literal["admin", "manager", "handler", "auditor"]] | None = None
    active: StrictBool | None = None


class CourseOut(Schema):
    id: int
    name: str
    description: str
    validity_months: int | None
    required_for: list[str]
    active: bool


class TrainingIn(Schema):
    person_id: int
    course_id: int
    completed_on: Day
    valid_until: Day | None = Field(None, description="Default: from the course's validity")
    evidence: str = Field("", max_length=500)


class TrainingOut(Schema):
    id: int
    person: str
    course_id: int
    course: str
    completed_on: dt.date
    valid_until: dt.date | None
    evidence: str
    recorded_by: str


class RecordsQuery(Schema):
    person_id: int = Field(ge=1, le=2_147_483_647, description="The member of staff (a user id)")


class CompetenceQuery(Schema):
    on: Day | None = Field(None, description="The day the status is for (default: today)")
    within_days: int = Field(
        DUE_WITHIN_DAYS, ge=0, le=3650, description="Due: valid for at most this many more days"
    )


class CompetenceOut(Schema):
    person: str
    role: str
    course_id: int
    course: str
    required: bool
    status: Literal["valid", "due", "expired", "never"]
    completed_on: dt.date | None
    valid_until: dt.date | None


def _policy(p: PolicyVersion) -> dict[str, Any]:
    return {name: getattr(p, name) for name in PolicyOut.model_fields}


def _course(c: Course) -> dict[str, Any]:
    return {name: getattr(c, name) for name in CourseOut.model_fields}


def _record(r: TrainingRecord) -> dict[str, Any]:
    return {
        "id": r.pk,
        "person": r.person.get_username(),
        "course_id": r.course_id,
        "course": r.course.name,
        "completed_on": r.completed_on,
        "valid_until": r.valid_until,
        "evidence": r.evidence,
        "recorded_by": r.recorded_by.get_username(),
    }


@router.get(
    "/policy",
    response={200: PolicyPublicOut, **_READ_ERRORS},
    summary="The complaints-handling policy in force, as the public page /policy/ shows it in "
    "a language (the organisation's when it has no text in the one asked)",
    auth=may(can_read_complaints, READ),
)
def policy_public(request: HttpRequest, lang: Language | None = None):
    policy = policy_current()
    if policy is None:
        raise NotFound(_("No complaints-handling policy is published yet."))
    reading = policy_reading(policy, lang or own_language())
    return {
        "version": policy.version,
        "language": reading.language,
        "asked_language": reading.asked,
        "fell_back": reading.fell_back,
        "languages": policy.languages,
        "title": reading.title,
        "text": policy.body.get(reading.language, ""),
        "html": str(reading.html),
        "responsibilities": [r.__dict__ for r in reading.responsibilities],
        "effective_from": policy.effective_from,
    }


@router.get(
    "/policy/versions",
    response={200: list[PolicyOut], **_READ_ERRORS},
    summary="Every version of the policy, newest first, drafts included",
    auth=may(can_read_complaints, READ),
)
def policy_version_list(request: HttpRequest):
    return [_policy(p) for p in policy_versions(actor=api_user(request))]


@router.post(
    "/policy/versions",
    response={200: PolicyOut, 201: PolicyOut, **_WRITE_ERRORS},
    summary="Start a draft from the latest version with the texts given (honours an "
    "Idempotency-Key); a second draft is a 409",
    auth=may(can_configure, WRITE_POLICY),
)
def policy_version_create(
    request: HttpRequest,
    payload: PolicyIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    outcome = idempotent_run(
        key=idempotency_key,
        principal=api_principal(request),
        operation="policy_version_create",
        payload=lambda: payload.model_dump(mode="json"),
        action=lambda: (
            services.policy_draft_create(actor=api_actor(request), **payload.model_dump()).version
        ),
    )
    policy = policy_get(actor=api_user(request), version=outcome.result_id)
    return Status(200 if outcome.replayed else 201, _policy(policy))


@router.get(
    "/policy/versions/{version}",
    response={200: PolicyOut, **_READ_ERRORS},
    summary="One version of the policy",
    auth=may(can_read_complaints, READ),
)
def policy_version_detail(request: HttpRequest, version: int):
    return _policy(policy_get(actor=api_user(request), version=version))


@router.patch(
    "/policy/versions/{version}",
    response={200: PolicyOut, **_WRITE_ERRORS},
    summary="Change a draft: the languages given replace theirs; a published version is a 409",
    auth=may(can_configure, WRITE_POLICY),
)
def policy_version_change(request: HttpRequest, version: int, payload: PolicyIn):
    policy = services.policy_draft_update(
        actor=api_actor(request), version=version, **payload.model_dump()
    )
    return _policy(policy)


@router.post(
    "/policy/versions/{version}/publish",
    response={200: PolicyOut, **_WRITE_ERRORS},
    summary="Publish a draft: in force from today, the version before superseded",
    auth=may(can_configure, WRITE_POLICY),
)
def policy_version_publish(request: HttpRequest, version: int):
    return _policy(services.policy_publish(actor=api_actor(request), version=version))


@router.get(
    "/training/courses",
    response={200: list[CourseOut], **_READ_ERRORS},
    summary="Courses and competences, with the roles that require them",
    auth=may(can_read_complaints, READ),
)
def courses(request: HttpRequest):
    return [_course(c) for c in course_list()]


@router.post(
    "/training/courses",
    response={200: CourseOut, 201: CourseOut, **_WRITE_ERRORS},
    summary="Add a course (honours an Idempotency-Key)",
    auth=may(can_configure, WRITE_TRAINING),
)
def course_create(
    request: HttpRequest,
    payload: CourseIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    outcome = idempotent_run(
        key=idempotency_key,
        principal=api_principal(request),
        operation="course_create",
        payload=lambda: payload.model_dump(mode="json"),
        action=lambda: services.course_create(actor=api_actor(request), **payload.model_dump()).pk,
    )
    return Status(
        200 if outcome.replayed else 201, _course(course_get(course_id=outcome.result_id))
    )


@router.patch(
    "/training/courses/{course_id}",
    response={200: CourseOut, **_WRITE_ERRORS},
    summary="Change a course (the fields given); active: false takes it out of use",
    auth=may(can_configure, WRITE_TRAINING),
)
def course_change(request: HttpRequest, course_id: int, payload: CourseChangeIn):
    changes = payload.model_dump(exclude_unset=True)
    course = services.course_update(actor=api_actor(request), course_id=course_id, **changes)
    return _course(course)


@router.get(
    "/training/records",
    response={200: list[TrainingOut], **_READ_ERRORS},
    summary="One person's training records, newest first (a handler: only their own)",
    auth=may(can_read_complaints, READ),
)
def records(request: HttpRequest, query: Query[RecordsQuery]):
    _person, found = training_records(actor=api_user(request), person_id=query.person_id)
    return [_record(r) for r in found]


@router.post(
    "/training/records",
    response={200: TrainingOut, 201: TrainingOut, **_WRITE_ERRORS},
    summary="Record a completed course (honours an Idempotency-Key)",
    auth=may(can_configure, WRITE_TRAINING),
)
def record_create(
    request: HttpRequest,
    payload: TrainingIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    outcome = idempotent_run(
        key=idempotency_key,
        principal=api_principal(request),
        operation="training_record_create",
        payload=lambda: payload.model_dump(mode="json"),
        action=lambda: (
            services.training_record(actor=api_actor(request), **payload.model_dump()).pk
        ),
    )
    record = training_record_get(actor=api_user(request), record_id=outcome.result_id)
    return Status(200 if outcome.replayed else 201, _record(record))


@router.get(
    "/training/competence",
    response={200: list[CompetenceOut], **_READ_ERRORS},
    summary="Each person's status on their courses on a day (a handler: only their own)",
    auth=may(can_read_complaints, READ),
)
def competence(request: HttpRequest, query: Query[CompetenceQuery]):
    day, within_days = query.on or timezone.localdate(), query.within_days
    return [
        {
            "person": row.person.get_username(),
            "role": row.person.role,
            "course_id": row.course.pk,
            "course": row.course.name,
            "required": row.required,
            "status": row.status.value,
            "completed_on": row.completed_on,
            "valid_until": row.valid_until,
        }
        for entry in competence_matrix(actor=api_user(request), on=day, within_days=within_days)
        for row in entry.rows
    ]
