"""Settings shared by every deployment.

The embedded default (no configuration at all) is a SQLite file under ``var/`` with tasks run
in-process. Production reads everything from environment variables (see ``prod.py``).
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .schedules import new_year

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(os.environ.get("LVZHI_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "simple_history",
    "lvzhi.core",
    "lvzhi.accounts",
    "lvzhi.organizations",
    "lvzhi.deputies",
    "lvzhi.notifications",
    "lvzhi.suggestions",
    "lvzhi.access",
    "lvzhi.motions",
    "lvzhi.supervision",
    # Above the domain apps: the site shell and the demo data draw on all of them.
    "lvzhi.portal",
    "lvzhi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "lvzhi.urls"
WSGI_APPLICATION = "lvzhi.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "src" / "lvzhi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lvzhi.portal.context_processors.navigation",
                "lvzhi.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

SQLITE_PATH = VAR_DIR / "lvzhi.sqlite3"
SQLITE_OPTIONS = {
    # WAL lets readers go on while the in-process task thread writes; IMMEDIATE takes the write
    # lock at BEGIN so two writers queue instead of failing half-way with "database is locked".
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
}


def database_from_env(default_sqlite: Path) -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")))
        if config["ENGINE"].endswith("sqlite3"):
            config["OPTIONS"] = dict(SQLITE_OPTIONS)
        return config
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": default_sqlite, "OPTIONS": dict(SQLITE_OPTIONS)}


DATABASES = {"default": database_from_env(SQLITE_PATH)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "lvzhi"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Front-end packages are installed from the npm registry at locked versions (assets/package-lock.json)
# and the few files we serve are copied to var/vendor by `lvzhi setup`: never a CDN, never committed.
VENDOR_DIR = VAR_DIR / "vendor"
VENDOR_DIR.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [("vendor", VENDOR_DIR)]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "lvzhi.core.api.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "lvzhi.core.api.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "lvzhi 履职 API",
    "DESCRIPTION": "The REST API of lvzhi: every capability of the UI, with the same rules and scoping.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Notifications (lvzhi.notifications): the channels every notification goes out on (in-app, email,
# sms), retries of a failed delivery, and the default dates of a reminder (days before the due date;
# 0 is the day itself; then the day after and every N days while overdue).
LVZHI_NOTIFICATION_CHANNELS = env_list("LVZHI_NOTIFICATION_CHANNELS", "in_app,email")
LVZHI_NOTIFICATION_MAX_ATTEMPTS = 3
LVZHI_NOTIFICATION_RETRY_SECONDS = 300
LVZHI_NOTIFICATION_EMAIL_SUBJECT_PREFIX = "【履职】"
# Links in e-mails are made absolute with this address (e.g. https://lvzhi.rd.fuzhou.gov.cn).
LVZHI_NOTIFICATION_SITE_URL = os.environ.get("LVZHI_NOTIFICATION_SITE_URL", "")
# The e-mail backend of notifications only (empty: Django's EMAIL_BACKEND) and, for the file-based
# backend, its folder: lets a separate worker process write mails a test can read.
LVZHI_NOTIFICATION_EMAIL_BACKEND = os.environ.get("LVZHI_NOTIFICATION_EMAIL_BACKEND", "")
LVZHI_NOTIFICATION_EMAIL_FILE_PATH = os.environ.get("LVZHI_NOTIFICATION_EMAIL_FILE_PATH", "")
LVZHI_SMS_GATEWAY = os.environ.get("LVZHI_SMS_GATEWAY", "lvzhi.notifications.channels.LoggingSmsGateway")
LVZHI_REMINDER_BEFORE_DAYS = [3, 1, 0]
LVZHI_REMINDER_OVERDUE_EVERY_DAYS = 7
LVZHI_REMINDER_INTERVAL_SECONDS = float(os.environ.get("LVZHI_REMINDER_INTERVAL_SECONDS", "300"))

# Motions: a committee reports on the motions sent to it by this day of the session's year (MM-DD).
LVZHI_MOTION_REPORT_DUE = os.environ.get("LVZHI_MOTION_REPORT_DUE", "10-31")

# Tasks: "thread" runs them in-process after commit (embedded default), "celery" sends them to
# the Celery workers (production), "sync" runs them inline after commit (tests).
LVZHI_TASK_BACKEND = os.environ.get("LVZHI_TASK_BACKEND", "celery" if REDIS_URL else "thread")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "resume-ended-suspensions": {
        "task": "lvzhi.deputies.tasks.resume_ended_suspensions",
        "schedule": 3600.0,
    },
    "send-due-reminders": {
        "task": "lvzhi.notifications.tasks.send_due_reminders",
        "schedule": LVZHI_REMINDER_INTERVAL_SECONDS,
    },
    "retry-pending-deliveries": {
        "task": "lvzhi.notifications.tasks.retry_pending_deliveries",
        "schedule": float(LVZHI_NOTIFICATION_RETRY_SECONDS),
    },
    # DOMAIN §5.8: unfinished key supervision carries over to the new year, 1 January 00:30 (the
    # in-process scheduler runs it daily: see lvzhi.settings.schedules).
    "carry-over-key-supervision": {
        "task": "lvzhi.supervision.tasks.carry_over_key_items",
        "schedule": new_year(hour=0, minute=30),
    },
}

# The demo command creates well-known passwords: never in production.
LVZHI_ALLOW_DEMO = False
LVZHI_DEMO_PASSWORD = "lvzhi-demo-2025"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
SIMPLE_HISTORY_REVERT_DISABLED = True
