"""The Personal data pages: find, export, erase in two steps, holds, retention rules."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.urls import reverse

from plaint.privacy.models import LegalHold, RetentionPolicy
from plaint.privacy.selectors import subject_lookup
from tests.privacy.conftest import EMAIL, NAME


def test_find_export_and_erase_in_two_steps(client, person, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("privacy:index"), {"query": EMAIL})
    assert page.status_code == 200
    assert person[0].reference in page.text and 'id="export-link"' in page.text

    export = client.get(reverse("privacy:export"), {"query": EMAIL})
    assert export["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(export.streaming_content)))
    assert json.loads(archive.read("subject.json"))["complainants"][0]["name"] == NAME

    dry = client.post(reverse("privacy:erase"), {"query": EMAIL})
    assert dry.status_code == 200 and 'id="confirm-form"' in dry.text
    assert subject_lookup(query=EMAIL).found
    done = client.post(reverse("privacy:erase"), {"query": EMAIL, "confirm": "1"}, follow=True)
    assert "was erased" in done.text
    assert not subject_lookup(query=EMAIL).found


def test_a_hold_shows_on_the_dry_run_and_stops_the_erasure(client, person, admin_user):
    client.force_login(admin_user)
    client.post(
        reverse("privacy:hold_place"),
        {"reference": person[0].reference, "reason": "Insurance claim"},
    )
    hold = LegalHold.objects.get()
    page = client.post(reverse("privacy:erase"), {"query": EMAIL, "confirm": "1"})
    assert page.status_code == 409 and "Insurance claim" in page.text
    assert subject_lookup(query=EMAIL).found
    client.post(reverse("privacy:hold_release", args=[hold.pk]))
    hold.refresh_from_db()
    assert hold.released_by == admin_user


def test_retention_rules_are_saved_and_shown_with_todays_counts(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("privacy:retention"))
    assert page.status_code == 200 and 'id="nothing-due"' in page.text
    values = {
        "closed_complaint_months": 60,
        "outbox_days": 30,
        "webhook_delivery_days": 30,
        "case_read_months": 12,
        "task_result_days": 7,
        "survey_import_hours": 12,
    }
    client.post(reverse("privacy:retention"), values)
    assert RetentionPolicy.objects.get().closed_complaint_months == 60
    bad = client.post(reverse("privacy:retention"), {**values, "outbox_days": "-1"})
    assert bad.status_code == 400


@pytest.mark.parametrize("role", ["manager", "handler", "auditor"])
def test_other_roles_are_refused(client, personas, role):
    client.force_login(personas[role])
    assert client.get(reverse("privacy:index")).status_code == 403
    assert client.post(reverse("privacy:erase"), {"query": EMAIL}).status_code == 403


def test_a_bad_query_is_a_form_error_not_a_500(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("privacy:index"), {"query": "x" * 300})
    assert page.status_code == 400
    page = client.get(reverse("privacy:index"), {"query": "nobody@example.org"})
    assert 'id="nobody"' in page.text
