"""Shared fixtures: personas (one per role), factories, running queued jobs like the worker does."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("PLAINT_ENV", "test")
os.environ.setdefault("PLAINT_DATA_DIR", tempfile.mkdtemp(prefix="plaint-test-"))
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("PLAINT_PUBLIC_RATE_LIMIT_PER_HOUR", "1000")

import pytest

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin_user(db):
    return UserFactory(username="ada", role="admin")


@pytest.fixture
def manager(db):
    return UserFactory(username="maria", role="manager")


@pytest.fixture
def handler(db):
    return UserFactory(username="hans", role="handler")


@pytest.fixture
def other_handler(db):
    return UserFactory(username="olga", role="handler")


@pytest.fixture
def auditor(db):
    return UserFactory(username="aino", role="auditor")


@pytest.fixture
def personas(admin_user, manager, handler, auditor):
    return {"admin": admin_user, "manager": manager, "handler": handler, "auditor": auditor}


@pytest.fixture
def run_jobs(db):
    """Run every job that is due, in this process, the way ``plaint worker`` does; returns the count."""
    from plaint.core.worker import run_due_jobs

    return run_due_jobs
