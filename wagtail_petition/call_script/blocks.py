"""The call script's blocks: ``CallScriptBlock`` and its parts, usable in any
StreamField on any page type."""

import functools
import re
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.fields import StreamField

from .. import fast_path, session
from ..records.calls import CallReport
from .hours import office_hours_context
from .phones import PhoneNumberField, phone_link
from .reports import calls_made

PLACEHOLDER = re.compile(r"\{(\w*)\}")
#: Placeholders a script may use, with how a blank one is read out.
PLACEHOLDERS = {
    "first_name": _("your first name"),
    "last_name": _("your last name"),
    "postal_code": _("your postal code"),
    "target": _("the name of the person you are calling"),
}
BLANK = "___"


@functools.cache
def timezone_choices():
    # Cached: it reads the time zone database from disk, and runs each time a
    # page with a call script is loaded.
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


def fill_script(script: str, values: dict) -> SafeString:
    """The script as HTML paragraphs: each placeholder filled with its escaped
    value, or shown as a blank that screen readers announce by its meaning."""

    def placeholder(name):
        if values.get(name):
            return format_html('<strong class="call-script__filled">{}</strong>', values[name])
        return format_html(
            '<span class="call-script__blank"><span aria-hidden="true">{}</span>'
            '<span class="petition-visually-hidden">({})</span></span>',
            BLANK,
            PLACEHOLDERS.get(name, name),
        )

    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", script.strip()):
        # split() alternates plain text (even indexes) and placeholder names.
        parts = PLACEHOLDER.split(paragraph)
        html = "".join(
            conditional_escape(part) if i % 2 == 0 else placeholder(part)
            for i, part in enumerate(parts)
        )
        paragraphs.append(format_html("<p>{}</p>", mark_safe(html.replace("\n", "<br>"))))
    return mark_safe("".join(paragraphs))


class PhoneNumberBlock(blocks.FieldBlock):
    """A phone number, validated with ``phonenumbers`` and stored in E.164."""

    def __init__(self, required=True, help_text=None, **kwargs):
        self.field = PhoneNumberField(required=required, help_text=help_text)
        super().__init__(**kwargs)


class PhoneLineValue(blocks.StructValue):
    @cached_property
    def link(self) -> tuple[str, str]:
        return phone_link(self["number"])

    @property
    def href(self) -> str:
        return self.link[0]

    @property
    def display(self) -> str:
        return self.link[1]


class PhoneLineBlock(blocks.StructBlock):
    label = blocks.CharBlock(
        label=_("Office"),
        max_length=200,
        help_text=_("Who answers, e.g. 'Mayor's Office, City of Lakeport'."),
    )
    number = PhoneNumberBlock(
        label=_("Phone number"),
        help_text=_(
            "In any usual format. Numbers without a +country code are read as numbers "
            "of the site's default region."
        ),
    )

    class Meta:
        icon = "mobile-alt"
        label = _("Phone line")
        value_class = PhoneLineValue


WEEKDAY_CHOICES = [(str(day), name) for day, name in WEEKDAYS.items()]


