"""Plaint's one settings module: every knob is an environment variable read by a typed helper.

With nothing set, Plaint runs on SQLite in ``./var`` with DEBUG off and a development secret key.
``PLAINT_ENV=production`` refuses to start with a default secret key or with DEBUG on.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _secret(name: str) -> str:
    """A secret from ``NAME_FILE`` (a file holding it, e.g. a container secret) or ``NAME``."""
    path = os.environ.get(f"{name}_FILE", "").strip()
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {path!r}: {exc}") from exc
    return os.environ.get(name, "")


PLAINT_ENV = env_str("PLAINT_ENV", "development")
if PLAINT_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(
        f"PLAINT_ENV must be development, production or test; got {PLAINT_ENV!r}"
    )
PRODUCTION = PLAINT_ENV == "production"

DATA_DIR = Path(env_str("PLAINT_DATA_DIR", str(Path.cwd() / "var"))).resolve()

_DEV_SECRET = "plaint-development-secret-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET)
DEBUG = env_bool("DEBUG", False)

if PRODUCTION:
    if SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "PLAINT_ENV=production needs SECRET_KEY set to a random value of at least 50 characters"
        )
    if DEBUG:
        raise ImproperlyConfigured("PLAINT_ENV=production refuses DEBUG=true")

BASE_URL = env_str("PLAINT_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", [BASE_URL] if BASE_URL.startswith("https") else []
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "plaint.core",
    "plaint.accounts",
    "plaint.organisation",
    "plaint.complaints",
    "plaint.promises",
    "plaint.surveys",
    "plaint.insights",
    "plaint.notifications",
    "plaint.webhooks",
    "plaint.disputes",
    "plaint.improvement",
    "plaint.mailin",
    "plaint.privacy",
    "plaint.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # every response's Content-Security-Policy (core/csp.py), static files' included
    "plaint.core.csp.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "plaint.urls"
WSGI_APPLICATION = "plaint.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:queue"
# where a neutral (a dispute-resolution provider's person) lands after the same sign-in
NEUTRAL_LOGIN_REDIRECT_URL = "neutral:list"
LOGOUT_REDIRECT_URL = "staff:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    # The staff case page and its timeline only (plaint.site.jinja, docs/performance.md):
    # rendered with Jinja2 for its speed; their templates are in complaints/jinja2, core/jinja2
    # and the panels' apps' jinja2 directories.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "plaint.site.jinja.environment",
            "context_processors": [
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "plaint.site.jinja.page_helpers",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------------------
_default_db = f"sqlite:///{DATA_DIR / 'plaint.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", _default_db)
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        # WAL lets the in-process worker read while a request writes; IMMEDIATE takes the write
        # lock at BEGIN so two writers queue up instead of failing half-way through.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # Off by default: a health check costs a round trip on every request; turn it on where a
    # proxy or failover can silently drop idle connections.
    _db["CONN_HEALTH_CHECKS"] = env_bool("DB_CONN_HEALTH_CHECKS", False)
    # Long reads (the complaint-register export) use server-side cursors; PgBouncer in transaction
    # pooling mode cannot keep one open across statements: turn them off there.
    _db["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DB_DISABLE_SERVER_SIDE_CURSORS", False)
    # Prepared statements (docs/performance.md): the server binds the parameters, and a statement
    # run a second time on a connection is prepared there, so the pages' statements (the case
    # page's six-table read of the complaint: ~1.6 ms of planning) are planned once per
    # connection. A pooler that cannot keep them (PgBouncer in transaction mode before 1.21):
    # DB_PREPARED_STATEMENTS=false.
    if env_bool("DB_PREPARED_STATEMENTS", True):
        _options = _db.setdefault("OPTIONS", {})
        _options["server_side_binding"] = True
        _options["prepare_threshold"] = 2
DATABASES = {"default": _db}
# A PostgreSQL streaming replica for report reads (core.replica, docs/operations.md): insights,
# analysis, the scorecard and the register export read there; everything else, and every write,
# goes to the primary.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    _replica = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0)
    )
    if (
        _replica["ENGINE"] != "django.db.backends.postgresql"
        or _db["ENGINE"] != "django.db.backends.postgresql"
    ):
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL needs PostgreSQL, for the replica and for DATABASE_URL"
        )
    _replica["CONN_HEALTH_CHECKS"] = _db["CONN_HEALTH_CHECKS"]
    _replica["DISABLE_SERVER_SIDE_CURSORS"] = _db["DISABLE_SERVER_SIDE_CURSORS"]
    # A replica that does not answer must not hang a report: give up after 3 s and read the
    # primary (core.replica). A connect_timeout in the URL's query wins.
    _replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    _replica["TEST"] = {"MIRROR": "default"}  # tests read their own database
    DATABASES["replica"] = _replica
DATABASE_ROUTERS = ["plaint.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- background jobs ------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
if PLAINT_ENV == "test" and env_bool("PLAINT_TASKS_IMMEDIATE", False):
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The period of the five-minutely periodic duties (promise sweep, survey dispatch, seals …), each
# run once per period whatever the number of workers (core.duties, docs/operations.md).
HOUSEKEEPING_SECONDS = env_int("PLAINT_HOUSEKEEPING_SECONDS", 300, minimum=1)
# How often each worker asks which duties are due (one SELECT of a dozen rows).
DUTIES_CHECK_SECONDS = env_int("PLAINT_DUTIES_CHECK_SECONDS", 5, minimum=1)

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("et", "Eesti"),
    ("uk", "Українська"),
    ("sv", "Svenska"),
    ("fa", "فارسی"),
]
LANGUAGES_BIDI = ["fa"]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Dates and times in each language's own formats, where Django's are wrong (plaint/core/formats).
FORMAT_MODULE_PATH = ["plaint.core.formats"]
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "UTC")

# --- static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},  # see _file_store below
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
ATTACHMENT_MAX_BYTES = env_int("PLAINT_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
ATTACHMENT_MAX_COUNT = env_int("PLAINT_ATTACHMENT_MAX_COUNT", 5, minimum=0)
# the one limit of an imported responses file, on the page and in the API (raw upload) alike
IMPORT_MAX_BYTES = env_int("PLAINT_IMPORT_MAX_BYTES", 20_000_000, minimum=1024)
# the limit of a complaint history file sent to the page or the API (streamed to the data folder,
# never held in memory); the command line reads a file of any size
HISTORY_IMPORT_MAX_BYTES = env_int("PLAINT_HISTORY_IMPORT_MAX_BYTES", 500_000_000, minimum=1024)
# a history file up to this size is imported (or dry-run) in the request; larger ones by the worker
HISTORY_IMPORT_INLINE_BYTES = env_int("PLAINT_HISTORY_IMPORT_INLINE_BYTES", 2_000_000, minimum=0)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024


# --- shared files (docs/operations.md, "Files") -------------------------------------------------
# Attachments, raw mails and files kept between import steps: in MEDIA_ROOT ("local", one
# machine) or in an S3-compatible object store ("s3") that every web host and worker shares.
FILE_STORE = env_str("PLAINT_FILE_STORE", "local")
if FILE_STORE not in {"local", "s3"}:
    raise ImproperlyConfigured(f"PLAINT_FILE_STORE must be local or s3; got {FILE_STORE!r}")


def _file_store() -> dict[str, object]:
    """The object store's options, from PLAINT_S3_* (the secret key also from a ``_FILE``)."""
    bucket = env_str("PLAINT_S3_BUCKET", "")
    if not bucket:
        raise ImproperlyConfigured("PLAINT_FILE_STORE=s3 needs PLAINT_S3_BUCKET")
    style = env_str("PLAINT_S3_ADDRESSING_STYLE", "auto")
    if style not in {"auto", "path", "virtual"}:
        raise ImproperlyConfigured(
            f"PLAINT_S3_ADDRESSING_STYLE must be auto, path or virtual; got {style!r}"
        )
    options: dict[str, object] = {
        "bucket_name": bucket,
        "location": env_str("PLAINT_S3_PREFIX", "").strip("/"),
        "endpoint_url": env_str("PLAINT_S3_ENDPOINT_URL", "") or None,
        "region_name": env_str("PLAINT_S3_REGION", "") or None,
        "addressing_style": None if style == "auto" else style,
        # empty: boto3 finds credentials itself (environment, instance role, ~/.aws)
        "access_key": env_str("PLAINT_S3_ACCESS_KEY_ID", "") or None,
        "secret_key": _secret("PLAINT_S3_SECRET_ACCESS_KEY") or None,
        "verify": env_str("PLAINT_S3_CA_FILE", "") or None,
        "default_acl": None,  # objects stay private; downloads go through Plaint's checks
        "querystring_auth": True,
    }
    return {"BACKEND": "plaint.core.objectstore.ObjectStore", "OPTIONS": options}


