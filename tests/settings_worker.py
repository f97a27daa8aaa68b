"""Settings of the task worker the webhook tests start (``manage.py
db_worker``): the test settings on the database that DATABASE_URL names, with
``django_tasks_db``'s queue, and retries a second apart."""

from tests.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WAGTAILPETITION_WEBHOOK_RETRY_DELAYS = (1,)
