"""One settings module, driven by the environment.

Every value has an embedded default so `make run` works on a bare machine: SQLite
under var/, a Celery broker on the filesystem under var/, mail written to var/mail/.
Production sets DJANGO_DEBUG off (the default), a real DJANGO_SECRET_KEY and
DATABASE_URL / CELERY_BROKER_URL / EMAIL_URL.
"""

import importlib.util
import os
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it, or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")
MAIL_DOMAIN = env.str("MAIL_DOMAIN", default="requests.localhost")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "axes",
    "csp",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rtcc_requests.common",
    "rtcc_requests.accounts",
    "rtcc_requests.agencies",
    "rtcc_requests.laws",
    "rtcc_requests.requests",
    "rtcc_requests.outbox",
    "rtcc_requests.denials",
    "rtcc_requests.reminders",
    "rtcc_requests.inbound",
    "rtcc_requests.campaigns",
    "rtcc_requests.documents",
    "rtcc_requests.packets",
    "rtcc_requests.pages",
    "rtcc_requests.demo",
    "rtcc_requests.api",
    "rtcc_requests.teams",
]
# Benchmarks and bulk data (`manage.py bench`, `seed_bulk`, the top-level bench/ of a
# checkout) are development tools: a production deployment does not have them unless it asks
# (BENCH=1, e.g. a staging copy).
BENCH = env.bool("BENCH", default=DEBUG and importlib.util.find_spec("bench") is not None)
if BENCH:
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "rtcc_requests.common.middleware.PrivateCacheControlMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rtcc_requests.urls"
WSGI_APPLICATION = "rtcc_requests.wsgi.application"

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
                "rtcc_requests.common.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so a Celery worker started by the tests sees the test database.
    # One file per test process, so parallel runs on one machine do not collide.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation costs ~0.4 s per large aggregate and buys nothing for page queries.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# Keep PostgreSQL connections for a minute: a new one per request costs its setup and a
