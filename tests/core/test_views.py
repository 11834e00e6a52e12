"""The organisation settings page, the error mapping and the template helpers."""

from __future__ import annotations

import pytest
from django import forms
from django.test import RequestFactory

from plaint.complaints.models import Category
from plaint.core.errors import Conflict, NotAllowed, RateLimited, ValidationFailed
from plaint.core.models import AuditEvent, Organisation
from plaint.core.templatetags.plaint import event_label
from plaint.core.views import apply_form_errors, error_response

pytestmark = pytest.mark.django_db

ORG = {
    "org-name": "Tallinna Pagar",
    "org-country": "ee",
    "org-timezone": "Europe/Tallinn",
    "org-acknowledgement_business_days": "3",
    "org-response_business_days": "15",
    "org-no_answer_close_days": "21",
    "org-contact_email": "kaebused@pagar.example",
    "org-contact_phone": "+372 600 0000",
    "save_organisation": "1",
}


@pytest.mark.parametrize("role", ["admin", "manager"])
def test_managers_and_admins_edit_the_organisation(client, personas, role):
    client.force_login(personas[role])
    page = client.get("/staff/settings/")
    assert page.status_code == 200
    assert 'value="Plaint demo organisation"' in page.content.decode()
    response = client.post("/staff/settings/", ORG)
    assert response.status_code == 302
    org = Organisation.objects.get()
    assert org.name == "Tallinna Pagar" and org.country == "EE"
    assert org.response_business_days == 15
    event = AuditEvent.objects.get(case_type="organisation")
    assert event.action == "settings_changed" and event.actor_id == personas[role].pk
    # the public page follows the new settings
    assert "within 15 business days" in client.get("/").content.decode()


def test_service_validation_errors_land_on_the_fields(client, manager):
    client.force_login(manager)
    response = client.post(
        "/staff/settings/",
        {
            **ORG,
            "org-country": "XX",
            "org-timezone": "Mars/Olympus",
            "org-acknowledgement_business_days": "30",
        },
    )
    assert response.status_code == 422
    errors = response.context["org_form"].errors
    assert "country" in errors and "timezone" in errors
    assert "acknowledgement_business_days" in errors
    assert Organisation.objects.count() == 0


def test_create_a_category(client, manager):
    client.force_login(manager)
    response = client.post(
        "/staff/settings/", {"create_category": "1", "cat-name": "Late delivery"}
    )
    assert response.status_code == 302
    category = Category.objects.get()
    assert category.code == "late-delivery" and category.active
    assert "Late delivery" in client.get("/staff/settings/").content.decode()
    # the public form offers it at once
    assert "Late delivery" in client.get("/complain/").content.decode()
    duplicate = client.post(
        "/staff/settings/", {"create_category": "1", "cat-name": "Late delivery"}
    )
    assert duplicate.status_code == 422
    assert duplicate.context["category_form"].errors["code"] == ["Already used."]


@pytest.mark.parametrize("role", ["handler", "auditor"])
def test_handlers_and_auditors_are_refused(client, personas, role):
    client.force_login(personas[role])
    assert client.get("/staff/settings/").status_code == 403
    assert client.post("/staff/settings/", ORG).status_code == 403
    assert Organisation.objects.count() == 0


def test_anonymous_is_sent_to_login(client):
    response = client.get("/staff/settings/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/login/?next=/staff/settings/"


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


def test_event_labels_are_translated_names_not_codes():
    assert event_label("assess") == "Initial assessment: in scope"
    assert event_label("received") == "Complaint received"
    assert event_label("something_new") == "something_new"
