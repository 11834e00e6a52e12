"""Shared fixtures: personas (one per role), factories, running queued jobs like the worker does."""

from __future__ import annotations

import inspect
import os
import tempfile

os.environ.setdefault("PLAINT_ENV", "test")
os.environ.setdefault("PLAINT_DATA_DIR", tempfile.mkdtemp(prefix="plaint-test-"))
# collectstatic's target exists, as after a deploy; WhiteNoise warns on every request otherwise
os.makedirs(os.path.join(os.environ["PLAINT_DATA_DIR"], "static"), exist_ok=True)
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("PLAINT_PUBLIC_RATE_LIMIT_PER_HOUR", "1000")
# Every test client comes from one address: a test that sends many bad API tokens on purpose (a
# fuzzer's auth checks) must not lock 127.0.0.1 out; the throttle's tests set their own limits.
os.environ.setdefault("PLAINT_LOGIN_ADDRESS_MAX_FAILURES", "1000")
# The live server listens on IPv4 loopback, where the browser looks for it.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

import pytest  # noqa: E402 - the environment above must be set first
from hypothesis import settings as hypothesis_settings  # noqa: E402

# CI explores a fixed set of examples (a red build must be reproducible); a developer's run explores
# new ones each time. `HYPOTHESIS_PROFILE=explore` forces exploring anywhere.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
hypothesis_settings.register_profile("explore", print_blob=True)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "explore")
)

from tests.factories import UserFactory  # noqa: E402
from tests.reliability import figures  # noqa: E402

# The reliability figures' hooks live here so that they see the report of every test.
pytest_runtest_logreport = figures.pytest_runtest_logreport
pytest_sessionstart = figures.pytest_sessionstart
pytest_sessionfinish = figures.pytest_sessionfinish
pytest_terminal_summary = figures.pytest_terminal_summary


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request through the test client leaves
    its language active on the thread (LocaleMiddleware activates it and nothing deactivates it),
    which would otherwise decide the next test's number and date formats."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _audit_key_and_seal_log(settings, tmp_path_factory):
    """Each test seals with its own key file and seal log, as each has its own database: a seal
    another test wrote would be missing from this test's database."""
    folder = tmp_path_factory.mktemp("audit")
    settings.AUDIT_KEY = ""
    settings.AUDIT_KEY_FALLBACKS = []
    settings.AUDIT_KEY_FILE = folder / "audit-keys"
    settings.AUDIT_SEAL_LOG = folder / "audit-seals.jsonl"
    return folder


@pytest.fixture
def admin_user(db):
    return UserFactory(username="ada", role="admin")


@pytest.fixture
def manager(db):
    return UserFactory(username="maria", role="manager")


@pytest.fixture
def handler(db):
    return UserFactory(username="hans", role="handler")


@pytest.fixture
def other_handler(db):
    return UserFactory(username="olga", role="handler")


@pytest.fixture
def auditor(db):
    return UserFactory(username="aino", role="auditor")


@pytest.fixture
def personas(admin_user, manager, handler, auditor):
    return {"admin": admin_user, "manager": manager, "handler": handler, "auditor": auditor}


@pytest.fixture
def run_jobs(db):
    """Run every job that is due, in this process, the way ``plaint worker`` does; returns the count."""
    from plaint.core.worker import run_due_jobs

    return run_due_jobs


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 collecting messages; Django's SMTP backend points at it.

    ``smtp_server.stop()`` closes the port (delivery fails with "connection refused"),
    ``smtp_server.start()`` opens it again; ``smtp_server.messages`` lists what arrived."""
    from tests.smtp_sink import SmtpSink

    sink = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = sink.host
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield sink
    sink.stop()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# How long a browser test's actions and expect()'s assertions wait for the page (milliseconds).
BROWSER_WAIT_MS = 15_000


@pytest.fixture
def browser_page(transactional_db, live_server, monkeypatch):
    """A Playwright page in Debian's headless Chromium, with ``base_url`` set to the live server.

    Skips when Chromium is missing, unless PLAINT_REQUIRE_BROWSER=1 (scripts/test sets it when it
    has Chromium), so a broken browser setup fails CI instead of hiding.

    ``transactional_db`` comes before ``live_server`` on purpose: session fixtures are torn down
    in reverse order, so the live server (and its database connection) stops before the test
    database is dropped."""
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("PLAINT_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # around it are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.db import connections
    from playwright.sync_api import expect, sync_playwright

    # expect()'s assertions wait as long as the page's actions do (its own default is 5 s: a busy
    # CI machine has gone past that where a quiet one takes 3 s)
    expect.set_options(timeout=BROWSER_WAIT_MS)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, timeout=60_000
        )
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(BROWSER_WAIT_MS)
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()
            # ORM calls made while Playwright's loop runs open a connection of their own; close
            # it, or dropping the test database fails with "being accessed by other users".
            connections.close_all()


# What gives a test the database: pytest-django's marker or one of these fixtures.
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
    }
)


def uses_database(item) -> bool:
    """Whether a test declares the database (its marker, or a fixture that needs one), or may
    take one while it runs: a test that asks for fixtures by name (``request.getfixturevalue``)
    counts as using it, whatever it names."""
    if item.get_closest_marker("django_db") is not None:
        return True
    if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    function = getattr(item, "function", None)
    try:
        return function is None or "getfixturevalue" in inspect.getsource(function)
    except (OSError, TypeError):
        return True


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres_only`` skip, with the reason shown, when the suite runs on SQLite.
    With ``PLAINT_TESTS_DATABASE_ONLY=1`` (``scripts/test``'s PostgreSQL part) the tests that use
    no database are left out, reported as deselected: the SQLite part ran them, and they do the
    same on either engine."""
    from django.conf import settings

    figures.pytest_collection_modifyitems(config, items)
    if os.environ.get("PLAINT_TESTS_DATABASE_ONLY") == "1":
        kept, database_free = [], []
        for item in items:  # each test's source is read at most once
            (kept if uses_database(item) else database_free).append(item)
        if database_free:
            config.hook.pytest_deselected(items=database_free)
            items[:] = kept
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL: set DATABASE_URL=postgresql://... (scripts/test runs it)"
    )
    for item in items:
        if item.get_closest_marker("postgres_only"):
            item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Every persona gets a hashed password; PBKDF2's deliberate slowness (a second or more per
    user on a busy 2-core machine) would dominate the suite. Tests never need the slow hash."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A real S3-compatible server (moto's, in a process of its own on 127.0.0.1), once a session."""
    from tests.objectstore import MotoServer

    server = MotoServer().start(tmp_path_factory.mktemp("moto") / "moto.log")
    yield server
    server.stop()


@pytest.fixture
def object_store(settings, s3_server):
    """Django's default storage is a fresh bucket on the S3 server, as with PLAINT_FILE_STORE=s3;
    returns the server (``object_store.client()`` looks into the bucket, named ``.bucket``)."""
    bucket = s3_server.new_bucket()
    settings.STORAGES = s3_server.storages_setting(bucket, settings.STORAGES)
    s3_server.bucket = bucket
    return s3_server