if FILE_STORE == "s3":
    STORAGES["default"] = _file_store()

# --- e-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
# Where the file-based backend (used by `plaint demo` without EMAIL_HOST) writes mails.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Plaint <complaints@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Retries of an undelivered mail: attempt n waits EMAIL_RETRY_BASE_SECONDS * 2**(n-1), capped.
EMAIL_RETRY_BASE_SECONDS = env_int("PLAINT_EMAIL_RETRY_BASE_SECONDS", 30, minimum=1)
EMAIL_RETRY_MAX_SECONDS = env_int("PLAINT_EMAIL_RETRY_MAX_SECONDS", 3600, minimum=1)
EMAIL_MAX_ATTEMPTS = env_int("PLAINT_EMAIL_MAX_ATTEMPTS", 20, minimum=1)
# How long a worker holds a mail it is sending: a worker that dies mid-delivery leaves its mail to
# the others once this passes (so a mail may then go out twice: delivery is at least once).
EMAIL_CLAIM_LEASE_SECONDS = env_int("PLAINT_EMAIL_CLAIM_LEASE_SECONDS", 300, minimum=1)


# --- e-mail intake (plaint.mailin, docs/email.md) ------------------------------------------------
def _mailbox(name: str) -> dict[str, object]:
    """One IMAP mailbox: ``PLAINT_MAILIN_<NAME>_URL=imaps://user@host[:port]/Folder`` and its
    password in ``PLAINT_MAILIN_<NAME>_PASSWORD_FILE`` (or ``_PASSWORD``). TLS only."""
    from urllib.parse import unquote, urlsplit

    prefix = f"PLAINT_MAILIN_{name.upper()}"
    url = urlsplit(os.environ.get(f"{prefix}_URL", ""))
    if url.scheme != "imaps" or not url.hostname or not url.username:
        raise ImproperlyConfigured(
            f"{prefix}_URL must be imaps://user@host[:port]/Folder (IMAP over TLS only)"
        )
    password = _secret(f"{prefix}_PASSWORD")
    if not password:
        raise ImproperlyConfigured(f"{prefix}_PASSWORD_FILE (or {prefix}_PASSWORD) is not set")
    return {
        "name": name,
        "host": url.hostname,
        "port": url.port or 993,
        "user": unquote(url.username),
        "password": password,
        "folder": unquote(url.path.lstrip("/")) or "INBOX",
        # moved there once ingested; without it the message is flagged \Seen and stays
        "move_to": os.environ.get(f"{prefix}_MOVE_TO", ""),
    }


