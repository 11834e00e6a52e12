"""The webhooks API's input and output shapes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema
from pydantic import StrictBool, StringConstraints

from plaint.complaints.schemas import NoNul
from plaint.webhooks.models import URL_MAX, EventName
from plaint.webhooks.services.config import NAME_MAX

WebhookName = Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX), NoNul]
WebhookUrl = Annotated[str, StringConstraints(min_length=1, max_length=URL_MAX), NoNul]


class WebhookIn(Schema):
    name: WebhookName
    url: WebhookUrl = Field(
        description="https:// (http:// to 127.0.0.1 or localhost only in development and tests)"
    )
    events: list[EventName] = Field(min_length=1)
    active: StrictBool = True


class WebhookUpdateIn(Schema):
    """Only the fields given change; the secret never does (``POST …/rotate-secret``)."""

    name: WebhookName | None = None
    url: WebhookUrl | None = None
    events: list[EventName] | None = Field(None, min_length=1)
    active: StrictBool | None = None


class WebhookOut(Schema):
    id: int
    name: str
    url: str
    events: list[str]
    active: bool
    created_at: dt.datetime
    secret_rotated_at: dt.datetime | None


class WebhookSecretOut(WebhookOut):
    secret: str = Field(description="Shown this once: keep it to check the signatures")


class DeliveryOut(Schema):
    delivery_id: str
    event: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str
    created_at: dt.datetime
    next_attempt_at: dt.datetime
    delivered_at: dt.datetime | None


class WebhookDetailOut(WebhookOut):
    deliveries: list[DeliveryOut] = Field(description="The newest deliveries first")
