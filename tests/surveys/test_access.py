"""Who reads surveys: the rule lives in accounts/access.py with every other access rule."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from plaint.accounts.access import can_configure, can_read_surveys
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_staff_role_reads_surveys_and_only_configuring_roles_change_them(personas):
    assert {name: can_read_surveys(user) for name, user in personas.items()} == {
        "admin": True,
        "manager": True,
        "handler": True,
        "auditor": True,
    }
    assert {name for name, user in personas.items() if can_configure(user)} == {"admin", "manager"}


def test_outsiders_do_not_read_surveys():
    assert not can_read_surveys(None)
    assert not can_read_surveys(AnonymousUser())
    assert not can_read_surveys(UserFactory(username="ivo", role="manager", is_active=False))
