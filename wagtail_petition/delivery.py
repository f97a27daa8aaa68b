"""The delivery pack: the petition as handed to its targets, in one PDF.

The pack has the title, the targets ("To:"), the demands (``texts.demand_lines()``),
the count and the milestones, then a numbered table of the signers who agreed
to be listed (``Signature.list_publicly``), with their name, postal code area
(``privacy.postal_code_area()``, what retention keeps) and comment; never an
email address. Signers are read a chunk at a time, by primary key, and drawn
straight on the page, so a million signatures never sit in memory as rows or
flowables; the PDF goes to a temporary file.

``email_targets()`` queues ``send_delivery_pack``, a ``django_tasks`` task that
builds the pack again in the worker and emails it to each target with an
address, so a slow mail server never holds up the admin.
"""

import logging
import os
import tempfile
import uuid
import zlib
from functools import cache, partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from wagtail.log_actions import log
from wagtail.models import Page

from . import texts
from .background import task
from .conf import app_settings
from .privacy import postal_code_area
from .records.signatures import Milestone, Signature

logger = logging.getLogger(__name__)

#: The audit log action recorded when the pack is emailed to the targets.
EMAIL_DELIVERY_PACK = "wagtail_petition.email_delivery_pack"
#: How many listed signers one query reads.
CHUNK_SIZE = 2000

SUBJECT_TEMPLATE = "wagtail_petition/email/delivery_subject.txt"
BODY_TEMPLATE = "wagtail_petition/email/delivery_body.txt"


# What goes in the pack --------------------------------------------------------


def listed_signatures(petition):
    """The counted signatures of ``petition`` whose signers agreed to be listed."""
    return Signature.objects.filter(
        petition_id=petition.pk,
        status=Signature.Status.COUNTED,
        list_publicly=True,
        anonymised_at__isnull=True,
    )


def listed_rows(petition, chunk_size: int = CHUNK_SIZE):
    """(first name, last name, postal code area, comment) of each listed signer,
    in the order they signed, read ``chunk_size`` rows per query. Keyset
    pagination rather than a server-side cursor: it works the same on every
    database and behind a transaction-pooling proxy."""
    area = postal_code_area(app_settings.RETENTION_POSTAL_CODE_PREFIX)
    rows = (
        listed_signatures(petition)
        .annotate(area=area)
        .order_by("pk")
        .values_list("pk", "first_name", "last_name", "area", "comment")
    )
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last)[:chunk_size])
        for _pk, *row in chunk:
            yield row
        if len(chunk) < chunk_size:
            return
        last = chunk[-1][0]


def target_emails(petition) -> list[tuple[str, str]]:
    """(name, email address) of each target of ``petition`` that has an address."""
    return [
        (target.value.get("name", ""), target.value["email"])
        for target in petition.targets
        if target.value.get("email")
    ]


def pack_filename(petition) -> str:
    slug = slugify(petition.title)[:50] or str(petition.pk)
    return f"petition-{slug}-{timezone.localdate():%Y-%m-%d}.pdf"


# Fonts --------------------------------------------------------------------------


@cache
def load_fonts(regular: str, bold: str) -> tuple[str, str] | None:
    """Register the TrueType pair with reportlab, once: their names, or None
    when a file is missing or unreadable."""
    if not (os.path.isfile(regular) and os.path.isfile(bold)):
        return None
    try:
        pdfmetrics.registerFont(TTFont("PetitionRegular", regular))
        pdfmetrics.registerFont(TTFont("PetitionBold", bold))
    except Exception:
        logger.warning("Could not load the delivery pack's fonts %s and %s", regular, bold)
        return None
    return "PetitionRegular", "PetitionBold"


def fonts() -> tuple[str, str, bool]:
    """(regular font, bold font, whether they are Unicode TrueType fonts)."""
    pair = app_settings.DELIVERY_FONTS
    names = load_fonts(*pair) if pair else None
    if names:
        return *names, True
    return "Helvetica", "Helvetica-Bold", False


# Writing the PDF -------------------------------------------------------------------


