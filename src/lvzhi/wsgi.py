import os

from django.core.wsgi import get_wsgi_application

# An app server is production unless told otherwise; `lvzhi run` and manage.py default to dev.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings.prod")
application = get_wsgi_application()
