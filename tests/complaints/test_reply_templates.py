"""Reply templates ("macros"): managers keep them per category and language; handlers insert one
on the case page, filled in for the complainant, and edit it before sending."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaint.complaints.models import Complainant, Complaint, ReplyTemplate
from plaint.complaints.services import (
    reply_template_create,
    reply_template_deactivate,
    reply_template_update,
)
from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, ValidationFailed
from plaint.core.models import AuditEvent, Organisation
from tests.factories import CategoryFactory, make_complaint
from tests.html import options, textarea_text

pytestmark = pytest.mark.django_db


def _create(manager, name="Thanks", texts=None, category=None):
    return reply_template_create(
        actor=Actor.staff(manager),
        name=name,
        category_id=category.pk if category else None,
        texts=texts or {"en": "Dear {name}, about {reference}."},
    )


# --- services ----------------------------------------------------------------------------------


def test_a_manager_creates_changes_and_deactivates_a_template_each_audited(manager):
    category = CategoryFactory()
    template = _create(manager, texts={"en": " Hello {name} ", "et": "Tere {name}", "sv": ""})
    assert template.texts == {"en": "Hello {name}", "et": "Tere {name}"} and template.active
    changed = reply_template_update(
        actor=Actor.staff(manager),
        template_id=template.pk,
        name="Hello",
        category_id=category.pk,
        texts={"en": "Hi {name}"},
    )
    assert (changed.name, changed.category, changed.texts) == (
        "Hello",
        category,
        {"en": "Hi {name}"},
    )
    assert not reply_template_deactivate(actor=Actor.staff(manager), template_id=template.pk).active
    events = AuditEvent.objects.filter(case_type="reply_template", case_id=template.pk)
    assert [e.action for e in events.order_by("seq")] == [
        "reply_template_created",
        "reply_template_changed",
        "reply_template_deactivated",
    ]
    assert events.order_by("seq").last().data["active"] is False


@pytest.mark.parametrize("role", ["handler", "auditor"])
def test_handlers_and_auditors_may_not_configure_templates(personas, manager, role):
    template = _create(manager)
    actor = Actor.staff(personas[role])
    with pytest.raises(NotAllowed):
        reply_template_create(actor=actor, name="X", texts={"en": "x"})
    with pytest.raises(NotAllowed):
        reply_template_update(actor=actor, template_id=template.pk, name="X", texts={"en": "x"})
    with pytest.raises(NotAllowed):
        reply_template_deactivate(actor=actor, template_id=template.pk)
    assert ReplyTemplate.objects.count() == 1
    assert AuditEvent.objects.filter(case_type="reply_template").count() == 1


@pytest.mark.parametrize(
    ("name", "category_id", "texts", "field"),
    [
        ("", None, {"en": "x"}, "name"),
        ("X", None, {"en": "  ", "et": ""}, "text_en"),
        ("X", None, {"de": "Hallo"}, "texts"),
        ("X", 999_999, {"en": "x"}, "category"),
        ("X", None, {"en": "x" * 5_001}, "text_en"),
    ],
)
def test_invalid_templates_are_refused_with_the_field_named(
    manager, name, category_id, texts, field
):
    with pytest.raises(ValidationFailed) as refused:
        reply_template_create(
            actor=Actor.staff(manager), name=name, category_id=category_id, texts=texts
        )
    assert field in refused.value.fields
    assert not ReplyTemplate.objects.exists()


# --- the settings page -------------------------------------------------------------------------


def test_a_manager_adds_and_edits_templates_on_the_settings_page(client, manager):
    client.force_login(manager)
    assert "/staff/settings/templates/" in client.get("/staff/settings/").content.decode()
    response = client.post(
        "/staff/settings/templates/",
        {"tpl-name": "Apology", "tpl-text_en": "Sorry, {name}.", "tpl-text_fa": "ببخشید"},
    )
    assert response.status_code == 302
    template = ReplyTemplate.objects.get()
    assert template.texts == {"en": "Sorry, {name}.", "fa": "ببخشید"} and template.active
    page = client.get("/staff/settings/templates/").content.decode()
    assert "Apology" in page and f"/staff/settings/templates/{template.pk}/" in page
    edit = f"/staff/settings/templates/{template.pk}/"
    assert "Sorry, {name}." in client.get(edit).content.decode()
    client.post(edit, {"tpl-name": "Apology", "tpl-text_en": "Sorry."})  # active left unticked
    template.refresh_from_db()
    assert template.texts == {"en": "Sorry."} and not template.active
    empty = client.post("/staff/settings/templates/", {"tpl-name": "Empty"})
    assert empty.status_code == 422
    assert empty.context["form"].errors["text_en"] == ["Write the text in at least one language."]


@pytest.mark.parametrize("role", ["handler", "auditor"])
def test_handlers_are_refused_the_settings_page_with_the_staff_header(client, personas, role):
    client.force_login(personas[role])
    response = client.get("/staff/settings/templates/")
    assert response.status_code == 403
    assert "/staff/logout/" in response.content.decode()  # the staff console's header
    refused = client.post("/staff/settings/templates/", {"tpl-name": "X", "tpl-text_en": "x"})
    assert refused.status_code == 403
    assert not ReplyTemplate.objects.exists()


# --- the case page -----------------------------------------------------------------------------


@pytest.fixture
def case(db):
    category = CategoryFactory(code="delivery", name="Delivery")
    complaint, _token = make_complaint(name="Jaan Tamm", language="et", category="delivery")
    Complaint.objects.filter(pk=complaint.pk).update(
        response_due_at=dt.datetime(2026, 3, 2, 22, 30, tzinfo=dt.UTC)
    )
    Organisation.objects.update_or_create(
        pk=Organisation.objects.values_list("pk", flat=True).first(),
        defaults={"name": "Acme", "timezone": "Europe/Tallinn"},
    )
    complaint.refresh_from_db()
    return complaint, category


def _page(client, complaint, template=None):
    query = f"?template={template.pk}" if template else ""
    return client.get(f"/staff/complaints/{complaint.reference}/{query}")


def test_inserting_fills_the_placeholders_in_the_complainants_language(
    client, handler, manager, case
):
    complaint, _category = case
    template = _create(
        manager,
        texts={
            "en": "Dear {name}",
            "et": "Tere {name}! {reference} vastus {due_date}. {organisation} {unknown} {{name}}",
        },
    )
    client.force_login(handler)
    response = _page(client, complaint, template)
    assert response.status_code == 200
    body = textarea_text(response.content.decode(), "body")
    # due 22:30 UTC on 2 March is 3 March in Tallinn, written the Estonian way
    assert body == (
        f"Tere Jaan Tamm! {complaint.reference} vastus 3. märts 2026. Acme {{unknown}} {{Jaan Tamm}}"
    )
    assert 'id="action-message" open' in response.content.decode()


def test_english_is_the_fallback_and_html_is_escaped_in_the_message_box(
    client, handler, manager, case
):
    complaint, _category = case
    template = _create(manager, texts={"en": "<b>Hello</b> {name}", "sv": "Hej"})
    client.force_login(handler)
    page = _page(client, complaint, template).content.decode()
    assert "&lt;b&gt;Hello&lt;/b&gt; Jaan Tamm</textarea>" in page
    assert "<b>Hello</b>" not in page


def test_the_name_is_filled_once_even_with_braces_in_it(client, handler, manager, case):
    complaint, _category = case
    Complainant.objects.filter(pk=complaint.complainant_id).update(name="{reference}")
    template = _create(manager, texts={"et": "Tere {name}"})
    client.force_login(handler)
    page = _page(client, complaint, template).content.decode()
    assert textarea_text(page, "body") == "Tere {reference}"


def test_templates_of_the_cases_category_come_first(client, handler, manager, case):
    complaint, category = case
    general = _create(manager, name="A general")
    own = _create(manager, name="B delivery", category=category)
    _create(manager, name="C other", category=CategoryFactory())
    inactive = _create(manager, name="D old")
    reply_template_deactivate(actor=Actor.staff(manager), template_id=inactive.pk)
    client.force_login(handler)
    page = _page(client, complaint).content.decode()
    assert options(page, "insert-template") == [
        (str(own.pk), "B delivery (this category)"),
        (str(general.pk), "A general"),
    ]
    assert textarea_text(page, "body") == ""
    # an unknown or inactive id fills nothing
    assert textarea_text(_page(client, complaint, inactive).content.decode(), "body") == ""


def test_auditors_are_offered_no_templates(client, auditor, manager, case):
    complaint, _category = case
    _create(manager)
    client.force_login(auditor)
    assert "insert-template" not in _page(client, complaint).content.decode()


def test_the_case_page_queries_do_not_grow_with_templates(client, handler, manager, case):
    complaint, category = case
    _create(manager, name="one")
    client.force_login(handler)
    _page(client, complaint)  # each count is of a second view (what the cache keeps, kept)
    with CaptureQueriesContext(connection) as few:
        _page(client, complaint)
    for n in range(5):
        _create(manager, name=f"more {n}", category=category if n % 2 else None)
    _page(client, complaint)
    with CaptureQueriesContext(connection) as many:
        _page(client, complaint)
    assert len(many) == len(few)
