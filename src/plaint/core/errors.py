"""The one error tree that services raise; each adapter (form, API, CLI) maps it once."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _


class PlaintError(Exception):
    """Base of every error a service raises on purpose. ``code`` is stable; ``message`` is for people."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}

    def headers(self) -> dict[str, str]:
        """HTTP headers every adapter sends with this error's response (e.g. ``Retry-After``)."""
        return {}


class ValidationFailed(PlaintError):
    code = "validation_failed"
    status = 422


class TooLarge(PlaintError):
    """A request or file over its stated size limit."""

    code = "validation_failed"
    status = 413


class NotAllowed(PlaintError):
    code = "not_allowed"
    status = 403


class NotFound(PlaintError):
    code = "not_found"
    status = 404


class InvalidTransition(PlaintError):
    code = "invalid_transition"
    status = 409


class Conflict(PlaintError):
    code = "conflict"
    status = 409


class RateLimited(PlaintError):
    code = "rate_limited"
    status = 429

    def __init__(
        self,
        message: str,
        *,
        retry_after: int | None = None,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message, fields=fields)
        self.retry_after = retry_after  # seconds until the client may try again, when known

    def headers(self) -> dict[str, str]:
        return {} if self.retry_after is None else {"Retry-After": str(self.retry_after)}


ERROR_CODES = [
    cls.code
    for cls in (
        PlaintError,
        ValidationFailed,
        NotAllowed,
        NotFound,
        InvalidTransition,
        Conflict,
        RateLimited,
    )
] + ["unauthenticated", "idempotency_mismatch", "unsupported_media_type"]


def choose_one_of(choices: Iterable[str]) -> str:
    """The message for a value that is none of ``choices``, naming them in the caller's language:
    "Choose one of: low, normal, high."."""
    return _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)}
