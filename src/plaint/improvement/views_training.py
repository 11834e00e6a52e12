"""Training and competence (staff): each person's status on the courses their role requires, one
person's records, and the courses. Handlers see their own; managers and admins record; auditors
read. Views parse and call one service; every rule is the service's."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from plaint.accounts.access import can_configure, can_read_complaints
from plaint.accounts.gates import staff_page
from plaint.accounts.models import Role
from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, NotFound, PlaintError
from plaint.core.views import apply_form_errors, error_response, in_organisation_timezone
from plaint.improvement import services
from plaint.improvement.forms_policy import CourseForm, TrainingRecordForm
from plaint.improvement.selectors_policy import duties_of, policy_current, policy_reading
from plaint.improvement.selectors_training import (
    DUE_WITHIN_DAYS,
    competence_matrix,
    course_get,
    course_list,
    training_records,
)


def _refused(request: HttpRequest) -> HttpResponse:
    return error_response(request, NotAllowed(_("Your role may not do this.")), staff=True)


@require_http_methods(["GET", "POST"])
@staff_page(can_read_complaints)
@in_organisation_timezone
def training_page(request: HttpRequest) -> HttpResponse:
    form = TrainingRecordForm(request.POST or None) if can_configure(request.user) else None
    status = 200
    if request.method == "POST":
        if form is None:
            return _refused(request)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.training_record(
                    actor=Actor.staff(request.user),
                    person_id=d["person"].pk,
                    course_id=d["course"].pk,
                    completed_on=d["completed_on"],
                    valid_until=d["valid_until"],
                    evidence=d["evidence"],
                )
            except PlaintError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("The training is recorded."))
                return redirect("improvement:training")
        status = 422
    today = timezone.localdate()
    policy = policy_current()
    role = getattr(request.user, "role", "")
    reading = policy_reading(policy, get_language() or "") if policy else None
    return render(
        request,
        "improvement/training.html",
        {
            "people": competence_matrix(actor=request.user, on=today),
            "today": today,
            "within_days": DUE_WITHIN_DAYS,
            "form": form,
            "can_write": form is not None,
            "own_only": role == Role.HANDLER,
            "reading": reading,
            "duties": duties_of(reading, role) if reading else [],
        },
        status=status,
    )


@require_GET
@staff_page(can_read_complaints)
@in_organisation_timezone
def training_person_page(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        person, records = training_records(actor=request.user, person_id=person_id)
    except NotFound as exc:
        return error_response(request, exc, staff=True)
    return render(
        request, "improvement/training_person.html", {"person": person, "records": records}
    )


@require_http_methods(["GET", "POST"])
@staff_page(can_read_complaints)
def courses_page(request: HttpRequest) -> HttpResponse:
    form = CourseForm(request.POST or None) if can_configure(request.user) else None
    status = 200
    if request.method == "POST":
        if form is None:
            return _refused(request)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.course_create(
                    actor=Actor.staff(request.user),
                    name=d["name"],
                    description=d["description"],
                    validity_months=d["validity_months"],
                    required_for=d["required_for"],
                )
            except PlaintError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("The course is saved."))
                return redirect("improvement:courses")
        status = 422
    return render(
        request,
        "improvement/courses.html",
        {"courses": course_list(), "form": form, "roles": dict(Role.choices)},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@staff_page(can_configure)
def course_edit_page(request: HttpRequest, course_id: int) -> HttpResponse:
    try:
        course = course_get(course_id=course_id)
    except NotFound as exc:
        return error_response(request, exc, staff=True)
    form = CourseForm(request.POST) if request.method == "POST" else CourseForm.for_course(course)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.course_update(
                    actor=Actor.staff(request.user), course_id=course.pk, **form.cleaned_data
                )
            except PlaintError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("The course is saved."))
                return redirect("improvement:courses")
        status = 422
    return render(
        request, "improvement/course_edit.html", {"course": course, "form": form}, status=status
    )
