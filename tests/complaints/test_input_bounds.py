"""Receipt times, flags and text that a complaint may not be filed with: refused with a field
error in the person's language, never a 500 and never stored."""

from __future__ import annotations

import datetime as dt
import urllib.parse

import pytest
import time_machine

from plaint.complaints.models import Complaint, Message
from plaint.complaints.services import ComplaintInput, complaint_submit
from plaint.core.actors import Actor
from plaint.core.errors import ValidationFailed
from tests.api_client import ApiClient, assert_problem
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
NEW = {
    "name": "Mari Maasikas",
    "email": "mari@example.org",
    "description": "The parcel arrived two weeks late.",
    "consent": True,
}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def as_handler(handler):
    return ApiClient(handler)


# --- received_at through the API ---------------------------------------------------------------


@pytest.mark.parametrize(
    "received_at",
    [
        "0001-01-01T00:00:00+01:00",  # was a 500: the conversion to UTC leaves datetime's range
        "0001-01-01T00:00:00Z",
        "1900-06-01T00:00:00Z",
        "1999-12-31T23:59:59Z",
        "9999-12-31T23:59:59-01:00",
        "2026-11-20T12:06:00Z",  # six minutes ahead of the clock
    ],
)
def test_a_receipt_time_out_of_range_is_a_422_on_received_at(as_handler, received_at):
    response = as_handler.post("/complaints", {**NEW, "received_at": received_at})
    body = assert_problem(response, 422, "validation_failed")
    assert body["errors"] == {"received_at": ["Give a time from 2000-01-01 up to now."]}
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize("received_at", [5, 1_700_000_000, 5.5, True, ["2026-01-01"]])
def test_a_receipt_time_that_is_not_text_is_refused(as_handler, received_at):
    # Pydantic alone reads 5 as 1970-01-01T00:00:05Z, which then became C-1970-…
    response = as_handler.post("/complaints", {**NEW, "received_at": received_at})
    body = assert_problem(response, 422, "validation_failed")
    assert list(body["errors"]) == ["received_at"]
    assert Complaint.objects.count() == 0


def test_receipt_times_within_range_are_kept(as_handler):
    for received_at in ("2000-01-01T00:00:00Z", "2026-11-20T12:04:00Z"):
        response = as_handler.post("/complaints", {**NEW, "received_at": received_at})
        assert response.status_code == 201, response.content
    assert sorted(Complaint.objects.values_list("reference", flat=True))[0].startswith("C-2000-")


def test_the_refusal_is_in_the_callers_language(as_handler):
    response = as_handler.post(
        "/complaints",
        {**NEW, "received_at": "0001-01-01T00:00:00+01:00"},
        **{"Accept-Language": "et"},
    )
    body = assert_problem(response, 422, "validation_failed")
    assert body["errors"]["received_at"] == ["Märkige aeg vahemikus 2000-01-01 kuni praegu."]
    assert body["detail"] == "Päring ei vasta toimingu skeemile."


def test_the_service_refuses_a_receipt_time_out_of_range_for_every_caller(handler):
    data = ComplaintInput(name="A", description="x", email="a@example.org", consent=True)
    for received_at in (dt.datetime(1900, 1, 1, tzinfo=dt.UTC), NOW + dt.timedelta(hours=1)):
        with pytest.raises(ValidationFailed) as refused:
            complaint_submit(
                data=data, channel="phone", actor=Actor.staff(handler), received_at=received_at
            )
        assert list(refused.value.fields) == ["received_at"]


# --- strict booleans ---------------------------------------------------------------------------


@pytest.mark.parametrize("consent", ["yes", "true", 1, "on", 0])
def test_consent_is_json_true_or_false_only(as_handler, consent):
    body = assert_problem(
        as_handler.post("/complaints", {**NEW, "consent": consent}), 422, "validation_failed"
    )
    assert body["errors"] == {"consent": ["Give true or false."]}
    assert Complaint.objects.count() == 0


