"""Test settings: SQLite by default, PostgreSQL when DATABASE_URL says so."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdef"
DEBUG = False
LVZHI_ALLOW_DEMO = True
LVZHI_TASK_BACKEND = os.environ.get("LVZHI_TASK_BACKEND", "sync")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "lvzhi-test"}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory: the browser tests' live server and the task thread open their own
    # connections, and an in-memory database is private to one connection.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
