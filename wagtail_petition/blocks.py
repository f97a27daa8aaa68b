"""StreamField blocks for petitions, usable in any StreamField: the target, the
body's headings, demands and quotes, and the call script (from
``wagtail_petition.call_script``, importable from here too)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .call_script.blocks import (
    CallScriptBlock,
    OfficeHoursBlock,
    OpeningPeriodBlock,
    PhoneLineBlock,
    PhoneNumberBlock,
    timezone_choices,
)

__all__ = [
    "RICH_TEXT_FEATURES",
    "CallScriptBlock",
    "DemandsBlock",
    "HeadingBlock",
    "OfficeHoursBlock",
    "OpeningPeriodBlock",
    "PetitionBodyBlock",
    "PhoneLineBlock",
    "PhoneNumberBlock",
    "QuoteBlock",
    "TargetBlock",
    "timezone_choices",
]

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class TargetBlock(blocks.StructBlock):
    """Who the petition is addressed to: shown on the "To:" line."""

    name = blocks.CharBlock(
        label=_("Name"),
        max_length=200,
        help_text=_("A person or body, e.g. 'Mayor Alex Rivera' or 'City Council'."),
    )
    role = blocks.CharBlock(
        label=_("Role"),
        max_length=200,
        required=False,
        help_text=_("Optional, e.g. 'Mayor of Lakeport'."),
    )
    email = blocks.EmailBlock(
        label=_("Email"),
        required=False,
        help_text=_(
            "Optional. Where the delivery pack can be emailed from the petition's "
            "dashboard; never shown on the page."
        ),
    )

    class Meta:
        icon = "user"
        label = _("Target")
        template = "wagtail_petition/blocks/target.html"


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Heading")
        template = "wagtail_petition/blocks/heading.html"


class DemandsBlock(blocks.StructBlock):
    """A short numbered list of what the petition asks for."""

    heading = blocks.CharBlock(
        label=_("Heading"), max_length=200, default=_("Our demands"), required=False
    )
    demands = blocks.ListBlock(
        blocks.TextBlock(label=_("Demand"), max_length=500),
        label=_("Demands"),
        min_num=1,
        help_text=_("One demand per item, shown as a numbered list."),
    )

    class Meta:
        icon = "list-ol"
        label = _("Demands")
        template = "wagtail_petition/blocks/demands.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "wagtail_petition/blocks/quote.html"


class PetitionBodyBlock(blocks.StreamBlock):
    """The petition text: headings, rich text (with lists), demands and quotes."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES, icon="pilcrow")
    demands = DemandsBlock()
    quote = QuoteBlock()
    call_script = CallScriptBlock()
