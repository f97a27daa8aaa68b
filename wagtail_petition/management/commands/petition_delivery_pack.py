from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wagtail_petition.delivery import write_pack
from wagtail_petition.models import petition_pages


class Command(BaseCommand):
    help = (
        "Write a petition's delivery pack (PDF) to a file: for petitions so large that "
        "downloading the pack from the dashboard would outlast the web server's timeout."
    )

    def add_arguments(self, parser):
        parser.add_argument("page_id", type=int, help="The petition page's id.")
        parser.add_argument("output", type=Path, help="The PDF file to write.")

    def handle(self, *args, page_id, output, **options):
        page = petition_pages().filter(pk=page_id).first()
        if page is None:
            raise CommandError(f"No petition page has the id {page_id}.")
        try:
            with output.open("wb") as file:
                write_pack(page.specific, file)
        except OSError as error:
            raise CommandError(f"Could not write {output}: {error}") from error
        self.stdout.write(f'Wrote the delivery pack of "{page.title}" to {output}.')