MAILIN_MAILBOXES = [_mailbox(n) for n in env_list("PLAINT_MAILIN_MAILBOXES", [])]
# An extra CA bundle trusted for the mailboxes' TLS (a private CA); the system's is always used.
MAILIN_CA_FILE = env_str("PLAINT_MAILIN_CA_FILE", "")
MAILIN_FETCH_INTERVAL = env_int("PLAINT_MAILIN_FETCH_INTERVAL", 60, minimum=1)  # seconds
MAILIN_MAX_BYTES = env_int("PLAINT_MAILIN_MAX_BYTES", 40 * 1024 * 1024, minimum=1024)
# More messages than this from one sender in an hour are quarantined, not answered.
MAILIN_SENDER_LIMIT_PER_HOUR = env_int("PLAINT_MAILIN_SENDER_LIMIT_PER_HOUR", 20, minimum=1)
# A reply to a finished case: "new_case" opens a new case linked to it; "quarantine" holds it.
MAILIN_CLOSED_CASE_REPLY = env_str("PLAINT_MAILIN_CLOSED_CASE_REPLY", "new_case")
if MAILIN_CLOSED_CASE_REPLY not in {"new_case", "reopen", "quarantine"}:
    raise ImproperlyConfigured(
        "PLAINT_MAILIN_CLOSED_CASE_REPLY must be new_case, reopen or quarantine"
    )
# The address replies go to, plus-addressed with the case's reference (intake+C-2026-000001@…);
# empty: no Reply-To (replies go to the From address and are matched by Message-ID and subject).
MAILIN_REPLY_ADDRESS = env_str("PLAINT_MAILIN_REPLY_ADDRESS", "")
# The bearer token of POST /mail/inbound (providers that push raw MIME); empty: endpoint off.
MAILIN_HTTP_TOKEN = _secret("PLAINT_MAILIN_HTTP_TOKEN")
# How long the raw message of a quarantined or discarded mail is kept.
MAILIN_RAW_RETENTION_DAYS = env_int("PLAINT_MAILIN_RAW_RETENTION_DAYS", 90, minimum=1)

