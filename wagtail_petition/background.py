"""The task framework the app's background work (emails, alerts, webhooks)
runs on: Django's own ``django.tasks`` from Django 6.0, its backport
``django_tasks`` before.

Each task is made for the ``TASKS`` backend that
``WAGTAILPETITION_TASK_BACKEND`` names (``"default"`` unless set), read when
the task's module is imported. A separate alias lets a site on Django 6 put
the app's tasks on a database queue (``django_tasks_db``, built for
``django.tasks``) while Wagtail's own search-index tasks, still made with the
backport, keep the default backend::

    from .background import task

    @task()
    def send_something(pk): ...
"""

from importlib.util import find_spec

from .conf import app_settings

if find_spec("django.tasks"):
    from django import tasks as framework
else:  # Django 5.2
    import django_tasks as framework

#: Where the framework's own backends live, for ``TASKS`` settings.
BACKENDS = f"{framework.__name__}.backends"


def task(**options):
    """The framework's ``task`` decorator, for the app's backend. The
    backend decides the task's class, so the alias is given when the task is
    made, not only when it is queued."""
    return framework.task(backend=app_settings.TASK_BACKEND, **options)


__all__ = ["BACKENDS", "task"]
