"""The Celery application (production). The embedded default runs the same tasks in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings.prod")

app = Celery("lvzhi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
