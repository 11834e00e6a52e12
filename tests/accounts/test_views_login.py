"""The staff sign-in page behind the throttle: wrong passwords lock the account name and the
client's address for a while, the page says so and when to retry, unknown names are answered
alike, a success clears the account's count, and every lock is in the audit trail."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from plaint.accounts.models import LoginThrottle
from plaint.accounts.services.login import login_unlock
from plaint.core.actors import Actor
from plaint.core.audit import audit_verify
from plaint.core.errors import NotAllowed
from plaint.core.models import AuditEvent

PASSWORD = "correct horse battery staple"  # every persona's (tests/factories.py)
WRONG = "Please enter a correct username and password"
LOCKED = "This account is temporarily locked after too many failed sign-ins"
ADDRESS_LOCKED = "Too many failed sign-ins from your address"

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, password: str, *, address: str = "192.0.2.10"):
    return client.post(
        "/staff/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def page_text(response) -> str:
    text = re.sub(r"\s+", " ", response.content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "CSRF", text)


def test_thirty_wrong_passwords_then_the_right_one_is_refused_until_the_lock_ends(handler):
    client = Client()
    answers = [sign_in(client, "hans", f"guess {i}") for i in range(30)]
    assert [a.status_code for a in answers[:10]] == [200] * 10
    assert all(WRONG in page_text(a) for a in answers[:10])
    assert [a.status_code for a in answers[10:]] == [429] * 20
    assert all(LOCKED in page_text(a) for a in answers[10:])

    refused = sign_in(client, "hans", PASSWORD)
    assert refused.status_code == 429 and LOCKED in page_text(refused)
    assert "_auth_user_id" not in client.session
    assert 15 * 60 - 10 <= int(refused["Retry-After"]) <= 15 * 60  # the seconds left
    # only the ten claimed attempts had their password checked and were counted
    assert LoginThrottle.objects.get(scope="account", user=handler).failures == 10

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=15, seconds=1)):
        welcome = sign_in(client, "hans", PASSWORD)
    assert welcome.status_code == 302 and welcome["Location"] == "/staff/"


def test_the_locked_page_says_when_to_retry_in_the_organisations_time(handler):
    client = Client()
    at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # 11:00 in Tallinn (winter, UTC+2)
    with time_machine.travel(at, tick=False):
        for i in range(10):
            sign_in(client, "hans", f"guess {i}")
        refused = sign_in(client, "hans", PASSWORD)
    text = page_text(refused)
    assert "Try again in 15 minutes." in text
    assert "You can sign in again from 11:15" in text


def test_the_message_is_in_the_users_language(handler):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "et"
    for i in range(10):
        sign_in(client, "hans", f"guess {i}")
    text = page_text(sign_in(client, "hans", PASSWORD))
    assert "See konto on liiga paljude ebaõnnestunud sisselogimiste järel ajutiselt lukus" in text
    assert "Proovige uuesti 15 minuti pärast." in text


def test_an_unknown_name_is_counted_and_answered_like_an_existing_one(handler):
    client = Client()
    # one moment for all 22 attempts: the locked page names the minute it ends, and the two runs
    # of attempts must not straddle a minute's turn
    with time_machine.travel(timezone.now(), tick=False):
        known = [page_text(sign_in(client, "hans", f"guess {i}")) for i in range(11)]
        unknown = [page_text(sign_in(client, "nobody-here", f"guess {i}")) for i in range(11)]
    for mine, theirs in zip(known, unknown, strict=True):
        assert mine.replace("hans", "NAME") == theirs.replace("nobody-here", "NAME")
    assert LOCKED in unknown[-1]
    row = LoginThrottle.objects.get(scope="account", user=None)
    assert row.failures == 10 and "nobody" not in row.key  # the typed name is kept as a digest


def test_a_name_in_other_letter_case_counts_against_the_same_account(handler):
    client = Client()
    for i in range(10):
        sign_in(client, "HANS" if i % 2 else "Hans", f"guess {i}")
    assert LOCKED in page_text(sign_in(client, "hans", PASSWORD))


def test_a_success_clears_the_accounts_count(handler):
    client = Client()
    for i in range(9):
        sign_in(client, "hans", f"guess {i}")
    assert sign_in(client, "hans", PASSWORD).status_code == 302
    client.logout()
    for i in range(9):
        assert WRONG in page_text(sign_in(client, "hans", f"again {i}"))
    assert sign_in(client, "hans", PASSWORD).status_code == 302


def test_a_window_without_the_limit_reached_starts_afresh(handler):
    client = Client()
    start = timezone.now()
    for i in range(9):
        sign_in(client, "hans", f"guess {i}")
    with time_machine.travel(start + dt.timedelta(minutes=16)):
        for i in range(9):
            assert WRONG in page_text(sign_in(client, "hans", f"later {i}"))
        assert sign_in(client, "hans", PASSWORD).status_code == 302


def test_an_address_is_locked_across_names_at_its_own_limit(settings, handler, other_handler):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 5
    client = Client()
    for i in range(5):
        assert WRONG in page_text(sign_in(client, f"name{i}", "guess", address="198.51.100.7"))
    refused = sign_in(client, "hans", PASSWORD, address="198.51.100.7")
    assert refused.status_code == 429 and ADDRESS_LOCKED in page_text(refused)
    # another address is not affected, and the refused attempt counted against no account
    assert sign_in(Client(), "hans", PASSWORD, address="198.51.100.8").status_code == 302
    assert not LoginThrottle.objects.filter(scope="account", user=handler, failures__gt=0).exists()


def test_successful_sign_ins_give_their_attempt_back_to_the_address(settings, handler):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 3
    for _ in range(10):  # an office behind one address: many good sign-ins never lock it
        client = Client()
        assert sign_in(client, "hans", PASSWORD, address="203.0.113.1").status_code == 302
    assert LoginThrottle.objects.get(scope="address", key="203.0.113.1").failures == 0


def test_a_lock_and_an_unlock_are_in_the_audit_trail(handler, admin_user):
    client = Client()
    for i in range(10):
        sign_in(client, "hans", f"guess {i}")
    row = LoginThrottle.objects.get(scope="account", user=handler)
    locked = AuditEvent.objects.get(case_type="login_throttle", case_id=row.pk)
    assert locked.action == "login_locked" and locked.actor_id is None
    assert locked.data["user_id"] == handler.pk and locked.data["scope"] == "account"
    assert locked.data["locked_until"] == row.locked_until.astimezone(dt.UTC).isoformat()

    cleared = login_unlock(actor=Actor.staff(admin_user), username="hans")
    assert [(c.scope, c.was_locked, c.failures) for c in cleared] == [("account", True, 10)]
    unlocked = AuditEvent.objects.get(case_type="login_throttle", action="login_unlocked")
    assert unlocked.actor_id == admin_user.pk and unlocked.data["was_locked"] is True
    assert sign_in(client, "hans", PASSWORD).status_code == 302
    assert audit_verify().breaks == []


def test_only_an_administrator_may_unlock(handler, manager):
    for i in range(10):
        sign_in(Client(), "hans", f"guess {i}")
    with pytest.raises(NotAllowed):
        login_unlock(actor=Actor.staff(manager), username="hans")
    assert LoginThrottle.objects.get(scope="account", user=handler).locked_until is not None


def test_django_admins_own_login_form_is_not_served(client):
    response = client.get("/django-admin/login/?next=/django-admin/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/login/?next=/django-admin/"
