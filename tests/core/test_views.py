"""The one error mapping of web adapters, and the template helpers."""

from __future__ import annotations

import json

import pytest
from django import forms
from django.test import RequestFactory
from django.utils import translation
from ninja import NinjaAPI

from plaint.core.errors import Conflict, NotAllowed, RateLimited, ValidationFailed
from plaint.core.problem import install_problem_handlers
from plaint.core.views import apply_form_errors, error_response
from plaint.site.templatetags.plaint import event_label

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """These tests read English texts; a page request in another test may leave another language
    active in this thread."""
    with translation.override("en"):
        yield


# --- the one error mapping -----------------------------------------------------------------


class _Form(forms.Form):
    name = forms.CharField(required=False)


def test_field_errors_go_to_fields_and_the_rest_above_the_form():
    form = _Form({"name": "x"})
    assert form.is_valid()
    apply_form_errors(
        form,
        ValidationFailed(
            "Please correct it.", fields={"name": ["Too short."], "unknown": ["Elsewhere."]}
        ),
    )
    assert form.errors["name"] == ["Too short."]
    assert "Elsewhere." in form.non_field_errors()


def test_an_error_without_fields_is_a_form_level_error():
    form = _Form({"name": "x"})
    form.is_valid()
    apply_form_errors(form, ValidationFailed("Nope."))
    assert form.non_field_errors() == ["Nope."]


@pytest.mark.parametrize(
    ("error", "status", "title"),
    [
        (NotAllowed("No way."), 403, "Not allowed"),
        (Conflict("Changed."), 409, "Not possible now"),
        (RateLimited("Slow down."), 429, "Too many attempts"),
    ],
)
def test_error_pages_carry_the_status_and_the_message(error, status, title):
    request = RequestFactory().get("/")
    response = error_response(request, error)
    assert response.status_code == status
    body = response.content.decode()
    assert title in body and error.message in body


def test_a_rate_limit_page_and_problem_say_when_to_retry():
    refused = RateLimited("Please try again in 2 minutes.", retry_after=120)
    page = error_response(RequestFactory().get("/"), refused)
    assert page.status_code == 429 and page["Retry-After"] == "120"
    api = NinjaAPI(urls_namespace="retry-after-test")
    install_problem_handlers(api)
    problem = api.on_exception(RequestFactory().get("/api/"), refused)
    assert problem.status_code == 429 and problem["Retry-After"] == "120"
    assert json.loads(problem.content)["detail"] == "Please try again in 2 minutes."
    # without a known time, no header
    assert "Retry-After" not in error_response(RequestFactory().get("/"), RateLimited("Wait."))


def test_event_labels_are_translated_names_not_codes():
    assert event_label("assess") == "Initial assessment: in scope"
    assert event_label("received") == "Complaint received"
    assert event_label("something_new") == "something_new"


# --- the 404 page (plaint.urls handler404) ---------------------------------------------------


def test_an_unknown_address_gets_the_sites_404_page_in_the_visitors_language(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 404
    body = response.content.decode()
    assert '<html lang="sv"' in body and "Det finns ingenting på den här adressen." in body
    assert "/staff/logout/" not in body


def test_a_missing_case_gets_the_404_page_inside_the_staff_console(client, handler):
    client.force_login(handler)
    response = client.get("/staff/complaints/C-1999-999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'class="staff"' in body and "/staff/logout/" in body  # the staff console's header
    assert "<h1>Not found</h1>" in body
