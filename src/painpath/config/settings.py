"""Django settings for painpath.

Configuration comes from the environment so one build runs on the embedded SQLite database
(default, ./var/painpath.sqlite3 in WAL mode) and on PostgreSQL (``DATABASE_URL``).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PAINPATH_VAR_DIR", Path.cwd() / "var")).resolve()

DEBUG = os.environ.get("PAINPATH_DEBUG", "") == "1"
SECRET_KEY = os.environ.get(
    "PAINPATH_SECRET_KEY", "insecure-development-key-change-me-in-production-0123456789"
)
ALLOWED_HOSTS = os.environ.get("PAINPATH_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
    ","
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "painpath.apps.accounts",
    "painpath.apps.audit",
    "painpath.apps.patients",
    "painpath.apps.assessments",
    "painpath.apps.followup",
    "painpath.apps.medicines",
    "painpath.apps.outcomes",
    "painpath.apps.research",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "painpath.config.urls"
WSGI_APPLICATION = "painpath.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The header's navigation: only the links the signed-in role may use.
                "painpath.apps.accounts.context_processors.navigation",
            ]
        },
    }
]

_default_sqlite = f"sqlite:///{VAR_DIR / 'painpath.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_sqlite)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend with its per-query placeholder rewrite cached (ADR 0092).
    DATABASES["default"]["ENGINE"] = "painpath.db.backends.sqlite3"
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN so two
        # writers queue instead of failing with "database is locked" on upgrade.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Keep connections open between requests: closing the last connection to a WAL database
    # checkpoints and deletes the WAL file, which cost ~3 ms per request (docs/benchmarks.md, API).
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("PAINPATH_CONN_MAX_AGE", "60"))
else:
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("PAINPATH_CONN_MAX_AGE", "60"))
    # PostgreSQL: psycopg prepares a statement once it has run this many times on a connection,
    # so the server skips parsing and planning it. Only the API's hot-path statements, run through
    # painpath.db.rows.cursor() (server-side binding), are ever prepared; the ORM's client-side
    # cursors are not (ADR 0052). Empty disables it (e.g. behind an old PgBouncer in transaction
    # pooling mode, which cannot keep prepared statements).
    _prepare = os.environ.get("PAINPATH_PG_PREPARE_THRESHOLD", "5")
    if _prepare and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = int(_prepare)
# Lets several test runs share one PostgreSQL server without fighting over "test_postgres".
if os.environ.get("PAINPATH_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["PAINPATH_TEST_DB_NAME"]}

AUTH_USER_MODEL = "accounts.User"
# Log-in throttling (lock-out per username + IP) in front of the usual password check.
AUTHENTICATION_BACKENDS = ["painpath.apps.accounts.throttle.ThrottledModelBackend"]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Sessions expire after 30 minutes of inactivity (renewed on every request).
SESSION_COOKIE_AGE = int(os.environ.get("PAINPATH_SESSION_IDLE_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = os.environ.get(
    "PAINPATH_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("PAINPATH_FROM_EMAIL", "painpath <no-reply@painpath.invalid>")
PAINPATH_BASE_URL = os.environ.get("PAINPATH_BASE_URL", "http://127.0.0.1:8000")
# A folder of the clinic's licensed questionnaire wording, one FHIR R4 Questionnaire per
# instrument named <code>.json (e.g. bpi.json); without it licensed instruments show neutral labels.
PAINPATH_QUESTIONNAIRE_WORDING_DIR = os.environ.get("PAINPATH_QUESTIONNAIRE_WORDING_DIR", "")
# Published cohort reports for the researcher web area: `painpath registry publish` copies
# disclosure-controlled reports here; the web area lists and serves only those (ADR 0088).
PAINPATH_REGISTRY_REPORTS_DIR = Path(
    os.environ.get("PAINPATH_REGISTRY_REPORTS_DIR") or VAR_DIR / "registry" / "reports"
).resolve()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_link_tokens": {"()": "painpath.config.log_redaction.RedactLinkTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_link_tokens"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