def test_a_message_flag_is_strict_too(as_handler):
    complaint, _token = make_complaint()
    response = as_handler.post(
        f"/complaints/{complaint.reference}/messages", {"body": "Hello", "internal": "no"}
    )
    body = assert_problem(response, 422, "validation_failed")
    assert list(body["errors"]) == ["internal"]
    assert Message.objects.count() == 0


# --- received_at on the staff form ---------------------------------------------------------------

STAFF_FORM = {
    "channel": "phone",
    "name": "Jaan Tamm",
    "phone": "+372 5555 5555",
    "language": "et",
    "preferred_channel": "phone",
    "description": "Called about a broken lamp.",
}


@pytest.mark.parametrize(
    "received_at",
    [
        "0001-01-01T00:00",
        "0001-01-01T00:00:00+01:00",
        "1900-01-01T10:00",
        "9999-12-31T23:59",
        "2026-11-21T09:00",
    ],
)
def test_the_staff_form_shows_an_out_of_range_receipt_time_as_a_field_error(
    client, handler, received_at
):
    client.force_login(handler)
    response = client.post("/staff/complaints/new/", {**STAFF_FORM, "received_at": received_at})
    assert response.status_code == 422
    assert response.context["form"].errors["received_at"] == [
        "Give a time from 2000-01-01 up to now."
    ]
    assert Complaint.objects.count() == 0


def test_the_staff_form_error_is_in_the_users_language(client, handler):
    client.force_login(handler)
    response = client.post(
        "/staff/complaints/new/",
        {**STAFF_FORM, "received_at": "0001-01-01T00:00"},
        HTTP_ACCEPT_LANGUAGE="uk",
    )
    assert response.status_code == 422
    assert response.context["form"].errors["received_at"] == [
        "Вкажіть час від 2000-01-01 до теперішнього моменту."
    ]


# --- text that is not UTF-8 ----------------------------------------------------------------------

PUBLIC_FORM = {
    "name": "Mari Maasikas",
    "email": "mari@example.org",
    "language": "et",
    "preferred_channel": "email",
    "description": "Late parcel.",
    "consent": "on",
}
UNREADABLE = "Some characters of this text could not be read (it was not sent as UTF-8). "


def test_a_public_form_sent_in_latin_1_is_refused_not_stored_with_replacement_characters(client):
    # "Pärnu" in ISO-8859-1: the byte E4 alone is not UTF-8.
    fields = {**PUBLIC_FORM, "description": "Pärnu pood"}
    raw = urllib.parse.urlencode(fields, encoding="latin-1")
    response = client.post("/complain/", raw, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert list(errors) == ["description"]
    assert errors["description"][0].startswith(UNREADABLE)
    assert Complaint.objects.count() == 0


def test_a_multipart_public_message_with_invalid_utf8_is_refused(client):
    _complaint, token = make_complaint()
    boundary = "BoUnDaRy"
    raw = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="body"\r\n\r\n'.encode()
        + b"Hello \xff\xfe there\r\n"
        + f"--{boundary}--\r\n".encode()
    )
    response = client.post(
        f"/track/{token}/message/", raw, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 422
    assert response.context["message_form"].errors["body"][0].startswith(UNREADABLE)
    assert Message.objects.count() == 0


def test_utf8_text_with_any_script_is_kept(client):
    response = client.post("/complain/", {**PUBLIC_FORM, "description": "Pärnu — Київ — تهران"})
    assert response.status_code == 200
    assert Complaint.objects.get().description == "Pärnu — Київ — تهران"


@pytest.mark.parametrize("value", ["yes", "1", "on", "True", ""])
@pytest.mark.parametrize("flag", ["overdue", "safety"])
def test_a_queue_flag_in_the_query_is_true_or_false_only(as_handler, flag, value):
    body = assert_problem(as_handler.get("/complaints", {flag: value}), 422, "validation_failed")
    assert body["errors"] == {flag: ["Give true or false."]}


def test_a_queue_flag_takes_true_and_false(as_handler):
    make_complaint()
    for value in ("true", "false"):
        assert as_handler.get("/complaints", {"safety": value}).status_code == 200
