"""The Content-Security-Policy of every response, set in one place (``CSPMiddleware``).

Plaint's pages need no inline script or style: scripts and style sheets are static files, charts
are SVG drawn with presentation attributes (``fill=``, ``font-size=``), never ``style=``. So one
fixed policy fits every page and no nonce is needed. Two exceptions, each named here:

- a download (``Content-Disposition: attachment``) gets ``DOWNLOAD_POLICY``: no content of its own
  may load anything or run script, even if a browser renders a mislabelled file in our origin;
- the server-error page (``core/templates/500.html``), which is rendered without static files so
  that it shows even when they are broken, may apply its own ``<style>`` block, allowed by its
  SHA-256 hash (computed from the template when Plaint starts).

A view that needs another policy sets the header itself; the middleware never replaces one.
Why not ``django-csp``: the policy has no variable part (no nonce, no per-view policies beyond
the two above), so a page of code here is simpler to read and check than a dependency whose
settings format changed incompatibly in its 4.0. Django 5.2 has no CSP support of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from plaint.core.digest import sha256_base64

HEADER = "Content-Security-Policy"

_PAGE_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def _policy(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives.items())


PAGE_POLICY = _policy(_PAGE_DIRECTIVES)
DOWNLOAD_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'"

_ERROR_PAGE = Path(__file__).resolve().parent / "templates" / "500.html"


def style_hashes(html: str) -> list[str]:
    """The CSP source of each ``<style>`` block of ``html``: ``'sha256-<base64 of its text>'``."""
    blocks = re.findall(r"<style>(.*?)</style>", html, flags=re.DOTALL)
    return [f"'sha256-{sha256_base64(block)}'" for block in blocks]


SERVER_ERROR_POLICY = _policy(
    {
        **_PAGE_DIRECTIVES,
        "style-src": " ".join(["'self'", *style_hashes(_ERROR_PAGE.read_text(encoding="utf-8"))]),
    }
)
# Django's own debug pages (DEBUG=true only, which production refuses) are inline script and style.
DEBUG_PAGE_POLICY = _policy(
    {
        **_PAGE_DIRECTIVES,
        "script-src": "'self' 'unsafe-inline'",
        "style-src": "'self' 'unsafe-inline'",
    }
)


def policy_for(response: HttpResponseBase) -> str:
    """The policy a response gets when its view set none."""
    if response.get("Content-Disposition", "").lower().startswith("attachment"):
        return DOWNLOAD_POLICY
    if settings.DEBUG and response.status_code in {404, 500}:
        return DEBUG_PAGE_POLICY
    if response.status_code >= 500:
        return SERVER_ERROR_POLICY
    return PAGE_POLICY


class CSPMiddleware:
    """Adds the Content-Security-Policy to every response that has none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = policy_for(response)
        return response
