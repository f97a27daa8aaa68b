"""The example site's settings, for benchmarks: DEBUG off, persistent database
connections, no rate limits or email confirmation, and the baseline app (a
form-builder page and a bare INSERT view) to compare signing with."""

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

# One client posts many signatures from one address: no limits, counted at once.
WAGTAILPETITION_RATE_LIMITS = None
WAGTAILPETITION_REQUIRE_CONFIRMATION = False
# One process per server worker, each with its own cache: fine without limits.
SILENCED_SYSTEM_CHECKS = ["wagtail_petition.W003"]

# For experiments: BENCH_SESSION_ENGINE=django.contrib.sessions.backends.signed_cookies,
# BENCH_CONN_MAX_AGE=0 (the example site's SQLite setting).
if os.environ.get("BENCH_SESSION_ENGINE"):
    SESSION_ENGINE = os.environ["BENCH_SESSION_ENGINE"]
if os.environ.get("BENCH_CONN_MAX_AGE"):
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["BENCH_CONN_MAX_AGE"])  # noqa: F405
