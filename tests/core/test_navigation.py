"""The staff navigation: every link it shows opens for the person it is shown to."""

from __future__ import annotations

import re

import pytest

NAV = re.compile(r'<nav aria-label="[^"]*">(.*?)</nav>', re.S)
HREF = re.compile(r'href="(/staff/[^"]*)"')


@pytest.mark.parametrize("persona", ["admin_user", "manager", "handler", "auditor"])
def test_every_staff_nav_link_opens_for_its_viewer(db, client, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    page = client.get("/staff/")
    assert page.status_code == 200
    nav = NAV.search(page.content.decode()).group(1)
    links = HREF.findall(nav)
    for section in ("/staff/promises/", "/staff/surveys/", "/staff/insights/"):
        assert section in links
    for link in links:
        assert client.get(link).status_code == 200, link


def test_the_settings_page_leads_to_the_business_calendars(client, manager):
    client.force_login(manager)
    assert 'href="/staff/settings/calendars/"' in client.get("/staff/settings/").content.decode()


@pytest.mark.django_db
def test_the_public_pages_lead_to_our_published_promises(client):
    page = client.get("/").content.decode()
    assert 'href="/codes/"' in page
    assert client.get("/codes/").status_code == 200


def test_the_staff_links_follow_the_script_prefix(client, handler):
    """The header's links are reversed once (``nav_url``), but per script prefix: Plaint served
    under a path of its own links there, and back at the root links to the root."""
    from django.template import engines
    from django.urls import get_script_prefix, set_script_prefix

    link = engines["django"].from_string("{% load plaint %}{% nav_url 'staff:queue' %}")
    before = get_script_prefix()
    try:
        set_script_prefix("/complaints-desk/")
        assert link.render({}) == "/complaints-desk/staff/"
        set_script_prefix("/")
        assert link.render({}) == "/staff/"
    finally:
        set_script_prefix(before)
    client.force_login(handler)
    nav = NAV.search(client.get("/staff/").content.decode()).group(1)
    assert 'href="/staff/"' in nav and 'href="/staff/notifications/"' in nav
