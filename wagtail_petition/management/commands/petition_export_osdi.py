from argparse import ArgumentTypeError
from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from tqdm import tqdm

from wagtail_petition import osdi
from wagtail_petition.admin.exports import action_network_csv
from wagtail_petition.models import Signature, petition_pages


def moment(value):
    """A date (from its first moment, in the site's time zone) or an ISO 8601 date and time."""
    try:
        parsed = parse_datetime(value) or parse_date(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ArgumentTypeError(f"expected a date (2026-03-01) or a date and time: {value!r}")
    if not isinstance(parsed, datetime):
        parsed = datetime.combine(parsed, time.min)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


#: The formats the command writes: the OSDI document, or the CSV file of Action
#: Network's list upload (consenting signers only).
FORMATS = {"osdi": osdi.stream, "action-network": action_network_csv}


def whole_number(value):
    if not value.isdigit() or int(value) < 1:
        raise ArgumentTypeError(f"expected a whole number of at least 1: {value!r}")
    return int(value)


class Command(BaseCommand):
    help = (
        "Export signatures with their signers as an OSDI document (JSON), for Action Network "
        "and other OSDI tools, or as a CSV file for Action Network's list upload. Counted "
        "signatures of every petition by default; anonymised signatures never. An email is "
        "'subscribed' only on confirmed consent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--petition",
            action="append",
            metavar="ID_OR_SLUG",
            help="A petition's page id or slug; repeat for several (default: every petition).",
        )
        parser.add_argument(
            "--status",
            action="append",
            choices=Signature.Status.values,
            help="Signatures of this status; repeat for several (default: counted).",
        )
        parser.add_argument(
            "--since",
            type=moment,
            help="Signatures made at or after this date (2026-03-01) or date and time.",
        )
        parser.add_argument(
            "--subscribed-only",
            action="store_true",
            help="Only signers who want updates and confirmed their address.",
        )
        parser.add_argument(
            "--format",
            choices=FORMATS,
            default="osdi",
            help="osdi: the OSDI document (JSON, the default); action-network: a CSV file "
            "for Action Network's list upload, of the signers who gave confirmed consent only.",
        )
        parser.add_argument(
            "--output",
            "-o",
            default="-",
            metavar="FILE",
            help="Write the document to FILE (default: standard output).",
        )
        parser.add_argument(
            "--chunk-size",
            type=whole_number,
            default=osdi.CHUNK_SIZE,
            help=f"Signatures read from the database at a time (default {osdi.CHUNK_SIZE}).",
        )

    def handle(self, *args, **options):
        signatures = self.signatures(options)
        if options["output"] == "-":
            written = self.write(signatures, self.stdout, options)
            destination = "standard output"
        else:
            try:
                with open(options["output"], "w", encoding="utf-8", newline="") as output:
                    written = self.write(signatures, output, options)
            except OSError as error:
                raise CommandError(f"Cannot write {options['output']}: {error}") from error
            destination = options["output"]
        self.stderr.write(self.style.SUCCESS(f"Exported {written} signature(s) to {destination}."))

    def signatures(self, options):
        signatures = osdi.exportable(Signature.objects.all()).filter(
            status__in=options["status"] or [Signature.Status.COUNTED]
        )
        if options["petition"]:
            signatures = signatures.filter(petition__in=self.petitions(options["petition"]))
        if options["since"]:
            signatures = signatures.filter(created_at__gte=options["since"])
        if options["subscribed_only"] or options["format"] == "action-network":
            signatures = osdi.consented(signatures)
        return signatures.order_by("pk")

    def petitions(self, names):
        """The page ids of the petitions ``names`` (ids or slugs) name, each exactly one."""
        found = []
        for name in names:
            ids = self.petition_ids(name)
            if not ids:
                raise CommandError(f"No petition has the id or slug {name!r}.")
            if len(ids) > 1:
                raise CommandError(
                    f"Several petitions have the slug {name!r} (ids {', '.join(map(str, ids))}): "
                    "give the id of the one to export."
                )
            found.extend(ids)
        return found

    def petition_ids(self, name):
        if name.isdigit() and petition_pages().filter(pk=int(name)).exists():
            return [int(name)]
        return list(petition_pages().filter(slug=name).values_list("pk", flat=True)[:10])

    def write(self, signatures, output, options) -> int:
        """Write the document of ``signatures`` to ``output`` in ``options["format"]``;
        the number of signatures written.
        A progress bar on standard error when it is a terminal."""
        written = 0
        progress = None
        if self.stderr.isatty():
            # The wrapped stream itself: Django's wrapper ends every write with a
            # new line, and the bar redraws itself on one line.
            progress = tqdm(total=signatures.count(), unit="signature", file=self.stderr._out)

        def count(signature):
            nonlocal written
            written += 1
            if progress is not None:
                progress.update()

        write = output.write
        if output is self.stdout:
            write = lambda piece: self.stdout.write(piece, ending="")  # noqa: E731
        try:
            stream = FORMATS[options["format"]]
            for piece in stream(signatures, chunk_size=options["chunk_size"], on_signature=count):
                write(piece)
        finally:
            if progress is not None:
                progress.close()
        return written
