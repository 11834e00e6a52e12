"""``plaint createadmin`` and ``plaint token``: accounts' management commands."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from plaint.accounts.models import User
from plaint.accounts.services import api_token_authenticate


def run(*args: str, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **kwargs)
    return out.getvalue()


@pytest.mark.django_db
def test_createadmin_with_password_option_and_from_environment(monkeypatch):
    run(
        "createadmin",
        "--username",
        "root",
        "--email",
        "root@example.org",
        "--password",
        "x7-Lumi-Sadu-42",
    )
    root = User.objects.get(username="root")
    assert root.role == "admin" and root.is_superuser and root.check_password("x7-Lumi-Sadu-42")

    monkeypatch.setenv("PLAINT_ADMIN_PASSWORD", "another-Long-secret-9")
    run("createadmin", "--username", "root2")
    assert User.objects.get(username="root2").check_password("another-Long-secret-9")


@pytest.mark.django_db
def test_createadmin_refuses_weak_password_duplicate_and_no_password(monkeypatch):
    monkeypatch.delenv("PLAINT_ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError) as weak:
        run("createadmin", "--username", "root", "--password", "12345678")
    assert weak.value.returncode == 2 and "password:" in str(weak.value)
    run("createadmin", "--username", "root", "--password", "x7-Lumi-Sadu-42")
    with pytest.raises(CommandError) as duplicate:
        run("createadmin", "--username", "ROOT", "--password", "x7-Lumi-Sadu-42")
    assert "username:" in str(duplicate.value)
    # pytest's stdin is not a terminal: no prompt, a clear refusal instead
    with pytest.raises(CommandError, match="PLAINT_ADMIN_PASSWORD"):
        run("createadmin", "--username", "root3")
    assert not User.objects.filter(username="root3").exists()


@pytest.mark.django_db
def test_token_create_prints_a_working_secret_once(handler):
    output = run("token", "create", "--user", handler.username, "--name", "webshop")
    secret = output.strip()
    assert secret.startswith("plt_")
    assert api_token_authenticate(secret=secret) == handler
    assert handler.api_tokens.get().name == "webshop"
    with pytest.raises(CommandError) as excinfo:
        run("token", "create", "--user", "nobody", "--name", "x")
    assert excinfo.value.returncode == 2
