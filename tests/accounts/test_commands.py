"""``plaint createadmin``, ``plaint token`` and ``plaint login``: accounts' management commands."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from plaint.accounts.models import User
from plaint.accounts.services import api_token_authenticate, api_token_create, api_token_revoke
from plaint.core.actors import Actor
from plaint.core.models import AuditEvent


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


def _lock(username: str, *, address: str = "192.0.2.50") -> None:
    client = Client()
    for i in range(10):
        client.post(
            "/staff/login/", {"username": username, "password": f"guess {i}"}, REMOTE_ADDR=address
        )


@pytest.mark.django_db
def test_token_list_shows_each_token_but_never_its_secret(handler, manager):
    _, handler_secret = api_token_create(user=handler, name="webshop")
    revoked, revoked_secret = api_token_create(user=manager, name="old crm")
    api_token_revoke(token_id=revoked.pk, actor=Actor.system())
    assert api_token_authenticate(secret=handler_secret) == handler  # stamps its last use

    listing = run("token", "list")
    lines = listing.splitlines()
    assert lines[0].split() == ["ID", "USER", "NAME", "STARTS", "WITH", "CREATED", "LAST", "USED"]
    assert len(lines) == 2 and "hans" in lines[1] and "webshop" in lines[1]
    assert handler_secret not in listing and handler_secret[12:] not in listing
    assert timezone.now().strftime("%Y-%m-%d") in lines[1]  # created and last used today

    everything = run("token", "list", "--all")
    assert "old crm" in everything and "REVOKED" in everything
    assert revoked_secret not in everything


@pytest.mark.django_db
def test_token_list_says_when_there_are_none():
    assert run("token", "list").strip() == "No active API tokens."


@pytest.mark.django_db
def test_token_revoke_by_id_refuses_the_token_and_is_audited(handler):
    token, secret = api_token_create(user=handler, name="webshop")
    output = run("token", "revoke", str(token.pk))
    assert f"Revoked API token {token.pk} ('webshop' of hans)" in output
    assert api_token_authenticate(secret=secret) is None
    event = AuditEvent.objects.get(case_type="api_token", case_id=token.pk)
    assert event.action == "token_revoked" and event.actor_label.startswith("command line")
    assert event.data == {"user_id": handler.pk, "name": "webshop", "prefix": token.prefix}

    with pytest.raises(CommandError) as again:
        run("token", "revoke", str(token.pk))
    assert again.value.returncode == 2 and "already revoked" in str(again.value)


@pytest.mark.django_db
def test_token_revoke_of_an_unknown_id_says_so():
    with pytest.raises(CommandError) as excinfo:
        run("token", "revoke", "4242")
    assert excinfo.value.returncode == 2
    assert str(excinfo.value) == "No API token with id 4242."
    assert not AuditEvent.objects.filter(case_type="api_token").exists()


@pytest.mark.django_db
def test_login_list_and_unlock_an_account(handler):
    assert run("login", "list").strip() == "No sign-in locks and no failed sign-ins counted."
    _lock("hans")
    listing = run("login", "list")
    assert "account hans: 10 failed, locked until" in listing
    assert "address 192.0.2.50: 10 failed, not locked" in listing

    output = run("login", "unlock", "--user", "hans")
    assert output.strip() == (
        "Unlocked account 'hans': 1 lock(s) lifted, 10 counted failure(s) cleared."
    )
    event = AuditEvent.objects.get(action="login_unlocked")
    assert event.actor_label.startswith("command line") and event.data["user_id"] == handler.pk
    response = Client().post(
        "/staff/login/",
        {"username": "hans", "password": "correct horse battery staple"},
        REMOTE_ADDR="192.0.2.51",
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_login_unlock_an_address_and_nothing_to_unlock(settings, handler):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 3
    _lock("someone-else", address="198.51.100.1")
    assert "address 198.51.100.1: 3 failed, locked until" in run("login", "list")
    output = run("login", "unlock", "--address", "198.51.100.1")
    assert "Unlocked address 198.51.100.1: 1 lock(s) lifted" in output
    assert run("login", "unlock", "--user", "hans").startswith("Nothing to unlock for account")
    with pytest.raises(CommandError) as excinfo:
        run("login", "unlock")
    assert excinfo.value.returncode == 2
