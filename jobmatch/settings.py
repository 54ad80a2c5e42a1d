"""JobMatch settings: one module, every difference between environments an environment variable.

See the README's "Configuration" table for each variable. Unset, the service runs on the embedded
default: SQLite in ``var/``, Celery tasks run in-process, email printed to the console.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from jobmatch.env import env_bool, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("JOBMATCH_VAR_DIR", str(BASE_DIR / "var")))
CACHE_DIR = VAR_DIR / "cache"
# numba caches compiled engine kernels here (the package folder may not be writable).
os.environ.setdefault("NUMBA_CACHE_DIR", str(CACHE_DIR / "numba"))
# A request never embeds text: the skill normaliser reads typed phrases by their words in web
# processes; a worker (jobmatch/celery.py) reads them by meaning too.
os.environ.setdefault("JOBMATCH_SKILLS_SEMANTIC", "off")

DEBUG = env_bool("DEBUG", default=False)

_DEV_SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"
SECRET_KEY = env_str("SECRET_KEY", None) or (_DEV_SECRET_KEY if DEBUG else None)
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. With DEBUG off set SECRET_KEY to a long random string, e.g. "
        "the output of: python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY is the development key; set a real one with DEBUG off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",  # API tokens: expiring, one per sign-in, revocable
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from the lock (no CDN)
    "csp",
    "django_htmx",
    "accounts",
    "employers",
    "seekers",
    "matching",
    "placements",
    "outcomes",
    "api",
    "web",
    "demo",
]

MIDDLEWARE = [
    "jobmatch.requestid.RequestIdMiddleware",  # first: every answer and log line has the id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "jobmatch.headers.PrivateAnswersMiddleware",  # no-store, Permissions-Policy
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.IdleSignOutMiddleware",  # says so on sign-in after idle expiry
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "jobmatch.urls"
WSGI_APPLICATION = "jobmatch.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context.service",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_SQLITE_DEFAULT = f"sqlite:///{VAR_DIR / 'jobmatch.sqlite3'}"
DATABASE_URL = env_url(
    "DATABASE_URL", _SQLITE_DEFAULT, schemes=("sqlite", "postgres", "postgresql")
)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets pages read while a recompute writes; writers take the lock at BEGIN (IMMEDIATE)
    # and wait up to 20 s for it, so overlapping writes queue instead of failing as "locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file too: an in-memory database shares one cache between threads, whose locks
    # fail at once instead of waiting, unlike the file the service runs on.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (throttling counters) --------------------------------------------------------------
CACHE_URL = env_url("CACHE_URL", None, schemes=("redis", "rediss", "locmem"))
if CACHE_URL and CACHE_URL.startswith("redis"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts and sessions --------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
# New passwords: at least this long, and not on Django's list of 20,000 common passwords (taken
# from breached-password lists), nor like the person's name or email, nor all digits.
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 12, minimum=12)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["accounts.backends.LockoutBackend"]
# Per account and client address: this many wrong passwords in a row lock the account from that
# address for SIGN_IN_LOCKOUT_SECONDS, doubling with each further failure up to the maximum.
SIGN_IN_LOCKOUT_FAILURES = env_int("SIGN_IN_LOCKOUT_FAILURES", 5, minimum=1)
SIGN_IN_LOCKOUT_SECONDS = env_int("SIGN_IN_LOCKOUT_SECONDS", 60, minimum=1)
SIGN_IN_LOCKOUT_MAX_SECONDS = env_int("SIGN_IN_LOCKOUT_MAX_SECONDS", 15 * 60, minimum=1)
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True  # idle expiry: each request pushes the expiry forward

# --- Security (secure by default whenever DEBUG is off) ----------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# How many proxies in front of the service append to X-Forwarded-For: the throttles and the
# lockout read the client's address that far from the right (0: the header is ignored).
NUM_PROXIES = env_int("NUM_PROXIES", 0, minimum=0)
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Pages load scripts, styles, images and fonts only as files from the service itself: nothing
# inline, nothing from elsewhere (GOV.UK Frontend's CSS draws a few icons as data: URLs).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Email ----------------------------------------------------------------------------------
EMAIL_URL = env_url(
    "EMAIL_URL", "console://", schemes=("console", "smtp", "submission", "smtps", "memory", "dummy")
)
_email = dj_email_url.parse(EMAIL_URL)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "JobMatch <jobmatch@localhost>")
COUNCIL_NAME = env_str("COUNCIL_NAME", "Barnsley")

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# GOV.UK Frontend's CSS, JS and images, installed by `npm ci` from the committed package-lock.json.
GOVUK_FRONTEND_DIR = BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"
# htmx (npm `htmx.org`) the same way, for the pages that load it (skill suggestions).
HTMX_DIR = BASE_DIR / "node_modules" / "htmx.org" / "dist"
STATICFILES_DIRS = [
    (prefix, folder)
    for prefix, folder in [("govuk", GOVUK_FRONTEND_DIR), ("htmx", HTMX_DIR)]
    if folder.is_dir()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_THROTTLE_RATES": {
        # Sign-in attempts per client address, shared by the token endpoint and the sign-in page.
        "sign_in": env_str("SIGN_IN_THROTTLE_RATE", "10/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# API tokens (django-rest-knox): a new one on each sign-in, stored only as a hash, ending
# API_TOKEN_HOURS after it was made, on sign-out, or when the password changes.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env_int("API_TOKEN_HOURS", 10, minimum=1)),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "JobMatch API",
    "DESCRIPTION": "A town-run employment matching service.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"DeclineReasonEnum": "placements.models.DeclineReason"},
}

# --- Celery ---------------------------------------------------------------------------------
# Tasks always go through a queue, so no request waits for one. With no broker configured the
# embedded default queues them in files under var/celery (kombu's filesystem transport: no
# server), for the worker that `make demo` starts beside the web server; production uses Redis.
CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", None, schemes=("redis", "rediss"))
CELERY_QUEUE_DIR = Path(env_str("JOBMATCH_QUEUE_DIR", str(VAR_DIR / "celery")))
if CELERY_BROKER_URL is None:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR),
        "data_folder_out": str(CELERY_QUEUE_DIR),
        # Exchange tables too (kombu puts them in ./control by default: the working folder).
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "polling_interval": 0.2,  # seconds between looks at the folder (the default is 1)
    }
    CELERY_QUEUE_DIR.mkdir(parents=True, exist_ok=True)
# Run tasks inside the caller instead (tests, and one-off scripts that have no worker).
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Every periodic schedule is declared here, in one place.
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {
        "task": "placements.tasks.send_reminders",
        "schedule": crontab(hour=8, minute=0),  # each morning
    },
    "drain-recomputes": {
        # The sweep: pending recomputes whose message was lost (a killed worker) are redone.
        "task": "matching.tasks.drain_recomputes",
        "schedule": 30.0,
    },
    "recompute-all-matches": {
        "task": "matching.tasks.recompute_all_matches",
        "schedule": crontab(hour=2, minute=30),  # nightly, when nobody is using the service
    },
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": 24 * 60 * 60,
    },
}

# Each line names the request it belongs to (the id in the X-Request-ID header, "-" outside one).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "jobmatch.requestid.RequestIdFilter"}},
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s request=%(request_id)s %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