# --- outgoing webhooks (docs/webhooks.md) ----------------------------------------------------
# Attempt n of an undelivered event waits WEBHOOK_RETRY_BASE_SECONDS * 2**(n-1), capped; after
# WEBHOOK_MAX_ATTEMPTS attempts it is given up on (a 4xx other than 408 and 429 at once).
WEBHOOK_TIMEOUT_SECONDS = env_int("PLAINT_WEBHOOK_TIMEOUT_SECONDS", 5, minimum=1)
WEBHOOK_RETRY_BASE_SECONDS = env_int("PLAINT_WEBHOOK_RETRY_BASE_SECONDS", 30, minimum=1)
WEBHOOK_RETRY_MAX_SECONDS = env_int("PLAINT_WEBHOOK_RETRY_MAX_SECONDS", 3600, minimum=1)
WEBHOOK_MAX_ATTEMPTS = env_int("PLAINT_WEBHOOK_MAX_ATTEMPTS", 10, minimum=1)
# Webhook URLs are https only, except http://127.0.0.1, http://[::1] and http://localhost when
# developing (DEBUG) or testing: a receiver on the same machine. Never in production.
WEBHOOK_ALLOW_LOCAL_HTTP = not PRODUCTION and env_bool(
    "PLAINT_WEBHOOK_ALLOW_LOCAL_HTTP", DEBUG or PLAINT_ENV == "test"
)

# --- public intake protection ----------------------------------------------------------------
# Submissions allowed per client address per hour on the public form and tracking actions.
PUBLIC_RATE_LIMIT_PER_HOUR = env_int("PLAINT_PUBLIC_RATE_LIMIT_PER_HOUR", 20, minimum=1)
# Looks at tracking pages and their downloads allowed per client address per hour.
TRACKING_RATE_LIMIT_PER_HOUR = env_int("PLAINT_TRACKING_RATE_LIMIT_PER_HOUR", 300, minimum=1)

# --- audit trail seals -----------------------------------------------------------------------
# The key that signs the seals lives outside the database (core/audit/keys.py): PLAINT_AUDIT_KEY
# as ID:SECRET (older keys in PLAINT_AUDIT_KEY_FALLBACKS), or else the key file, created on the
# first seal. Every seal is also appended to the seal log, which `plaint audit verify` compares
# the database with. Both are checked by the audit code when used, with a clear message.
AUDIT_KEY = env_str("PLAINT_AUDIT_KEY", "")
AUDIT_KEY_FALLBACKS = env_list("PLAINT_AUDIT_KEY_FALLBACKS", [])
AUDIT_KEY_FILE = Path(env_str("PLAINT_AUDIT_KEY_FILE", str(DATA_DIR / "audit-keys")))
AUDIT_SEAL_LOG = Path(env_str("PLAINT_AUDIT_SEAL_LOG", str(DATA_DIR / "audit-seals.jsonl")))
# Events may wait this long for a seal before verify calls the latest seal stale: the worker
# seals every 5 minutes, plus 10 minutes of margin.
AUDIT_SEAL_MAX_AGE_SECONDS = env_int("PLAINT_AUDIT_SEAL_MAX_AGE_SECONDS", 900, minimum=60)

# --- staff sign-in throttle (docs/operations.md, "Security") ------------------------------------
# Wrong passwords allowed per account name, and per client address, within the window; at the
# limit that account (or address) is locked for LOGIN_LOCKOUT_SECONDS. Unknown names count alike.
LOGIN_ACCOUNT_MAX_FAILURES = env_int("PLAINT_LOGIN_ACCOUNT_MAX_FAILURES", 10, minimum=1)
LOGIN_ADDRESS_MAX_FAILURES = env_int("PLAINT_LOGIN_ADDRESS_MAX_FAILURES", 50, minimum=1)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("PLAINT_LOGIN_FAILURE_WINDOW_SECONDS", 900, minimum=1)
LOGIN_LOCKOUT_SECONDS = env_int("PLAINT_LOGIN_LOCKOUT_SECONDS", 900, minimum=1)

# --- staff two-step sign-in (TOTP, django-otp) ------------------------------------------------
# Roles that must use an authenticator app: after the password, a member without one enrols
# before the sign-in completes. Anyone else may turn it on for themselves. Empty: nobody must.
TWO_FACTOR_REQUIRED_ROLES = env_list("PLAINT_TWO_FACTOR_REQUIRED_ROLES", [])
_KNOWN_ROLES = {"admin", "manager", "handler", "auditor"}
if set(TWO_FACTOR_REQUIRED_ROLES) - _KNOWN_ROLES:
    raise ImproperlyConfigured(
        "PLAINT_TWO_FACTOR_REQUIRED_ROLES must list roles among admin, manager, handler, auditor; "
        f"got {','.join(TWO_FACTOR_REQUIRED_ROLES)!r}"
    )
OTP_TOTP_ISSUER = env_str("PLAINT_TWO_FACTOR_ISSUER", "Plaint")  # the name shown in the app

# --- security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every layout step of every PDF at INFO (dozens of lines per document)
        "weasyprint": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 25