class PackWriter:
    """Draws lines of text down the pages of a reportlab canvas, starting a new
    page when one is full; each page is finished before the next begins."""

    margin = 18 * mm
    size = 10
    leading = 13

    def __init__(self, file, *, title: str, pagesize=A4):
        self.canvas = Canvas(file, pagesize=pagesize, pageCompression=1)
        self.canvas.setTitle(title)
        self.canvas.setCreator("wagtail-petition")
        self.width, self.height = pagesize
        self.regular, self.bold, self.unicode = fonts()
        self.title = title
        self.page = 1
        self.y = self.top
        self.on_new_page = None

    @property
    def top(self):
        return self.height - self.margin

    @property
    def text_width(self):
        return self.width - 2 * self.margin

    def clean(self, text: str) -> str:
        """``text`` as the font can draw it: Helvetica has Latin-1 letters only,
        so another is a "?" there (a TrueType font draws a box for a letter it
        lacks)."""
        text = " ".join(str(text).split())
        if self.unicode:
            return text
        return text.encode("cp1252", "replace").decode("cp1252")

    def wrap(self, text: str, font: str, size: float, width: float) -> list[str]:
        """``text`` in lines no wider than ``width``; a word too long for a line is cut."""
        text = self.clean(text)
        if pdfmetrics.stringWidth(text, font, size) <= width:
            return [text]
        lines = []
        for line in simpleSplit(text, font, size, width) or [""]:
            while pdfmetrics.stringWidth(line, font, size) > width and len(line) > 1:
                cut = len(line) - 1
                while cut > 1 and pdfmetrics.stringWidth(line[:cut], font, size) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
            lines.append(line)
        return lines

    def need(self, height: float):
        """Start a new page unless ``height`` more fits on this one."""
        if self.y - height < self.margin + self.leading:
            self.new_page()

    def new_page(self):
        self.footer()
        self.canvas.showPage()
        self.compress_last_page()
        self.page += 1
        self.y = self.top
        if self.on_new_page:
            self.on_new_page()

    def compress_last_page(self):
        """Compress the page just finished. reportlab keeps every page's drawing
        commands as text until it writes the whole file; compressed at once, a
        page of 50 rows takes a few kilobytes until then, not tens."""
        pages = getattr(getattr(self.canvas, "_doc", None), "Pages", None)
        page = pages.pages[-1] if pages is not None and pages.pages else None
        stream = getattr(page, "stream", None)
        if not isinstance(stream, str) or page.Contents:
            return
        dictionary = PDFDictionary()
        dictionary["Filter"] = PDFArray([PDFName("FlateDecode")])
        page.Contents = PDFStream(dictionary, zlib.compress(stream.encode("utf8")))
        page.stream = None

    def footer(self):
        self.canvas.setFont(self.regular, 8)
        text = _("%(title)s, page %(page)s") % {"title": self.title, "page": self.page}
        self.canvas.drawString(self.margin, self.margin / 2, self.clean(text)[:150])

    def paragraph(self, text: str, *, bold=False, size=None, space_after=4):
        font, size = (self.bold if bold else self.regular), size or self.size
        leading = size * 1.3
        for line in self.wrap(text, font, size, self.text_width):
            self.need(leading)
            self.y -= leading
            self.canvas.setFont(font, size)
            self.canvas.drawString(self.margin, self.y, line)
        self.y -= space_after

    def heading(self, text: str):
        self.need(3 * self.leading)
        self.y -= 6
        self.paragraph(text, bold=True, size=13, space_after=4)

    def row(self, cells, widths, *, bold=False):
        """One table row, each cell wrapped within its width, moved whole to the
        next page when it does not fit."""
        font = self.bold if bold else self.regular
        wrapped = [
            self.wrap(cell, font, self.size, width - 6)
            for cell, width in zip(cells, widths, strict=True)
        ]
        height = max(len(lines) for lines in wrapped) * self.leading + 3
        self.need(height)
        self.canvas.setFont(font, self.size)
        x = self.margin
        for lines, w in zip(wrapped, widths, strict=True):
            for n, line in enumerate(lines):
                self.canvas.drawString(x, self.y - (n + 1) * self.leading, line)
            x += w
        self.y -= height
        if bold:
            self.canvas.setLineWidth(0.5)
            self.canvas.line(self.margin, self.y, self.width - self.margin, self.y)
            self.y -= 2

    def save(self):
        self.footer()
        self.canvas.save()


def write_pack(petition, file, *, chunk_size: int = CHUNK_SIZE, pagesize=A4) -> None:
    """Write the delivery pack of ``petition`` (a specific petition page) as a
    PDF to ``file``, a binary file object."""
    pdf = PackWriter(file, title=petition.title, pagesize=pagesize)
    write_cover(pdf, petition)
    write_signers(pdf, petition, chunk_size)
    pdf.save()


