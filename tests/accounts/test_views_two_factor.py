"""Two-step sign-in: a member turns it on by scanning a code and confirming it; from then on the
sign-in asks for the app's code after the password and signs in only with the right one; roles
that must use it enrol before their first page; an administrator can reset a lost phone."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from plaint.core.audit import audit_verify
from plaint.core.models import AuditEvent

PASSWORD = "correct horse battery staple"  # every persona's (tests/factories.py)

pytestmark = pytest.mark.django_db


def code_now(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def password_step(client: Client, username: str, next_url: str = ""):
    data = {"username": username, "password": PASSWORD}
    path = f"/staff/login/?next={next_url}" if next_url else "/staff/login/"
    return client.post(path, data)


def enrol(client: Client, user) -> TOTPDevice:
    page = client.get("/staff/account/two-step/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post("/staff/account/two-step/", {"code": code_now(device)}).status_code == 302
    device.refresh_from_db()
    return device


def test_a_member_turns_it_on_with_the_code_their_app_shows(client, handler):
    client.force_login(handler)
    page = client.get("/staff/account/two-step/").content.decode()
    device = TOTPDevice.objects.get(user=handler, confirmed=False)
    assert "<svg" in page and 'class="qr-code"' in page
    assert "otpauth://totp/Plaint%3Ahans?secret=" in page
    # the same enrolment on reload: the key the member typed stays valid
    assert client.get("/staff/account/two-step/").status_code == 200
    assert TOTPDevice.objects.filter(user=handler).count() == 1

    wrong = client.post("/staff/account/two-step/", {"code": "000000"})
    assert wrong.status_code == 422 and "Enter the 6-digit code" in wrong.content.decode()
    assert client.post("/staff/account/two-step/", {"code": code_now(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert "Two-step sign-in is on" in client.get("/staff/account/two-step/").content.decode()
    event = AuditEvent.objects.get(case_type="staff_user", case_id=handler.pk)
    assert event.action == "two_factor_enrolled" and event.actor_id == handler.pk


def test_the_sign_in_asks_for_the_code_and_signs_in_only_with_the_right_one(handler):
    setup = Client()
    setup.force_login(handler)
    device = enrol(setup, handler)

    client = Client()
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=31)):
        first = password_step(client, "hans", next_url="/staff/notifications/")
        assert first.status_code == 302 and first["Location"] == "/staff/login/verify/"
        assert "_auth_user_id" not in client.session  # not signed in yet
        assert client.get("/staff/").status_code == 302  # the console still sends to sign-in

        wrong = client.post("/staff/login/verify/", {"code": "123456"})
        assert wrong.status_code == 422 and "That code is not right" in wrong.content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=65)):
        done = client.post("/staff/login/verify/", {"code": code_now(device)})
        assert done.status_code == 302 and done["Location"] == "/staff/notifications/"
        assert client.get("/staff/").status_code == 200


def test_the_second_step_waits_five_minutes_at_most(handler):
    setup = Client()
    setup.force_login(handler)
    device = enrol(setup, handler)
    client = Client()
    password_step(client, "hans")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        late = client.post("/staff/login/verify/", {"code": code_now(device)})
        assert late.status_code == 302 and late["Location"] == "/staff/login/"
        assert "_auth_user_id" not in client.session
    assert Client().get("/staff/login/verify/")["Location"] == "/staff/login/"


def test_a_role_that_must_use_it_enrols_before_its_first_page(settings, manager):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["manager"]
    client = Client()
    first = password_step(client, "maria")
    assert first["Location"] == "/staff/account/two-step/"
    assert "_auth_user_id" not in client.session
    page = client.get("/staff/account/two-step/").content.decode()
    assert "Set it up now to finish signing in" in page
    device = TOTPDevice.objects.get(user=manager, confirmed=False)
    done = client.post("/staff/account/two-step/", {"code": code_now(device)})
    assert done.status_code == 302 and done["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    # and may not turn it off
    refused = client.post("/staff/account/two-step/", {"action": "disable"})
    assert refused.status_code == 422 and "must use two-step sign-in" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=manager, confirmed=True).exists()


def test_a_member_may_turn_it_off_and_an_administrator_may_reset_it(handler, other_handler):
    client = Client()
    client.force_login(handler)
    enrol(client, handler)
    assert client.post("/staff/account/two-step/", {"action": "disable"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=handler).exists()
    assert password_step(Client(), "hans")["Location"] == "/staff/"

    other = Client()
    other.force_login(other_handler)
    enrol(other, other_handler)
    out = io.StringIO()
    call_command("login", "reset-two-step", "--user", "olga", stdout=out)
    assert "Removed the authenticator of olga" in out.getvalue()
    assert password_step(Client(), "olga")["Location"] == "/staff/"
    actions = list(
        AuditEvent.objects.filter(case_type="staff_user")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "two_factor_enrolled",
        "two_factor_disabled",
        "two_factor_enrolled",
        "two_factor_reset",
    ]
    assert audit_verify().breaks == []


def test_the_enrolment_page_needs_a_signed_in_member_or_a_pending_sign_in(client):
    assert client.get("/staff/account/two-step/")["Location"] == "/staff/login/"


def test_a_half_signed_in_member_with_an_app_cannot_enrol_another_to_skip_the_code(handler):
    setup = Client()
    setup.force_login(handler)
    device = enrol(setup, handler)
    client = Client()  # knows the password, not the phone
    assert password_step(client, "hans")["Location"] == "/staff/login/verify/"
    assert client.get("/staff/account/two-step/")["Location"] == "/staff/login/verify/"
    sneaky = client.post("/staff/account/two-step/", {"code": "123456"})
    assert sneaky["Location"] == "/staff/login/verify/"
    assert "_auth_user_id" not in client.session
    assert list(TOTPDevice.objects.filter(user=handler)) == [device]
