"""The staff notification mail renders in every language for every kind, naming the cases."""

from __future__ import annotations

import pytest

from plaint.core.services import _render_email
from plaint.notifications.models import Kind

LANGUAGES = ["en", "et", "uk", "sv", "fa"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", Kind.values)
def test_every_kind_renders_in_every_language(language, kind):
    context = {
        "kind": kind,
        "count": 2,
        "items": [
            {"reference": "C-2026-000007", "subject": "Late parcel"},
            {"reference": "C-2026-000008", "subject": "Wrong invoice"},
        ],
        "more": 0,
        "base_url": "https://plaint.example.org",
    }
    subject, body, used = _render_email("staff_notification", language, context)
    assert used == language
    assert "C-2026-000007" in subject and "C-2026-000008" in subject
    assert "https://plaint.example.org/staff/complaints/C-2026-000008/" in body
    assert "https://plaint.example.org/staff/notifications/settings/" in body
    assert "{%" not in body and "{{" not in body