def write_cover(pdf: PackWriter, petition) -> None:
    pdf.paragraph(petition.title, bold=True, size=20, space_after=10)
    targets = [texts.target_line(target.value) for target in petition.targets]
    if targets:
        pdf.paragraph(_("To: %(targets)s") % {"targets": "; ".join(targets)}, bold=True)
    pdf.paragraph(
        _("Delivered on %(date)s") % {"date": date_format(timezone.localdate(), "DATE_FORMAT")},
        space_after=8,
    )
    for line in texts.demand_lines(petition):
        pdf.paragraph(line)
    count = petition.signature_count
    listed = listed_signatures(petition).count()
    pdf.heading(_("Signatures"))
    pdf.paragraph(
        ngettext(
            "%(count)s person signed this petition.",
            "%(count)s people signed this petition.",
            count,
        )
        % {"count": number_format(count, force_grouping=True)}
    )
    pdf.paragraph(
        ngettext(
            "%(listed)s of them agreed to be listed by name.",
            "%(listed)s of them agreed to be listed by name.",
            listed,
        )
        % {"listed": number_format(listed, force_grouping=True)}
    )
    milestones = Milestone.objects.filter(petition_id=petition.pk).order_by("-threshold")
    if milestones:
        pdf.heading(_("Milestones"))
        for milestone in milestones:
            reached = timezone.localtime(milestone.reached_at)
            pdf.paragraph(
                _("%(count)s signatures reached on %(date)s")
                % {
                    "count": number_format(milestone.threshold, force_grouping=True),
                    "date": date_format(reached, "DATETIME_FORMAT"),
                }
            )


def write_signers(pdf: PackWriter, petition, chunk_size: int) -> None:
    pdf.heading(_("Signers who agreed to be listed"))
    number_width = 14 * mm
    rest = pdf.text_width - number_width
    widths = (number_width, rest * 0.32, rest * 0.14, rest * 0.54)
    headings = ("#", _("Name"), _("Area"), _("Comment"))

    def table_header():
        pdf.row(headings, widths, bold=True)

    table_header()
    pdf.on_new_page = table_header
    n = 0
    for n, (first_name, last_name, area, comment) in enumerate(
        listed_rows(petition, chunk_size), start=1
    ):
        name = f"{first_name} {last_name}".strip()
        pdf.row((number_format(n, force_grouping=True), name, area, comment), widths)
    pdf.on_new_page = None
    if not n:
        pdf.paragraph(_("No signer asked to be listed."))


def pack_file(petition, **kwargs):
    """The delivery pack of ``petition`` in a temporary file, read from its start.
    The caller closes it (``FileResponse`` does), which deletes it."""
    file = tempfile.TemporaryFile(suffix=".pdf")  # noqa: SIM115 (the caller closes it)
    try:
        write_pack(petition, file, **kwargs)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return file


# Emailing the targets -------------------------------------------------------------


def email_targets(petition, user) -> list[tuple[str, str]]:
    """Queue the pack's email to each target of ``petition`` with an address,
    once the transaction commits; return those targets as (name, address)."""
    recipients = target_emails(petition)
    if recipients:
        transaction.on_commit(
            partial(
                send_delivery_pack.enqueue,
                petition.pk,
                user.pk if user else None,
                translation.get_language(),
            )
        )
    return recipients


def delivery_message(petition, name: str, pack, filename: str, reply_to, count: int):
    context = {
        "petition": petition,
        "petition_title": petition.title,
        "target_name": name,
        "count": count,
        "count_display": number_format(count, force_grouping=True),
        "site_name": getattr(settings, "WAGTAIL_SITE_NAME", ""),
    }
    subject = " ".join(render_to_string(SUBJECT_TEMPLATE, context).split())
    message = EmailMessage(subject, render_to_string(BODY_TEMPLATE, context), reply_to=reply_to)
    message.attach(filename, pack, "application/pdf")
    return message


@task()
def send_delivery_pack(petition_id: int, user_id: int | None, language: str | None = None):
    """Build the delivery pack of a petition and email it, as an attachment, to
    each of its targets with an address (one email each); log the sending in
    the petition's history. Returns the addresses emailed."""
    page = Page.objects.filter(pk=petition_id).first()
    petition = page.specific if page else None
    recipients = target_emails(petition) if petition else []
    if not recipients:
        return []
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    reply_to = [user.email] if user and user.email else None
    with translation.override(language):
        with pack_file(petition) as file:
            pack = file.read()
        filename = pack_filename(petition)
        count = petition.signature_count
        messages = [
            (name, address, delivery_message(petition, name, pack, filename, reply_to, count))
            for name, address in recipients
        ]
    sent = []
    try:
        for name, address, message in messages:
            message.to = [address]
            message.send()
            sent.append(f"{name} <{address}>")
    except Exception:
        logger.exception("Could not email the delivery pack of petition %s", petition_id)
        raise
    finally:
        # What went out is recorded even when a later address failed.
        if sent:
            log(
                petition,
                EMAIL_DELIVERY_PACK,
                user=user,
                uuid=uuid.uuid4(),
                data={"recipients": sent, "signatures": count},
            )
    return [address for _name, address, _message in messages]
