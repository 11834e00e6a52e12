"""The staff case page is rendered with Jinja2 (plaint.site.jinja): its header and footer are
those of the staff pages in Django's templates, its texts reach the catalogues through
makemessages and come out in the reader's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

from plaint.site.jinja import gettext_remembered
from tests.core.test_translations import LANGS, po_path, read_po
from tests.factories import make_complaint

SRC_DIR = Path(settings.BASE_DIR)
JINJA_TEMPLATES = sorted(SRC_DIR.glob("*/jinja2/**/*.html"))


def _chrome(page: str) -> dict[str, str]:
    """The parts every staff page shares, with what differs per request written out."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', page)
    page = re.sub(r'name="next" type="hidden" value="[^"]*"', 'name="next"', page)
    parts = {
        "html": re.search(r"<html[^>]*>", page)[0],
        "header": re.search(r'<header class="site-header">.*?</header>', page, re.S)[0],
        "footer": re.search(r'<footer class="site-footer">.*?</footer>', page, re.S)[0],
    }
    return {name: " ".join(part.split()).replace("> <", "><") for name, part in parts.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fa"])
@pytest.mark.parametrize("role", ["handler", "manager", "auditor"])
def test_the_case_page_has_the_header_and_footer_of_the_other_staff_pages(
    client, request, role, language
):
    user = request.getfixturevalue(role)
    complaint, _ = make_complaint()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    case_page = client.get(f"/staff/complaints/{complaint.reference}/")
    queue = client.get("/staff/")  # Django's templates
    assert case_page.status_code == queue.status_code == 200
    assert _chrome(case_page.content.decode()) == _chrome(queue.content.decode())
    if language == "fa":
        assert 'dir="rtl"' in _chrome(case_page.content.decode())["html"]


def test_jinja2_templates_exist_where_the_environment_looks():
    names = {str(p.relative_to(SRC_DIR)) for p in JINJA_TEMPLATES}
    assert "complaints/jinja2/complaints/staff/detail.html" in names
    assert "core/jinja2/core/staff_base.html" in names


def _extracted(path: Path) -> set[str]:
    """The texts makemessages takes from the file: Django's ``templatize`` (what makemessages
    runs on every .html file) turns each ``{{ _("…") }}`` into a gettext call."""
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    return {m.group(2) for m in re.finditer(r"""\b_\((["'])(.*?)\1\)""", code)}


def test_makemessages_finds_every_text_of_the_jinja2_templates():
    with_texts = 0
    for path in JINJA_TEMPLATES:
        text = path.read_text(encoding="utf-8")
        written = {m.group(2) for m in re.finditer(r"""_\((["'])(.*?)\1\)""", text)}
        with_texts += bool(written)  # the timeline has none: its words come from filters
        # a text not at the start of its {{ … }} (inside a call or an expression) would be lost
        assert _extracted(path) == written, path
    assert with_texts >= 2  # the page and its header at least: the pattern finds texts


@pytest.mark.parametrize("lang", LANGS)
def test_every_text_of_the_jinja2_templates_is_translated(lang):
    translated = {
        e["msgid"] for e in read_po(po_path(lang))[1:] if e["msgstr"] and all(e["msgstr"].values())
    }
    wanted = {(p.name, text) for p in JINJA_TEMPLATES for text in _extracted(p)}
    assert len(wanted) > 60
    assert {(name, text) for name, text in wanted if text not in translated} == set()


def test_a_remembered_translation_follows_the_active_language():
    with translation.override("et"):
        assert gettext_remembered("Queue") == "Järjekord"
    with translation.override("en"):
        assert gettext_remembered("Queue") == "Queue"
    with translation.override("et"):
        assert gettext_remembered("Queue") == "Järjekord"
