"""Settings of the task worker the webhook tests start (``manage.py
db_worker --backend petition``): the test settings on the database that
DATABASE_URL names, with the app's tasks on ``django_tasks_db``'s queue, and
retries a second apart."""

from tests.settings import *  # noqa: F403
from tests.settings import TASKS

TASKS = {**TASKS, "petition": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WAGTAILPETITION_WEBHOOK_RETRY_DELAYS = (1,)
