"""The task framework the app's background work (emails, webhooks) runs on:
Django's own ``django.tasks`` from Django 6.0, its backport ``django_tasks``
before. A site's ``TASKS`` setting then names a backend of the framework its
Django uses (``django_tasks_db.DatabaseBackend`` works with both), and the
app's tasks run on it."""

from importlib.util import find_spec

if find_spec("django.tasks"):
    from django.tasks import default_task_backend, task
else:  # Django 5.2
    from django_tasks import default_task_backend, task

#: Where the framework's own backends live, for ``TASKS`` settings.
BACKENDS = "django.tasks.backends" if find_spec("django.tasks") else "django_tasks.backends"

__all__ = ["BACKENDS", "default_task_backend", "task"]
