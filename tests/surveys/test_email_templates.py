"""Survey mails exist in every language and carry the survey title, the personal link, the
opt-out link and the expiry date, as plain text (never HTML-escaped)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from plaint.core.services import _render_email

LANGUAGES = [code for code, _ in settings.LANGUAGES]
MONTH = {"en": "March", "et": "märts", "uk": "березня", "sv": "mars", "fa": "مارس"}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["survey_invitation", "survey_reminder"])
def test_survey_mail_in_every_language(kind, language):
    context = {
        "survey_title": "Kaebus & <vastus>",
        "name": "Siobhán O'Neill",
        "survey_url": "http://127.0.0.1:8000/survey/tok/",
        "opt_out_url": "http://127.0.0.1:8000/survey/tok/opt-out/",
        "expires_at": dt.datetime(2026, 3, 23, 12, 0, tzinfo=dt.UTC),
        "reference": "C-2026-000042",
    }
    subject, body, used = _render_email(kind, language, context)
    assert used == language
    assert "Kaebus & <vastus>" in subject
    assert "Siobhán O'Neill" in body and "&#x27;" not in body and "&amp;" not in body
    assert context["survey_url"] in body and context["opt_out_url"] in body
    assert "C-2026-000042" in body
    assert MONTH[language] in body
