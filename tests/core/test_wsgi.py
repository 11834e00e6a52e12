"""The WSGI entry point loads everything a request needs at start-up and freezes it out of the
garbage collector's way (in a fresh process, as gunicorn's workers import it)."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import gc, sys
import plaint.wsgi
print(gc.get_freeze_count(), "plaint.urls" in sys.modules, "plaint.api" in sys.modules)
"""


def test_the_application_is_loaded_and_frozen_on_import(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PLAINT_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    frozen, urls, api = result.stdout.split()
    assert urls == api == "True", "the URLconf and the API are imported before the first request"
    assert int(frozen) > 10_000, "Django's start-up objects are frozen, not left to the collector"
