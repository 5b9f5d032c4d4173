"""WSGI entry point: ``gunicorn qianjiang_mediation.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qianjiang_mediation.settings")

application = get_wsgi_application()
