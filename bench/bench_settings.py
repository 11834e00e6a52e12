"""Settings of the bench's processes (migrate, gunicorn, in-process clients): Plaint's settings
with the bench's URLconf, which adds the intake floor. ``bench/`` must be on ``PYTHONPATH``
(``_common.django_env`` puts it there). Refused with ``PLAINT_ENV=production``: the floor writes
complaints without authentication."""

from django.core.exceptions import ImproperlyConfigured

from plaint.settings import *  # noqa: F403
from plaint.settings import PRODUCTION

if PRODUCTION:
    raise ImproperlyConfigured("the bench settings refuse PLAINT_ENV=production")

ROOT_URLCONF = "bench_urls"
