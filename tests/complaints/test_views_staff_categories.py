"""The complaint categories page of the staff console (managers and admins)."""

from __future__ import annotations

import pytest

from plaint.complaints.models import Category

pytestmark = pytest.mark.django_db


def test_create_a_category(client, manager):
    client.force_login(manager)
    response = client.post(
        "/staff/settings/categories/", {"create_category": "1", "cat-name": "Late delivery"}
    )
    assert response.status_code == 302
    category = Category.objects.get()
    assert category.code == "late-delivery" and category.active
    assert "Late delivery" in client.get("/staff/settings/categories/").content.decode()
    # the public form offers it at once
    assert "Late delivery" in client.get("/complain/").content.decode()
    duplicate = client.post(
        "/staff/settings/categories/", {"create_category": "1", "cat-name": "Late delivery"}
    )
    assert duplicate.status_code == 422
    assert duplicate.context["category_form"].errors["code"] == ["Already used."]


@pytest.mark.parametrize("role", ["handler", "auditor"])
def test_handlers_and_auditors_may_not_add_categories(client, personas, role):
    client.force_login(personas[role])
    assert client.get("/staff/settings/categories/").status_code == 403
    response = client.post(
        "/staff/settings/categories/", {"create_category": "1", "cat-name": "Billing"}
    )
    assert response.status_code == 403
    assert not Category.objects.exists()


def test_the_settings_page_links_to_the_categories(client, manager):
    client.force_login(manager)
    assert "/staff/settings/categories/" in client.get("/staff/settings/").content.decode()
