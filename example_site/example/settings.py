"""Settings for the wagtail-petition example site.

Environment: DATABASE_URL (default: SQLite in this folder), SECRET_KEY, DEBUG,
ALLOWED_HOSTS (comma-separated).
"""

import os
from pathlib import Path

import dj_database_url
import django

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = os.environ.get("DEBUG", "1") == "1"
# Public, for `make demo` on 127.0.0.1: the check home.E001 refuses it with DEBUG off.
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-key-for-the-local-demo-only")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "home",
    "wagtail_petition",
    # Translating pages: wagtail-localize, the translation tool Wagtail sites use.
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
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
    "django_tasks_db",
]

# The petition's tasks (webhooks, confirmation emails, milestone alerts) wait in
# the database for the worker, `python manage.py db_worker --backend petition`
# (`make demo` starts one). Wagtail's own (its search index) run at once.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "petition": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
WAGTAILPETITION_TASK_BACKEND = "petition"
# The dashboard's map of support places the demo's postal code areas.
WAGTAILPETITION_POSTAL_AREA_LOCATOR = "home.areas.locate"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "home.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "example.urls"
WSGI_APPLICATION = "example.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=600, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers and the writer work at once; IMMEDIATE makes concurrent
    # signers queue for the write lock instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# Rate limits are counted in the cache: with several server processes, they
# must share it. Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) to use Redis.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }

# Behind a reverse proxy that sets X-Forwarded-For, read the client's address there.
WAGTAILPETITION_CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER") or None

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
TIME_ZONE = "America/Chicago"
USE_I18N = True
# English and Spanish pages, at / and /es/ (example/urls.py). The translations
# of a petition share one count, one timeline and one duplicate check.
WAGTAIL_I18N_ENABLED = True
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [("en", "English"), ("es", "Español")]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"


WAGTAIL_SITE_NAME = "Lakeport Action (demo)"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# New petitions ask signers to confirm their email address. The demo prints
# its emails (the confirmation link) in the terminal running `make demo`.
WAGTAILPETITION_REQUIRE_CONFIRMATION = True
DEFAULT_FROM_EMAIL = "Lakeport Action <petitions@lakeport-action.example>"
if django.VERSION >= (6, 1):
    # Django 6.1 configures email through MAILERS and deprecates EMAIL_BACKEND.
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
