"""The benchmark floor endpoint: off by default, refused in production, writes an equivalent row."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.test import RequestFactory
from django.urls import Resolver404, resolve

from plaint.complaints.models import Complaint
from plaint.core.bench_views import floor_complaint_create


def test_floor_endpoint_is_not_routed_by_default():
    try:
        match = resolve("/bench/floor/complaints")
    except Resolver404:
        match = None
    assert match is None or match.func is not floor_complaint_create


def test_production_refuses_bench_endpoints():
    env = {
        **os.environ,
        "PLAINT_ENV": "production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "example.org",
        "PLAINT_BENCH_ENDPOINTS": "1",
        "DJANGO_SETTINGS_MODULE": "plaint.settings",
    }
    code = "import django; django.setup()"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "refuses PLAINT_BENCH_ENDPOINTS" in result.stderr
    env["PLAINT_BENCH_ENDPOINTS"] = "0"
    ok = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert ok.returncode == 0, ok.stderr


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
    from plaint.core.bench_views import COMPLAINT_COLUMNS

    columns = {f.column for f in Complaint._meta.concrete_fields if not f.primary_key}
    assert columns == set(COMPLAINT_COLUMNS)
