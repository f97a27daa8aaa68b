"""Test settings: the package, plus the example site's home app, on the database
that DATABASE_URL names (default: a SQLite file, as concurrency tests need; on
PostgreSQL, pytest-django creates and drops a "test_" database beside it)."""

import os
import sys
import tempfile
from importlib.util import find_spec
from pathlib import Path

import dj_database_url
import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "example_site"))

SECRET_KEY = "tests-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "home",
    "wagtail_petition",
    "django_recaptcha",
    "wagtail.contrib.forms",
    "wagtail.contrib.settings",
    "wagtail.contrib.frontend_cache",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
# The database task queue, for the webhook tests that run a worker (they are
# skipped without it).
if find_spec("django_tasks_db"):
    INSTALLED_APPS.append("django_tasks_db")

# The app's tasks have their own alias, as the docs advise, run at once unless
# a test gives it another backend (tests/conftest.py, `tasks_on`). Wagtail's
# own tasks are made with the django_tasks backport, on "default".
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "petition": {
        "BACKEND": ("django.tasks" if find_spec("django.tasks") else "django_tasks")
        + ".backends.immediate.ImmediateBackend"
    },
}
WAGTAILPETITION_TASK_BACKEND = "petition"

MIDDLEWARE = [
    "home.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # As in the example site: /es/ pages (i18n_patterns) when a test turns
    # Wagtail's internationalisation on.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "example.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_test_db = Path(tempfile.gettempdir()) / f"wagtail-petition-tests-{os.getpid()}.sqlite3"
# Close connections after each request: one left open would keep PostgreSQL from
# dropping the test database.
DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{_test_db}", conn_max_age=0)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not SQLite's in-memory default: other processes must reach it.
    DATABASES["default"]["TEST"] = {"NAME": str(_test_db)}

# A shared cache when REDIS_URL names a server (python -m tests.redis_server), as
# production runs; else each process's own memory.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-us"
LANGUAGES = [("en", "English"), ("es", "Spanish")]
STATIC_URL = "/static/"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WAGTAIL_SITE_NAME = "Tests"
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
SILENCED_SYSTEM_CHECKS = [
    # Tests patch reCAPTCHA's verification; its test keys are fine here.
    "django_recaptcha.recaptcha_test_key_error",
    # Tests count rate limits in one process at a time: a per-process cache is right.
    "wagtail_petition.W003",
]
if django.VERSION >= (6, 1):
    # Django 6.1 sends through MAILERS (EMAIL_BACKEND is deprecated); the test
    # runner swaps each mailer for the locmem backend, as it does EMAIL_BACKEND.
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
