from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from wagtail_petition.blocks import CallScriptBlock
from wagtail_petition.models import PetitionPage


class HomePage(Page):
    """The example site's front page: an introduction and the live petitions,
    each with its progress, shown through wagtail_petition's template tags."""

    intro = RichTextField(blank=True)
    # A CallScriptBlock works on any page, not only on petitions.
    body = StreamField(
        [("text", blocks.RichTextBlock()), ("call_script", CallScriptBlock())], blank=True
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["wagtail_petition.PetitionPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        petitions = PetitionPage.objects.child_of(self).live()
        context["petitions"] = petitions.order_by("-first_published_at")
        return context
