"""Production: PostgreSQL, Celery on Redis, any number of stateless app servers.

Everything comes from the environment: DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS,
CSRF_TRUSTED_ORIGINS, EMAIL_URL-style EMAIL_HOST/EMAIL_PORT/..., LVZHI_SECURE_SSL_REDIRECT.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
LVZHI_ALLOW_DEMO = False

# Production is PostgreSQL and Redis (cache, Celery broker): without them it would quietly run
# SQLite, a per-process cache and in-process tasks.
for _required in ("DATABASE_URL", "REDIS_URL") if env_bool("LVZHI_REQUIRE_SERVICES", True) else ():
    if not os.environ.get(_required):
        raise ImproperlyConfigured(f"{_required} must be set in production (see README: Deploying).")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random string of at least 50 characters.")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# TLS is usually terminated by the congress's reverse proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("LVZHI_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("LVZHI_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("LVZHI_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "lvzhi@localhost")

# collectstatic: keep only the hashed copies and do not compress source maps (halves deploy time).
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz",
                                       "br", "swf", "flv", "woff", "woff2", "3gp", "3gpp", "asf", "avi", "m4v", "mov",
                                       "mp4", "mpeg", "mpg", "webm", "wmv", "map"]  # fmt: skip
