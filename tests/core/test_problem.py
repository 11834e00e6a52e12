"""Pydantic's validation errors as the API answers them (``core.problem.validation_errors``):
keyed by the field, and in the request's language in words a person can act on."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import pytest
from django.utils import translation
from pydantic import BaseModel, Field, ValidationError

from plaint.core.problem import validation_errors
from tests.api_client import ApiClient


class Order(BaseModel):
    lines: list[str] = Field(max_length=3, min_length=1)
    note: str = Field("", max_length=5)
    amount: Annotated[Decimal, Field(max_digits=5, decimal_places=2)] = Decimal(0)
    count: int = 0


def errors(data: dict, language: str = "en") -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught, translation.override(language):
        Order.model_validate(data)
    with translation.override(language):
        return validation_errors(caught.value.errors())


def test_lengths_are_counted_as_items_of_a_list_and_characters_of_a_text():
    assert errors({"lines": ["a"] * 4}) == {"lines": ["Give at most 3 items."]}
    assert errors({"lines": []}) == {"lines": ["Give at least 1 item."]}
    assert errors({"lines": ["a"], "note": "too long"}) == {"note": ["Give at most 5 characters."]}


def test_a_count_takes_the_plural_form_of_the_language():
    # Ukrainian has three forms: 1 елемент, 3 елементи, 5 елементів
    assert errors({"lines": []}, "uk") == {"lines": ["Вкажіть щонайменше 1 елемент."]}
    assert errors({"lines": ["a"] * 4}, "uk") == {"lines": ["Вкажіть не більше ніж 3 елементи."]}


def test_digits_and_kinds_of_value_are_named():
    assert errors({"lines": ["a"], "amount": "1234.5"}) == {
        "amount": ["Give at most 3 digits before the decimal point."]
    }
    assert errors({"lines": ["a"], "amount": "1.234"}) == {
        "amount": ["Give at most 2 decimal places."]
    }
    assert errors({"lines": ["a"], "amount": "many"}) == {"amount": ["Give a number."]}
    assert errors({"lines": "a"}, "sv") == {"lines": ["Ange en lista."]}
    assert errors({"lines": ["a"], "count": 1.5}) == {"count": ["Give a whole number."]}


@pytest.mark.django_db
def test_a_problems_title_is_the_status_phrase_in_the_callers_language(client, handler):
    english = client.get("/api/v1/complaints")  # no token: 401
    assert english.status_code == 401 and english.json()["title"] == "Unauthorized"
    persian = client.get("/api/v1/no-such-thing", headers={"Accept-Language": "fa"})
    assert persian.status_code == 404 and persian.json()["title"] == "پیدا نشد"
    swedish = ApiClient(handler).post(
        "/complaints", raw="{}", content_type="text/plain", **{"Accept-Language": "sv"}
    )
    assert swedish.status_code == 415 and swedish.json()["title"] == "Medietypen stöds inte"


def test_the_apis_own_details_are_in_the_callers_language(client, handler):
    ukrainian = client.get("/api/v1/complaints", headers={"Accept-Language": "uk"})  # no token
    assert ukrainian.status_code == 401
    assert (
        ukrainian.json()["detail"] == "Надішліть дійсний API-токен: Authorization: Bearer <token>."
    )
    estonian = ApiClient(handler).post("/complaints", raw="{not json", **{"Accept-Language": "et"})
    assert estonian.status_code == 400
    assert estonian.json()["detail"] == "Päringu sisu ei ole korrektne JSON."
    assert estonian.json()["errors"] == {"body": ["Ei ole korrektne JSON."]}
    api = ApiClient(handler)
    swedish = api.client.delete(
        "/api/v1/complaints", headers=api.headers({"Accept-Language": "sv"})
    )
    assert swedish.status_code == 405
    assert swedish.json()["detail"].startswith("Använd en av: ")
    assert set(swedish.json()["detail"][14:-1].replace(" ", "").split(",")) == {"GET", "POST"}
