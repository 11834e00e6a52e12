from __future__ import annotations

import pytest

from plaint.core.actors import Actor
from plaint.webhooks.services import webhook_create


@pytest.fixture
def quick_retries(settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    settings.WEBHOOK_RETRY_BASE_SECONDS = 60
    settings.WEBHOOK_MAX_ATTEMPTS = 5


@pytest.fixture
def hook(manager):
    """Make a webhook for ``events`` to ``url``: returns (webhook, secret)."""

    def make(url: str, events=("complaint.created",), active: bool = True):
        return webhook_create(
            actor=Actor.staff(manager), name="Helpdesk", url=url, events=events, active=active
        )

    return make
