"""Keep webhook deliveries moving, and the delivery log short. Run it from cron:
every few minutes on a site whose task backend cannot run a task later (the
default immediate backend), hourly on a site with a worker.

It queues the retries that are due (immediate backend only: a worker retries
on its own), queues again any delivery whose task has not run an hour after
its time, and removes deliveries older than ``WAGTAILPETITION_WEBHOOK_LOG_DAYS``.
"""

from django.core.management.base import BaseCommand

from wagtail_petition import webhooks


class Command(BaseCommand):
    help = "Send the webhook deliveries that are due, and prune the delivery log."

    def handle(self, *args, **options):
        queued = webhooks.send_due()
        removed = webhooks.prune_log()
        self.stdout.write(
            f"{queued} webhook deliveries queued, {removed} old ones removed from the log."
        )