# cold catalog cache (a 10 ms page query took 40 ms to plan on a fresh connection).
_postgres = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DATABASES["default"]["CONN_MAX_AGE"] = env.int(
    "DATABASE_CONN_MAX_AGE", default=60 if _postgres else 0
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A cache every process shares (CACHE_URL=redis://...) lets a worker warm the denial log's
# summary for the web processes, and holds the sign-in failure counts (AXES_HANDLER) for all
# of them. The default, per-process memory, is right for one process (`make run`, the tests);
# production needs CACHE_URL, and `check --deploy` warns without it (axes.W001). Not
# REDIS_URL, the broker's: clearing the cache would empty the task queue.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if DEBUG:
    # One process in development: its own memory is a correct place for the counts.
    SILENCED_SYSTEM_CHECKS = ["axes.W001"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes). AxesBackend first: it refuses a locked-out username or
# address before a password is checked. Five failures lock the username (from any address:
# a distributed guess at one account) and, separately, the address (for every username: one
# client spraying many accounts); each lock lasts 15 minutes after the last failure. A
# success does not clear the count, or signing in to one's own account would reset the
# address's count between guesses. Counts live in the cache: see CACHES, a shared Redis
# (CACHE_URL) in production, or each process would count on its own.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "rtcc_requests.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "rtcc_requests.accounts.lockout.client_ip"
# The client's address, which the lockout (and the denial log's PDF limit) counts by. Behind a
# reverse proxy every request comes from the proxy: set DJANGO_TRUSTED_PROXY_HOPS to the
# number of proxies in front of the app that append to X-Forwarded-For (1 for nginx or Caddy;
# 2 with a CDN in front of them), and the client is the address the outermost of them saw.
# 0, the default, trusts no header: REMOTE_ADDR. Too high a number lets clients pick theirs.
TRUSTED_PROXY_HOPS = env.int("DJANGO_TRUSTED_PROXY_HOPS", default=0)
# The cache handler writes no database rows: no empty attempt and log tables in the admin,
# and no banner on every command's start. Failures and lockouts are logged as warnings by the
# "axes" logger; `manage.py axes_reset_username NAME` / `axes_reset_ip ADDRESS` unlock early.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "pages:home"
LOGOUT_REDIRECT_URL = "pages:home"

LANGUAGE_CODE = "en-us"
# The legal clock runs in California time whatever the server's zone.
TIME_ZONE = "America/Los_Angeles"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns at start-up when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
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

# Uploads: agency replies and their attachments.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=25 * 1024 * 1024)
# Released documents: read page by page (documents/reading.py), each program run with a time
# and an address-space limit; longer documents and larger images are kept but not read.
DOCUMENT_MAX_PAGES = env.int("DOCUMENT_MAX_PAGES", default=2000)
DOCUMENT_MAX_IMAGE_PIXELS = env.int("DOCUMENT_MAX_IMAGE_PIXELS", default=80_000_000)
DOCUMENT_MAX_TEXT_CHARS = env.int("DOCUMENT_MAX_TEXT_CHARS", default=5_000_000)
DOCUMENT_READ_TIMEOUT = env.int("DOCUMENT_READ_TIMEOUT", default=120)  # seconds per program
DOCUMENT_READ_MAX_MEMORY = env.int("DOCUMENT_READ_MAX_MEMORY", default=1024 * 1024 * 1024)
DOCUMENT_OCR_LANGUAGES = env.str("DOCUMENT_OCR_LANGUAGES", default="eng")  # Tesseract's codes
# Agency replies: a maildir the MTA delivers to, and optionally an IMAP mailbox
# (imaps://user:password@host/INBOX), both polled by the inbound.poll_mailboxes task.
INBOUND_MAILDIR = env.str("INBOUND_MAILDIR", default=str(VAR_DIR / "maildir"))
INBOUND_IMAP_URL = env.str("INBOUND_IMAP_URL", default="")
# Which Authentication-Results header is our mail server's (inbound/senders.py): unset, the
# topmost one.
INBOUND_AUTHSERV_ID = env.str("INBOUND_AUTHSERV_ID", default="")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Mail: EMAIL_URL (smtp://user:pass@host:port, smtp+tls://...) or the usual EMAIL_* names;
# by default messages are written as files under var/mail/.
_email_url = env.str("EMAIL_URL", default="")
if _email_url:
    vars().update(env.email_url_config(_email_url))
else:
    EMAIL_BACKEND = env.str(
        "EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend"
    )
    EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
    EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"rtcc-requests <noreply@{MAIL_DOMAIN}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: a broker that needs no server by default, so worker and beat still run as
# separate processes on a bare machine.
CELERY_BROKER_URL = env.str(
    "CELERY_BROKER_URL", default=env.str("REDIS_URL", default="filesystem://")
)
_broker_dir = VAR_DIR / "celery-broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # Redis: re-deliver a task whose worker died after one hour without ack.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Tasks queued by a task (render -> send) go where this names; test workers use their own.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
REMINDER_SWEEP_HOUR = env.int("REMINDER_SWEEP_HOUR", default=7)
REMINDER_SWEEP_MINUTE = env.int("REMINDER_SWEEP_MINUTE", default=0)

# Security: strict by default in production, relaxed only for local DEBUG.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy (django-csp; Django 5.2 has none of its own) on every response:
# scripts, styles and everything else from our own origin only, no inline code (the pages'
# JavaScript and CSS are static files), no plugins, no framing, forms post only to us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# The REST API (rtcc_requests/api). Who may see what is the apps' own selectors; here only
# how clients sign in (a token, or the browser session for the browsable API, with CSRF),
# how lists are paged (by cursor: stable while rows are added, no COUNT over a million
# rows) and how fast a client may go.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rtcc_requests.api.pagination.Cursor",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rtcc_requests.api.throttles.AnonThrottle",
        "rtcc_requests.api.throttles.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="60/minute"),
        "user": env.str("API_USER_RATE", default="600/minute"),
    },
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_DAYS", default=365)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "rtcc-requests API",
    "DESCRIPTION": "Public records requests about police surveillance technology: agencies, "
    "technologies, laws, requests and their deadlines, campaigns, the denial log.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Two models have a "status": name their choices apart in the schema.
    "ENUM_NAME_OVERRIDES": {
        "RequestStatusEnum": "rtcc_requests.requests.choices.Status",
        "DeploymentStatusEnum": "rtcc_requests.agencies.models.DeploymentStatus",
        "DocumentTextStatusEnum": "rtcc_requests.documents.models.TextStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint and fontTools log every rendering step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
