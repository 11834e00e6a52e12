"""The one staff-page gate: anonymous visitors sign in first, a role the rule refuses gets the 403
page inside the staff console, an allowed role gets the page; and every staff URL has the gate."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from plaint.accounts.access import can_configure
from plaint.accounts.gates import staff_page
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@staff_page(can_configure)
def _settings_like(request):
    return HttpResponse("the page")


def _get(user):
    request = RequestFactory().get("/staff/somewhere/?x=1")
    request.user = user
    return _settings_like(request)


def test_anonymous_visitors_are_sent_to_sign_in():
    from django.contrib.auth.models import AnonymousUser

    response = _get(AnonymousUser())
    assert response.status_code == 302
    assert response["Location"] == "/staff/login/?next=/staff/somewhere/%3Fx%3D1"


@pytest.mark.parametrize("role", ["handler", "auditor"])
def test_a_refused_role_gets_the_403_page_with_the_staff_header(client, personas, role):
    client.force_login(personas[role])
    response = client.get("/staff/settings/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Only managers and admins change settings." in body
    assert 'class="staff"' in body and "/staff/logout/" in body  # the staff console's header


def test_a_deactivated_manager_is_refused():
    response = _get(UserFactory(username="gone", role="manager", is_active=False))
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["admin", "manager"])
def test_an_allowed_role_gets_the_page(personas, role):
    response = _get(personas[role])
    assert response.status_code == 200 and response.content == b"the page"


def _staff_routes(patterns=None, prefix=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _staff_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and route.startswith("staff/"):
            yield route, entry.callback


# The sign-in's own pages: the second step and the two-step enrolment also serve a member whose
# password was right and who is not signed in yet (accounts/views.py checks that itself).
SIGN_IN = {"staff/login/", "staff/logout/", "staff/login/verify/", "staff/account/two-step/"}


def test_every_staff_url_is_behind_the_gate():
    routes = dict(_staff_routes())
    assert len(routes) > 40  # complaints, organisation, promises, surveys, insights
    ungated = [
        r for r, view in routes.items() if r not in SIGN_IN and not hasattr(view, "staff_gate")
    ]
    assert ungated == []


def _filled(route: str, value: str) -> str:
    """A concrete URL for a route: each converter gets ``value`` (an id or a word)."""
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: "1" if m.group(1) == "int" else value, route)


def test_every_refusal_inside_the_staff_console_keeps_the_staff_header(client, personas):
    """The auditor tries every staff page, reading and posting: whatever is refused — by the
    gate, by the view (a POST only managers make) or by a service — answers with the 403 page
    inside the staff console, its header and navigation."""
    from tests.factories import make_complaint
    from tests.promises.factories import make_code

    make_code(personas["manager"])
    make_complaint()
    client.force_login(personas["auditor"])
    refused = []
    for route, _view in _staff_routes():
        if route in SIGN_IN:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(_filled(route, "x"))
            if response.status_code == 403:
                refused.append(f"{method.upper()} {route}")
                body = response.content.decode()
                assert 'class="staff"' in body and "/staff/logout/" in body, (method, route)
    # Refusals by the gate and by the views themselves, on every app's pages.
    for expected in (
        "GET staff/settings/",
        "POST staff/promises/codes/new/",
        "POST staff/surveys/contacts/",
    ):
        assert expected in refused, expected
    # A service's refusal: the auditor may read insights but not import volumes.
    upload = SimpleUploadedFile("volumes.csv", b"month,orders,customers\n2026-01,10,5\n")
    response = client.post("/staff/insights/volumes/", {"file": upload})
    assert response.status_code == 403
    assert "/staff/logout/" in response.content.decode()
