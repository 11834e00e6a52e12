"""Request middleware: show and read every time in the organisation's own time zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.cache import cache
from django.utils import timezone

TIMEZONE_CACHE_KEY = "plaint:organisation-timezone"
TIMEZONE_CACHE_SECONDS = 60


def organisation_timezone_name() -> str:
    """The organisation's IANA time zone, read at most once a minute per process."""
    name = cache.get(TIMEZONE_CACHE_KEY)
    if name is None:
        from plaint.core.selectors import organisation_get

        name = organisation_get().timezone
        cache.set(TIMEZONE_CACHE_KEY, name, TIMEZONE_CACHE_SECONDS)
    return name


class OrganisationTimezoneMiddleware:
    """Activates the organisation's time zone, so pages show local times and forms read them.

    A complaint typed in by staff as "received at 14:05" means 14:05 where the office is, not UTC.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            # The API speaks ISO 8601 with offsets; it needs no local time and no extra read.
            return self.get_response(request)
        try:
            timezone.activate(ZoneInfo(organisation_timezone_name()))
        except (ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