class OpeningPeriodBlock(blocks.StructBlock):
    days = blocks.MultipleChoiceBlock(
        label=_("Days"),
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    opens = blocks.TimeBlock(label=_("Opens"))
    closes = blocks.TimeBlock(label=_("Closes"))

    class Meta:
        icon = "time"
        label = _("Opening hours")

    def clean(self, value):
        value = super().clean(value)
        if value["closes"] <= value["opens"]:
            raise StructBlockValidationError(
                block_errors={"closes": ValidationError(_("Closing must come after opening."))}
            )
        return value


class TimeZoneBlock(blocks.ChoiceBlock):
    """A time zone's name, chosen from the time zone database.

    Read back from the database as it is stored: ``ChoiceBlock`` would look the
    name up among the ~600 choices on every page view, to give back the same
    string. Migrations name it as a plain ``ChoiceBlock``.
    """

    def to_python(self, value):
        return value


class OfficeHoursBlock(blocks.StructBlock):
    time_zone = TimeZoneBlock(
        label=_("Time zone"),
        choices=timezone_choices,
        required=False,
        help_text=_("The office's time zone. Leave empty for the site's own."),
    )
    periods = blocks.ListBlock(
        OpeningPeriodBlock(),
        label=_("Opening hours"),
        min_num=0,
        default=[],
        help_text=_("Leave empty to show no opening hours."),
    )

    class Meta:
        icon = "time"
        label = _("Office hours")


class CallScriptBlock(blocks.StructBlock):
    """A call-your-target tool: numbers to tap, a script filled in for the caller,
    office hours, and a "How did it go?" form that counts the calls.

    Use it as a top-level block of any StreamField: its outcome reports are
    matched to the page's live content by the block's id.
    """

    heading = blocks.CharBlock(
        label=_("Heading"), max_length=200, default=_("Call your representative")
    )
    intro = blocks.TextBlock(
        label=_("Introduction"),
        required=False,
        help_text=_("E.g. 'Call the Mayor's office and leave a message.'"),
    )
    target = blocks.CharBlock(
        label=_("Who they are calling"),
        max_length=200,
        required=False,
        help_text=_(
            "Fills {target} in the script. On a petition, leave empty to use its first target."
        ),
    )
    phone_lines = blocks.ListBlock(PhoneLineBlock(), label=_("Phone lines"), min_num=1)
    script = blocks.TextBlock(
        label=_("Script"),
        help_text=_(
            "What to say. {first_name}, {last_name} and {postal_code} are filled in for "
            "someone who has just signed, and shown as blanks to others; {target} is the "
            "person called. A blank line starts a new paragraph."
        ),
    )
    talking_points = blocks.ListBlock(
        blocks.CharBlock(label=_("Point"), max_length=300),
        label=_("Talking points"),
        min_num=0,
        default=[],
        help_text=_("Optional points to make if the caller gets to talk to someone."),
    )
    office_hours = OfficeHoursBlock(label=_("Office hours"), required=False)

    class Meta:
        icon = "mobile-alt"
        label = _("Call script")
        template = "wagtail_petition/blocks/call_script.html"
        preview_template = "wagtail_petition/blocks/call_script_preview.html"
        description = _("Phone numbers to call, a script to read and a count of calls made.")
        preview_value = {
            "heading": "Call the Mayor's office",
            "intro": "Call the Mayor's office and leave a message.",
            "target": "Mayor Dana Whitfield",
            "phone_lines": [{"label": "Mayor's Office", "number": "+13125550142"}],
            "script": "Hi, my name is {first_name} and I am calling to ask {target} to act.",
            "talking_points": [],
            "office_hours": {"time_zone": "", "periods": []},
        }

    def clean(self, value):
        value = super().clean(value)
        unknown = sorted(set(PLACEHOLDER.findall(value["script"])) - PLACEHOLDERS.keys())
        if unknown:
            known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
            message = _("Unknown placeholder %(unknown)s. Use %(known)s.") % {
                "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                "known": known,
            }
            raise StructBlockValidationError(block_errors={"script": ValidationError(message)})
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context.update(call_script_context(value, parent_context or {}))
        return context


# Migrations name the block by the path sites import it from.
DECONSTRUCT_ALIASES = {PhoneNumberBlock: "wagtail_petition.blocks.PhoneNumberBlock"}


def call_script_context(value, parent_context: dict) -> dict:
    """Template context for a CallScriptBlock rendered inside ``parent_context``
    (a page's context, with ``page``, ``request``, the block's ``id`` and, on a
    petition that was just signed, the ``signer``)."""
    page, request = parent_context.get("page"), parent_context.get("request")
    block_id = parent_context.get("id")
    target = value.get("target") or first_target(page)
    values = {**(parent_context.get("signer") or {}), "target": target}
    context = {
        "block_id": block_id,
        "script_html": fill_script(value["script"], values),
        **office_hours_context(value.get("office_hours")),
    }
    if page is not None and page.pk and block_id:
        context.update(
            calls_made=calls_made(page.pk, block_id),
            reported_outcome=(
                session.reported_outcome(request, page.pk, block_id)
                if session.is_personal(request)
                else None
            ),
            **report_target(page, request),
            outcomes=CallReport.Outcome.choices,
        )
    return context


def report_target(page, request) -> dict:
    """Where the "How did it go?" form posts: the fast path when the site
    includes it (no CSRF token, so the page stays the same for everyone),
    else the page itself."""
    plain = fast_path.url("report_call", page.pk)
    return {"report_url": plain or page.get_url(request), "report_needs_token": plain is None}


def first_target(page) -> str:
    """On a petition, the name of its first target."""
    for target in getattr(page, "targets", None) or []:
        return target.value["name"]
    return ""


def find_call_script(page, block_id):
    """The value of the CallScriptBlock with ``block_id`` among the top-level
    blocks of the page's StreamFields, or None."""
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            for child in getattr(page, field.name):
                if child.id == block_id and isinstance(child.block, CallScriptBlock):
                    return child.value
    return None
