"""Accessibility at phone width, as the server renders it: every horizontally scrolling table
wrapper is a named, keyboard-focusable region; a failed public submit puts focus on the error
summary; ``/favicon.ico`` answers with the icon the pages link to. (The browser checks are in
tests/e2e/test_accessibility_phone.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

import plaint

pytestmark = pytest.mark.django_db

SRC = Path(plaint.__file__).parent
WRAPPER = re.compile(r'<div class="table-scroll"[^>]*>')


def _wrappers(html: str) -> list[str]:
    return WRAPPER.findall(html)


def _focusable_named_region(tag: str) -> bool:
    return (
        'tabindex="0"' in tag
        and 'role="region"' in tag
        and ("aria-label=" in tag or "aria-labelledby=" in tag)
    )


def test_every_scroll_wrapper_in_the_templates_is_a_focusable_named_region():
    found = {
        str(path.relative_to(SRC)): tag
        for path in SRC.rglob("*.html")
        for tag in _wrappers(path.read_text(encoding="utf-8"))
    }
    assert len(found) >= 9  # insights, scorecard, codes, queue and the survey pages
    assert [p for p, tag in found.items() if not _focusable_named_region(tag)] == []
    css = (SRC / "core/static/core/plaint.css").read_text(encoding="utf-8")
    assert ".table-scroll { overflow-x: auto; position: relative; }" in css  # the only scroller


def test_rendered_scorecard_and_codes_wrappers_are_named_regions(manager, auditor):
    from tests.factories import make_complaint
    from tests.promises.factories import make_code

    make_code(manager)
    make_complaint()
    client = Client()
    client.force_login(auditor)
    for url in ("/staff/promises/scorecard/", "/staff/promises/"):
        tags = _wrappers(client.get(url).content.decode())
        assert tags and all(_focusable_named_region(t) for t in tags), url
    page = client.get("/staff/promises/scorecard/").content.decode()
    for name in re.findall(r'aria-labelledby="([^"]+)"', page):
        assert f'id="{name}"' in page  # each region's name points at a heading on the page


def test_a_failed_public_submit_focuses_the_error_summary(db):
    response = Client().post("/complain/", {"description": ""})
    body = response.content.decode()
    summary = re.search(r'<div class="error-summary"[^>]*>', body)
    assert summary is not None
    assert 'tabindex="-1"' in summary.group(0) and "autofocus" in summary.group(0)
    assert body.count("autofocus") == 1  # nothing else on the page takes the focus first


def test_the_form_without_errors_takes_no_focus(db):
    assert "autofocus" not in Client().get("/complain/").content.decode()


def test_favicon_ico_answers_with_the_linked_icon(db):
    client = Client()
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/core/favicon.svg"
    icon = client.get("/favicon.ico", follow=True)
    assert icon.status_code == 200 and icon["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(icon.streaming_content)
    home = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/core/favicon.svg" type="image/svg+xml">' in home
