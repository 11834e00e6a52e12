# ruff: noqa: RUF001 - the expected texts are Persian and Estonian on purpose
"""The notification pages speak every language: each text of their templates is translated."""

from __future__ import annotations

import pytest

from plaint.complaints import services as cs
from plaint.core.actors import Actor
from tests.core.test_translations import LANGS, SRC_DIR, _template_msgids, po_path, read_po
from tests.factories import make_complaint

TEMPLATES = [
    "notifications/templates/notifications/list.html",
    "notifications/templates/notifications/preferences.html",
    "notifications/templates/notifications/teams.html",
    "core/templates/core/staff_base.html",
]


@pytest.mark.parametrize("lang", LANGS)
def test_every_text_of_the_notification_pages_is_translated(lang):
    translated = {
        e["msgid"] for e in read_po(po_path(lang))[1:] if e["msgstr"] and all(e["msgstr"].values())
    }
    wanted = {m for template in TEMPLATES for m in _template_msgids(SRC_DIR / template)}
    assert "Mark all read" in wanted
    assert wanted - translated == set()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "heading", "count", "kind"),
    [
        ("fa", "اعلان‌ها", "1 خوانده‌نشده", "پرونده‌ای که به من واگذار شد"),
        ("et", "Teavitused", "1 lugemata", "Mulle määratud juhtum"),
    ],
)
def test_the_list_is_in_the_page_language(client, handler, manager, lang, heading, count, kind):
    complaint, _ = make_complaint()
    cs.complaint_assign(
        complaint_id=complaint.pk, actor=Actor.staff(manager), assignee_id=handler.pk
    )
    client.force_login(handler)
    page = client.get("/staff/notifications/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert f"<h1>{heading}</h1>" in page and count in page and kind in page
