"""The test settings served by a real server (gunicorn) in a test: on the test
database that ``TESTS_DATABASE`` names (JSON of the test process's connection
settings), with a rate limit of 3 a day, so that a test's posts all fall in one
window."""

import json
import os

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connection

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
django.setup()
connection.settings_dict.update(json.loads(os.environ["TESTS_DATABASE"]))
settings.WAGTAILPETITION_RATE_LIMITS = ((3, 24 * 60 * 60),)
application = get_wsgi_application()
