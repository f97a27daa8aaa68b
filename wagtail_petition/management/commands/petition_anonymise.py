from argparse import ArgumentTypeError
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wagtail_petition.conf import app_settings
from wagtail_petition.models import Signature, petition_pages, petitions_where
from wagtail_petition.privacy import anonymise, count_by_petition


def whole_number(minimum):
    def parse(value):
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None or number < minimum:
            raise ArgumentTypeError(f"expected a whole number of at least {minimum}: {value!r}")
        return number

    return parse


class Command(BaseCommand):
    help = (
        "Anonymise the signatures of petitions closed more than "
        "WAGTAILPETITION_RETENTION_DAYS (or --days) days ago, keeping their counts. "
        "Work is done in batches, each committed on its own: run it again to resume."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=whole_number(0),
            help="Days since the deadline; overrides WAGTAILPETITION_RETENTION_DAYS.",
        )
        parser.add_argument(
            "--batch-size",
            type=whole_number(1),
            default=1000,
            help="Signatures anonymised per transaction (default 1000).",
        )
        parser.add_argument(
            "--limit",
            type=whole_number(1),
            help="Anonymise at most this many signatures in this run.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be anonymised, per petition, and change nothing.",
        )

    def handle(self, *args, days=None, batch_size=1000, limit=None, dry_run=False, **options):
        days = self.retention_days(days)
        if days is None:
            self.stdout.write(
                "No retention period is set (WAGTAILPETITION_RETENTION_DAYS): nothing was "
                "anonymised. Use --days N to anonymise the signatures of petitions closed "
                "more than N days ago."
            )
            return
        prefix = self.postal_code_prefix()
        cutoff = timezone.now() - timedelta(days=days)
        pending = Signature.objects.filter(
            petition__in=petition_pages().filter(petitions_where(Q(deadline__lt=cutoff))),
            anonymised_at__isnull=True,
        )
        petitions = count_by_petition(pending)
        if not petitions:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Nothing to anonymise on petitions closed more than {days} day(s) ago."
                )
            )
        elif dry_run:
            self.report(petitions)
        else:
            self.run(petitions, pending, prefix, batch_size, limit)

    def retention_days(self, days):
        if days is None:
            days = app_settings.RETENTION_DAYS
        if days is not None and (not isinstance(days, int) or days < 0):
            raise CommandError(
                f"WAGTAILPETITION_RETENTION_DAYS must be None or a whole number of 0 or more, "
                f"not {days!r}."
            )
        return days

    def postal_code_prefix(self):
        prefix = app_settings.RETENTION_POSTAL_CODE_PREFIX
        if not isinstance(prefix, int) or prefix < 0:
            raise CommandError(
                "WAGTAILPETITION_RETENTION_POSTAL_CODE_PREFIX must be a whole number of 0 or "
                f"more, not {prefix!r}."
            )
        return prefix

    def report(self, petitions):
        for page, n in petitions:
            self.stdout.write(
                f'Petition {page.pk} "{page.title}": would anonymise {n} signature(s).'
            )
        total = sum(n for _page, n in petitions)
        self.stdout.write(
            self.style.WARNING(
                f"Dry run: would anonymise {total} signature(s) on {len(petitions)} "
                "petition(s). Nothing was changed."
            )
        )

    def run(self, petitions, pending, prefix, batch_size, limit):
        total = 0
        for page, _n in petitions:
            if limit is not None and total >= limit:
                break
            remaining = None if limit is None else limit - total
            done = self.anonymise_in_batches(
                pending.filter(petition_id=page.pk), prefix, batch_size, remaining
            )
            total += done
            self.stdout.write(
                f'Petition {page.pk} "{page.title}": anonymised {done} signature(s).'
            )
        self.stdout.write(self.style.SUCCESS(f"Anonymised {total} signature(s)."))
        if left := pending.count():
            self.stdout.write(
                self.style.WARNING(
                    f"Stopped at the limit of {limit}: {left} signature(s) left. "
                    "Run the command again to continue."
                )
            )

    def anonymise_in_batches(self, signatures, prefix, batch_size, limit=None) -> int:
        """Anonymise ``signatures`` batch by batch, each in its own transaction,
        so an interrupted run loses at most one batch and is resumed by running
        again; at most ``limit`` of them."""
        done = 0
        while limit is None or done < limit:
            size = batch_size if limit is None else min(batch_size, limit - done)
            with transaction.atomic():
                pks = list(signatures.order_by("pk").values_list("pk", flat=True)[:size])
                if not pks:
                    break
                done += anonymise(Signature.objects.filter(pk__in=pks), postal_code_prefix=prefix)
        return done
