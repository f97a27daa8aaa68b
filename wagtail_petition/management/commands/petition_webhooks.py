"""Send the webhook deliveries whose next attempt is due.

Only sites whose ``django_tasks`` backend cannot run a task later (the default
immediate backend) need it, run every few minutes (cron): a backend with a
worker (``django_tasks_db`` and ``manage.py db_worker``) retries on its own.
"""

from django.core.management.base import BaseCommand

from wagtail_petition import webhooks


class Command(BaseCommand):
    help = "Send the webhook deliveries whose next attempt is due."

    def handle(self, *args, **options):
        queued = webhooks.send_due()
        self.stdout.write(f"{queued} webhook deliveries queued.")
