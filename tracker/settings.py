"""
Settings for the policy-measure tracker, read from the environment.

Every value has a safe default (DEBUG off, SQLite in the project root) and a bad value stops the
start-up with a message that names the variable.
"""

import datetime
import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    """Return the boolean in environment variable `name`; refuse anything but 0/1/true/false."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 0 or 1 (or true/false), not {raw!r}.")


def env_int(name, default):
    """Return the whole number in environment variable `name`."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name, default=()):
    """Return the comma-separated list in environment variable `name`."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url):
    """Return Django's DATABASES entry for `url`; only SQLite and PostgreSQL are supported."""
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60))
    except Exception as exc:  # dj-database-url raises several kinds of error for a bad URL.
        raise ImproperlyConfigured(f"DATABASE_URL could not be read: {exc}") from None
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        # Writers queue instead of failing with "database is locked".
        config["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    elif engine != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DATABASE_URL must start with sqlite:/// or postgres:// "
            f"(got a URL for {engine or 'an unknown engine'})."
        )
    return config


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            "For local development run with DJANGO_DEBUG=1 (make run does)."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "measures",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "measures.middleware.SessionLimitMiddleware",
    "measures.middleware.NoStoreMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes' documented place).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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
]

WSGI_APPLICATION = "tracker.wsgi.application"

DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Throttles repeated failed logins; must come first (django-axes).
    "axes.backends.AxesStandaloneBackend",
    # Django's model backend, refusing the published demo password unless DEBUG is on.
    "measures.auth.TrackerBackend",
]
AXES_FAILURE_LIMIT = env_int("TRACKER_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("TRACKER_LOGIN_COOLOFF_MINUTES", 15))
# Locked: a user name from one address (guessing one account), and an address whatever the user
# names (spraying one password over many accounts). Never a user name alone, so failures from
# elsewhere cannot lock a user out at their own address; every lock ends after the cool-off.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
# The client's address, the one rule also used for the history origin (behind a trusted proxy,
# the address it appended to X-Forwarded-For).
AXES_CLIENT_IP_CALLABLE = "measures.attribution.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# A success does not wipe the address's failures: someone with one account could otherwise reset
# the per-address count between guesses. Failures expire after the cool-off anyway.
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages installed from npm by `make install`; never committed.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("DJANGO_MANIFEST_STATIC", default=False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Composite (history_date, id) index: speeds up as_of() on the history tables.
SIMPLE_HISTORY_DATE_INDEX = "Composite"
SIMPLE_HISTORY_REVERT_DISABLED = False

# --- Security ------------------------------------------------------------------------------------
# DJANGO_HTTPS=1 (the default when DEBUG is off): the site is served over HTTPS, usually behind a
# TLS-terminating reverse proxy that sets X-Forwarded-Proto.
HTTPS = env_bool("DJANGO_HTTPS", default=not DEBUG)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies are bound to this host, over HTTPS, for the whole site.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# A session ends after this many minutes without a request, and in any case after the absolute
# limit (both enforced by measures.middleware.SessionLimitMiddleware, which refreshes an active
# session once a minute rather than writing it on every request).
SESSION_COOKIE_AGE = 60 * env_int("TRACKER_SESSION_IDLE_MINUTES", 30)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
TRACKER_SESSION_ABSOLUTE_SECONDS = 60 * 60 * env_int("TRACKER_SESSION_MAX_HOURS", 10)
TRACKER_TRUST_X_FORWARDED_FOR = env_bool("TRACKER_TRUST_X_FORWARDED_FOR", default=False)
# Who answers questions and complaints about accessibility (an address or a phone number), named in
# the accessibility statement; until it is set the statement says that it still has to be.
TRACKER_ACCESSIBILITY_CONTACT = os.environ.get("TRACKER_ACCESSIBILITY_CONTACT", "").strip()

# No inline scripts anywhere; styles only from our own static files (Bootstrap and the admin's
# inline style attributes need 'unsafe-inline' for styles only).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Spreadsheet import (command and import page): the largest file and the most rows accepted
# (blank rows included); the other limits of measures.spreadsheets.Limits keep their defaults.
TRACKER_MAX_IMPORT_BYTES = env_int("TRACKER_MAX_IMPORT_BYTES", 5 * 1024 * 1024)
TRACKER_MAX_IMPORT_ROWS = env_int("TRACKER_MAX_IMPORT_ROWS", 5000)
# Where the import page keeps an upload between its preview and the confirmation (private: never
# served); an upload not confirmed within TRACKER_IMPORT_UPLOAD_MINUTES is removed.
TRACKER_IMPORT_UPLOAD_DIR = Path(
    os.environ.get("TRACKER_IMPORT_UPLOAD_DIR") or BASE_DIR / "private" / "imports"
)
TRACKER_IMPORT_UPLOAD_MINUTES = env_int("TRACKER_IMPORT_UPLOAD_MINUTES", 60)
# Uploaded files kept in the database (a letter template, a logo, a copy of a document): the
# largest accepted.
TRACKER_MAX_UPLOAD_BYTES = env_int("TRACKER_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "tracker@localhost")
# SMTP, used when DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# Password reset by e-mail (/accounts/password_reset/) exists only when mail goes to a real server;
# it is throttled per e-mail address and per client (measures.throttle, in CACHES["throttle"]).
TRACKER_PASSWORD_RESET = env_bool(
    "TRACKER_PASSWORD_RESET",
    default=EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend",
)
TRACKER_PASSWORD_RESET_PER_HOUR = env_int("TRACKER_PASSWORD_RESET_PER_HOUR", 3)
TRACKER_PASSWORD_RESET_PER_CLIENT_HOUR = env_int("TRACKER_PASSWORD_RESET_PER_CLIENT_HOUR", 10)

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Counts shared by every worker on the host (files), for measures.throttle.
    "throttle": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("TRACKER_THROTTLE_DIR")
        or os.path.join(tempfile.gettempdir(), "tracker-throttle"),
    },
}

# `restore` streams the backup; a record (or a run of whitespace) larger than this is refused as
# a damaged or hostile file, so memory stays bounded at about four times this size.
TRACKER_BACKUP_MAX_RECORD_CHARS = 1024 * 1024 * env_int("TRACKER_BACKUP_MAX_RECORD_MB", 16)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "measures": {"level": os.environ.get("TRACKER_LOG_LEVEL", "INFO")},
        # Failed logins and lock-outs (django-axes), refused requests (403) and security events.
        "axes": {"level": "INFO"},
        "django.security": {"level": "INFO"},
        "django.request": {"level": "WARNING"},
    },
}
