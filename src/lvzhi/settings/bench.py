"""Production-like settings for bench/run: DEBUG off, manifest static files, plain HTTP on 127.0.0.1."""

import os

os.environ.setdefault("LVZHI_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("LVZHI_REQUIRE_SERVICES", "false")  # measured on SQLite unless BENCH_DATABASE_URL

from .prod import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
LVZHI_ALLOW_DEMO = True  # the benchmark loads the demo data into its own throw-away database
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"handlers": [], "level": "WARNING"}}
