"""The example site's settings, for benchmarks: DEBUG off, persistent database
connections, rate limits in Redis when ``REDIS_URL`` names one, no email
confirmation, and the baseline app (a form-builder page, a bare INSERT view and a
plain page with the petition's body) to compare with."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "example_site"))

from example.settings import *  # noqa: E402, F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["benchmarks.baseline", *INSTALLED_APPS]  # noqa: F405
ROOT_URLCONF = "benchmarks.urls"
DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}

WAGTAILPETITION_REQUIRE_CONFIRMATION = False
# Every sign comes from a new visitor at a new address (the load generator sends
# X-Forwarded-For), so the default rate limits are counted and never reached.
WAGTAILPETITION_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
if os.environ.get("REDIS_URL"):
    # Several server workers count against one limit, as in production
    # (`make bench` starts a throwaway Redis).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    SILENCED_SYSTEM_CHECKS = ["wagtail_petition.W003"]

# For experiments: BENCH_SESSION_ENGINE=django.contrib.sessions.backends.signed_cookies,
# BENCH_CONN_MAX_AGE=0 (the example site's SQLite setting).
if os.environ.get("BENCH_SESSION_ENGINE"):
    SESSION_ENGINE = os.environ["BENCH_SESSION_ENGINE"]
if os.environ.get("BENCH_CONN_MAX_AGE"):
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["BENCH_CONN_MAX_AGE"])  # noqa: F405
