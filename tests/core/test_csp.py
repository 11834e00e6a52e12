"""The Content-Security-Policy (core/csp.py): on every page, stricter on downloads, and nothing in
the templates or the charts that the policy would block. tests/e2e/test_csp.py opens every page
type in Chromium under it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import path

from plaint.complaints.services import message_post
from plaint.core import csp
from plaint.core.actors import Actor
from plaint.core.uploads import check_uploads
from plaint.urls import urlpatterns as plaint_urlpatterns
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "plaint"


def _directives(policy: str) -> dict[str, str]:
    """``"default-src 'none'; sandbox"`` → ``{"default-src": "'none'", "sandbox": ""}``."""
    pairs = (f"{part.strip()} ".split(" ", 1) for part in policy.split(";") if part.strip())
    return {name: value.strip() for name, value in pairs}


def test_the_page_policy_allows_only_our_own_files_and_no_inline_code():
    directives = _directives(csp.PAGE_POLICY)
    assert directives == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    assert "unsafe" not in csp.PAGE_POLICY


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/complain/",
        "/codes/",
        "/staff/login/",
        "/no-such-page/",
        "/track/not-a-token/",
        "/survey/not-a-token/",
        "/django-admin/login/",
    ],
)
def test_public_pages_carry_the_page_policy(client, url):
    response = client.get(url)
    assert response["Content-Type"].startswith("text/html")
    assert response[csp.HEADER] == csp.PAGE_POLICY


def test_staff_pages_carry_the_page_policy(client, admin_user):
    client.force_login(admin_user)
    for url in ("/staff/", "/staff/insights/", "/staff/promises/", "/staff/surveys/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response[csp.HEADER] == csp.PAGE_POLICY, url


def test_the_tracking_page_carries_the_page_policy(client):
    _complaint, token = make_complaint()
    response = client.get(f"/track/{token}/")
    assert response.status_code == 200
    assert response[csp.HEADER] == csp.PAGE_POLICY


def test_api_responses_carry_it_too(client):
    response = client.get("/api/v1/no-such-thing")
    assert response["Content-Type"] == "application/problem+json"
    assert response[csp.HEADER] == csp.PAGE_POLICY


def test_attachment_downloads_may_load_nothing_and_run_nothing(client, handler):
    complaint, token = make_complaint()
    note = SimpleUploadedFile("notes.txt", b"<script>alert(1)</script>", content_type="text/plain")
    message_post(
        complaint_id=complaint.pk,
        actor=Actor.staff(handler),
        body="Here is the file.",
        attachments=check_uploads([note]),
    )
    attachment = complaint.attachments.get()
    public = client.get(f"/track/{token}/attachments/{attachment.pk}/")
    client.force_login(handler)
    staff = client.get(f"/staff/complaints/{complaint.reference}/attachments/{attachment.pk}/")
    for download in (public, staff):
        assert download.status_code == 200
        assert download[csp.HEADER] == csp.DOWNLOAD_POLICY
    assert _directives(csp.DOWNLOAD_POLICY) == {
        "default-src": "'none'",
        "sandbox": "",
        "frame-ancestors": "'none'",
    }


def test_exports_are_downloads_too(client, manager):
    client.force_login(manager)
    response = client.get("/staff/promises/scorecard.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response[csp.HEADER] == csp.DOWNLOAD_POLICY


def _explode(request):
    raise RuntimeError("a bug")


urlpatterns = [path("explode/", _explode), *plaint_urlpatterns]


@pytest.mark.urls(__name__)
def test_the_server_error_page_may_apply_exactly_its_own_style_block():
    response = Client(raise_request_exception=False).get("/explode/")
    assert response.status_code == 500
    body = response.content.decode()
    (style,) = re.findall(r"<style>(.*?)</style>", body, flags=re.DOTALL)
    style_src = _directives(response[csp.HEADER])["style-src"]
    assert style_src.split() == ["'self'", *csp.style_hashes(body)]
    assert "unsafe-inline" not in response[csp.HEADER]
    # the form browsers compare: base64 of the raw SHA-256 (here as openssl prints it)
    assert csp.style_hashes("<style>body{margin:0}</style>") == [
        "'sha256-IAdwN3biDCQ3brrgp1m8kBEsPQYyqfREKOEfeoREopc='"
    ]
    # A changed style block gets another hash: the policy follows the template, not a copy.
    assert csp.style_hashes(f"<style>{style} </style>") != csp.style_hashes(body)


@override_settings(DEBUG=True)
def test_django_debug_pages_keep_their_inline_code_but_only_with_debug(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response[csp.HEADER] == csp.DEBUG_PAGE_POLICY


def test_a_view_that_sets_its_own_policy_keeps_it(rf):
    from django.http import HttpResponse

    middleware = csp.CSPMiddleware(lambda request: HttpResponse(headers={csp.HEADER: "sandbox"}))
    assert middleware(rf.get("/"))[csp.HEADER] == "sandbox"


# --- nothing the policy would block ----------------------------------------------------------

# (pattern, what it finds) in every template and in the modules that draw SVG
BLOCKED = [
    (r"<script(?![^>]*\bsrc=)[^>]*>", "an inline <script>"),
    (r"\son[a-z]+\s*=", "an event-handler attribute"),
    (r"javascript:", "a javascript: URL"),
    (r"\sstyle\s*=", "a style attribute"),
    (r"<style", "a <style> block"),
]


def _sources() -> list[Path]:
    templates = sorted(SRC.glob("*/templates/**/*.html")) + sorted(SRC.glob("*/templates/*.html"))
    charts = sorted(SRC.glob("*/charts.py"))
    assert len(templates) > 50 and len(charts) >= 3
    return templates + charts


def test_no_template_or_chart_holds_inline_code_or_style():
    found = []
    for source in _sources():
        text = source.read_text(encoding="utf-8")
        for pattern, what in BLOCKED:
            if source.name == "500.html" and what == "a <style> block":
                continue  # allowed by its hash, tested above
            for match in re.finditer(pattern, text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{source.relative_to(SRC)}:{line}: {what}")
    assert not found, "\n".join(found)


def test_the_scan_finds_what_it_looks_for():
    sample = '<p style="color:red" onclick="go()"><script>x()</script><a href="javascript:y()">'
    hits = {what for pattern, what in BLOCKED if re.search(pattern, sample)}
    assert hits == {what for _p, what in BLOCKED} - {"a <style> block"}
    assert not re.search(BLOCKED[0][0], '<script src="/static/q.js" defer></script>')
