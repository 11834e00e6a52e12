"""The organisation settings page: managers and admins edit it; the service's errors land on the
form's fields."""

from __future__ import annotations

import pytest

from plaint.core.models import AuditEvent, Organisation

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
