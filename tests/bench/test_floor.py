"""The bench's intake floor (bench/floor.py): outside Plaint, routed only by the bench's URLconf
(bench_settings → bench_urls), refused in production, writes an equivalent row."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory, override_settings
from django.urls import Resolver404, resolve

from plaint.complaints.models import Complaint

BENCH = Path(__file__).resolve().parents[2] / "bench"
SRC = BENCH.parent / "src"
if str(BENCH) not in sys.path:  # the bench's modules are top-level there, as in its processes
    sys.path.append(str(BENCH))

from floor import COMPLAINT_COLUMNS, floor_complaint_create  # noqa: E402


def test_plaint_does_not_route_the_floor():
    with pytest.raises(Resolver404):
        resolve("/bench/floor/complaints")


@override_settings(ROOT_URLCONF="bench_urls")
def test_the_bench_urlconf_routes_the_floor_and_all_of_plaint():
    assert resolve("/bench/floor/complaints").func is floor_complaint_create
    assert resolve("/staff/").url_name == resolve("/staff/", urlconf="plaint.urls").url_name
    assert resolve("/api/v1/complaints").route == "api/v1/complaints"


def _settings_env(**extra: str) -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(SRC), str(BENCH), os.environ.get("PYTHONPATH")]))
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": path,
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "example.org",
        **extra,
    }


def _setup(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "import django; django.setup(); from django.conf import settings; print(settings.ROOT_URLCONF)"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )


def test_the_bench_settings_refuse_production():
    refused = _setup(_settings_env(PLAINT_ENV="production"))
    assert refused.returncode != 0
    assert "bench settings refuse PLAINT_ENV=production" in refused.stderr
    ok = _setup(_settings_env(PLAINT_ENV="development"))
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "bench_urls"


def test_floor_view_writes_a_complaint_and_complainant(db):
    body = {"name": "Mari Tamm", "email": "mari@example.org", "description": "Late parcel"}
    request = RequestFactory().post(
        "/bench/floor/complaints", data=json.dumps(body), content_type="application/json"
    )
    response = floor_complaint_create(request)
    assert response.status_code == 201
    data = json.loads(response.content)
    complaint = Complaint.objects.select_related("complainant").get(pk=data["id"])
    assert complaint.reference == data["reference"]
    assert complaint.complainant.email == "mari@example.org"
    assert complaint.description == "Late parcel"
    assert complaint.state == "acknowledged"


def test_the_floor_writes_every_column_of_a_complaint():
    """A new column must be added to the floor too (it has no ORM defaults to fall back on)."""
    columns = {f.column for f in Complaint._meta.concrete_fields if not f.primary_key}
    assert columns == set(COMPLAINT_COLUMNS)
