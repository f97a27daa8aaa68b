from django.core.management.base import BaseCommand
from django.db.models import Count, Sum
from wagtail.models import Page

from wagtail_petition.models import PetitionCounter, Signature
from wagtail_petition.signing import recount


class Command(BaseCommand):
    help = (
        "Compare every petition's signature counter with its counted signature rows, "
        "report drift, and with --fix set the counter to the rows' count."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Repair the counters that drifted.")

    def handle(self, *args, fix=False, **options):
        drifted = self.find_drift()
        for petition_id, counter, rows in drifted:
            self.stdout.write(
                f"Petition {petition_id}: counter {counter}, counted signatures {rows} "
                f"(drift {counter - rows:+d})"
            )
            if fix:
                self.repair(petition_id)
        if not drifted:
            self.stdout.write(self.style.SUCCESS("Every counter matches its signatures."))
        elif fix:
            self.stdout.write(self.style.SUCCESS(f"Fixed {len(drifted)} counter(s)."))
        else:
            self.stdout.write(self.style.WARNING("Run again with --fix to repair."))

    def find_drift(self):
        """(petition id, counter, rows) for every petition whose counter is off."""
        counters = dict(
            PetitionCounter.objects.values("petition_id")
            .annotate(total=Sum("count"))
            .values_list("petition_id", "total")
        )
        rows = dict(
            Signature.objects.filter(status=Signature.Status.COUNTED)
            .values("petition_id")
            .annotate(n=Count("pk"))
            .values_list("petition_id", "n")
        )
        return [
            (petition_id, counters.get(petition_id, 0), rows.get(petition_id, 0))
            for petition_id in sorted(counters.keys() | rows.keys())
            if counters.get(petition_id, 0) != rows.get(petition_id, 0)
        ]

    def repair(self, petition_id):
        petition = Page.objects.get(pk=petition_id).specific
        recount(petition)
