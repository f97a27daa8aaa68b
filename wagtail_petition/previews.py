"""Link previews: what a chat or a social network shows of a shared petition.

``meta_context()`` feeds the ``{% petition_meta %}`` tag (Open Graph and
Twitter card tags). Its image is the editor's ``share_image`` when there is
one, else the generated card (``share_image``) at the page's
``share-image/?v=<version>``. The version changes with what the card shows
that may change, the highest milestone, the live revision, the colours, the
site's name, the language and whether the petition is closed, and names the
card's bytes in Django's cache: the card is drawn once per version, not per
request.
"""

import hashlib
from urllib.parse import urljoin

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.text import Truncator
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _
from wagtail.models import Site

from . import share_image
from .conf import app_settings
from .progress import milestones_of
from .records.settings import PetitionSettings

#: The longest description, in characters, before it is cut with an ellipsis.
DESCRIPTION_LENGTH = 200
#: The rendition of an editor's share image: the size networks ask for.
RENDITION_FILTER = "fill-1200x630"
ROUTE = "share_image"


def site_name(request) -> str:
    """The name of the request's Wagtail site, else ``WAGTAIL_SITE_NAME``."""
    site = Site.find_for_request(request) if request is not None else None
    return (site and site.site_name) or getattr(settings, "WAGTAIL_SITE_NAME", "")


def share_image_version(petition, request=None) -> str:
    """The version of the generated share image: it changes whenever the
    image would look different, except for the count between milestones."""
    colours = PetitionSettings.for_page(petition, request)
    milestones = milestones_of(petition)
    parts = (
        milestones[0].threshold if milestones else 0,
        petition.live_revision_id,
        colours.share_background,
        colours.share_text,
        colours.share_accent,
        petition.is_closed,
        get_language(),
        site_name(request),
    )
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:16]


def share_image_cache_key(petition, version: str) -> str:
    return f"wagtail_petition:share-image:{petition.pk}:{version}"


def share_image_png(petition, request, version: str) -> bytes:
    """The generated share image of ``version``, from the cache, else drawn
    and kept there for ``WAGTAILPETITION_SHARE_IMAGE_CACHE_SECONDS``."""
    key = share_image_cache_key(petition, version)
    png = cache.get(key)
    if png is None:
        png = share_image.draw(petition.get_share_card(request))
        cache.set(key, png, app_settings.SHARE_IMAGE_CACHE_SECONDS)
    return png


def share_card(petition, request) -> share_image.ShareCard:
    """What the generated image shows: the title, the count and the progress
    toward the goal (a closed petition's toward the goal it headed for), in
    the site's colours: ``PetitionMixin.get_share_card()``'s default."""
    progress = petition.get_progress()
    count = progress["count"]
    goal = progress["goal"] or petition.get_goal(count)
    colours = PetitionSettings.for_page(petition, request)
    return share_image.ShareCard(
        title=petition.title,
        count_text=render_to_string("wagtail_petition/tags/count_text.txt", progress).strip(),
        goal_text=render_to_string("wagtail_petition/tags/goal_text.txt", progress).strip(),
        progress=count / goal if goal else 1.0,
        site_name=site_name(request),
        background=colours.share_background,
        text=colours.share_text,
        accent=colours.share_accent,
    )


def image_context(petition, request, page_url: str) -> dict:
    """The share image's absolute URL, size, type and alternative text: a
    rendition of the editor's image, else the generated card."""
    image = petition.share_image if petition.share_image_id else None
    if image is not None:
        try:
            rendition = image.get_rendition(RENDITION_FILTER)
        except OSError:  # the file is gone (SourceImageIOError): the generated card will do
            rendition = None
        if rendition is not None:
            return {
                "url": urljoin(page_url, rendition.url),
                "width": rendition.width,
                "height": rendition.height,
                "alt": getattr(image, "description", "") or image.title,
                "type": "",
            }
    version = share_image_version(petition, request)
    return {
        "url": urljoin(page_url, petition.reverse_subpage(ROUTE)) + f"?v={version}",
        "width": share_image.WIDTH,
        "height": share_image.HEIGHT,
        "alt": _("%(title)s: the petition's signature count and its progress toward its goal")
        % {"title": petition.title},
        "type": "image/png",
    }


def meta_context(petition, request) -> dict:
    """The context of ``tags/meta.html``: empty for a page without a URL."""
    url = petition.get_full_url(request)
    if not url:
        return {}
    description = petition.search_description or petition.summary
    return {
        "url": url,
        "title": petition.seo_title or petition.title,
        "description": Truncator(" ".join(description.split())).chars(DESCRIPTION_LENGTH),
        "site_name": site_name(request),
        "locale": to_locale(get_language() or settings.LANGUAGE_CODE),
        "image": image_context(petition, request, url),
    }
