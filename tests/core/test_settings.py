"""The settings module in fresh processes with a clean environment: production refuses unsafe
values, bad values fail loudly naming the variable, and a proper production setup passes
``check --deploy``."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest

LONG_KEY = secrets.token_urlsafe(60)


def django(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "plaint.settings",
        "PLAINT_DATA_DIR": str(tmp_path / "data"),
        # the code under test, also when it is not the one installed (a worktree)
        "PYTHONPATH": os.pathsep.join(
            os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p
        ),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        env=clean,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "PLAINT_ENV": "production",
    "SECRET_KEY": LONG_KEY,
    "ALLOWED_HOSTS": "complaints.example.org",
    "PLAINT_BASE_URL": "https://complaints.example.org",
}


def test_production_passes_check_deploy_at_warning_level(tmp_path):
    result = django(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "named"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),  # removed below: the built-in development key
        ({"SECRET_KEY": "short-but-not-default"}, "SECRET_KEY"),
        ({"DEBUG": "true"}, "DEBUG"),
    ],
    ids=["default-key", "short-key", "debug"],
)
def test_production_refuses_unsafe_settings(tmp_path, override, named):
    env = {**PRODUCTION, **override}
    if override.get("SECRET_KEY") == "":
        del env["SECRET_KEY"]
    result = django(tmp_path, "check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr.strip().splitlines()[-1]


def test_the_same_settings_are_fine_in_development(tmp_path):
    result = django(tmp_path, "check", PLAINT_ENV="development", DEBUG="true")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("EMAIL_PORT", "abc"),
        ("EMAIL_USE_TLS", "sometimes"),
        ("PLAINT_ATTACHMENT_MAX_BYTES", "12"),
        ("PLAINT_ENV", "staging"),
    ],
)
def test_bad_values_fail_loudly_naming_the_variable(tmp_path, name, value):
    result = django(tmp_path, "check", **{name: value})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last_line
    assert name in last_line and value in last_line


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"PLAINT_FILE_STORE": "cloud"}, "PLAINT_FILE_STORE"),
        ({"PLAINT_FILE_STORE": "s3"}, "PLAINT_S3_BUCKET"),
        ({"PLAINT_FILE_STORE": "s3", "PLAINT_S3_BUCKET": "b", "PLAINT_S3_ADDRESSING_STYLE": "x"},
         "PLAINT_S3_ADDRESSING_STYLE"),
    ],
    ids=["unknown-store", "no-bucket", "bad-style"],
)  # fmt: skip
def test_a_file_store_setting_that_cannot_work_fails_loudly(tmp_path, env, named):
    result = django(tmp_path, "check", **env)
    assert result.returncode != 0
    assert named in result.stderr.strip().splitlines()[-1]


def test_the_object_store_setting_makes_it_the_default_storage(tmp_path):
    secret = tmp_path / "s3-secret"
    secret.write_text("from-a-file\n")
    show = (
        "from django.core.files.storage import default_storage as s; s._setup(); w = s._wrapped; "
        "print(type(w).__name__, w.bucket_name, w.endpoint_url, w.secret_key, w.file_overwrite)"
    )
    result = django(
        tmp_path, "shell", "-c", show,
        PLAINT_FILE_STORE="s3", PLAINT_S3_BUCKET="complaints",
        PLAINT_S3_ENDPOINT_URL="https://s3.example.org", PLAINT_S3_SECRET_ACCESS_KEY_FILE=str(secret),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "ObjectStore", "complaints", "https://s3.example.org", "from-a-file", "False"
    ]  # fmt: skip
