"""The settings of the multi-host test's Plaint hosts: Plaint's own settings module and the
test's app (tests/multihost/ledger: every duty run recorded, and a slow duty to kill a worker
in). Used only by the hosts tests/multihost starts (``DJANGO_SETTINGS_MODULE``)."""

import os

from plaint.settings import *  # noqa: F403
from plaint.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.multihost.ledger"]
# how long each item of the ledger duty takes (its transaction stays open that long)
MULTIHOST_LEDGER_STEP_SECONDS = float(os.environ.get("MULTIHOST_LEDGER_STEP_SECONDS", "0.4"))
