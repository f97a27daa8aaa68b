"""Template tags that show a petition's progress on any page::

{% load wagtail_petition_tags %}
{% petition_progress page %}
{% petition_milestones page %}

in a page's ``<head>``, its link preview tags (Open Graph, Twitter card), its
oEmbed discovery link and, on sites that include ``wagtail_petition.urls``, the
link to its record in the public read API::

{% petition_meta page %}
{% petition_oembed_link page %}
{% petition_api_link page %}

the petition's place: its location line linked to OpenStreetMap, and a small
map when the petition has coordinates (nothing otherwise)::

{% petition_place page %}

and, in a thank-you state, the share links with their referral code::

{% petition_share_urls petition referral_code as share_urls %}
"""

from django import template

from .. import fast_path, maps, sharing
from ..api import URLS_NAMESPACE as API_NAMESPACE
from ..conf import app_settings
from ..models.pages import PetitionMixin
from ..previews import meta_context
from ..progress import milestones_of
from ..views import embed as embed_views

register = template.Library()


def _petition(page):
    """The petition behind ``page``, which may be a plain ``Page`` from a query."""
    return page if isinstance(page, PetitionMixin) else page.specific


@register.inclusion_tag("wagtail_petition/tags/progress.html")
def petition_progress(page):
    """The count and a progress bar toward the next goal."""
    petition = _petition(page)
    return {
        **petition.get_progress(),
        "petition": petition,
        "count_url": petition.get_live_count_url(),
        "refresh": app_settings.COUNT_MAX_AGE,
    }


@register.inclusion_tag("wagtail_petition/tags/place.html")
def petition_place(page):
    """The location line, linked to the place on OpenStreetMap, over a small
    map that ``petition.js`` draws with Leaflet once it scrolls into view. The
    map's settings travel as ``data-`` attributes. Nothing without coordinates."""
    petition = _petition(page)
    if petition.map_point is None:
        return {}
    latitude, longitude = (maps.coordinate(value) for value in petition.map_point)
    settings = maps.map_settings()
    return {
        **settings,
        "location": petition.location,
        "latitude": latitude,
        "longitude": longitude,
        "osm_url": maps.openstreetmap_url(latitude, longitude, settings["zoom"]),
        "leaflet": maps.leaflet_files(),
    }


@register.inclusion_tag("wagtail_petition/tags/milestones.html")
def petition_milestones(page, limit=None):
    """The milestone timeline, newest first."""
    petition = _petition(page)
    return {
        "petition_id": petition.original_petition_id,
        "milestones": milestones_of(petition, limit),
    }


@register.inclusion_tag("wagtail_petition/tags/meta.html", takes_context=True)
def petition_meta(context, page):
    """The petition's link preview tags: Open Graph and Twitter card, with its
    share image (the editor's, or one made from the title and the count).
    Nothing for a page that is not a petition, so a site's base template may
    call it on every page."""
    petition = page if isinstance(page, PetitionMixin) else getattr(page, "specific", None)
    if not isinstance(petition, PetitionMixin):
        return {}
    return meta_context(petition, context.get("request"))


@register.inclusion_tag("wagtail_petition/tags/oembed_link.html", takes_context=True)
def petition_oembed_link(context, page):
    """The oEmbed discovery ``<link>`` for the page's head: the site's endpoint
    when it includes ``wagtail_petition.urls``, else the page's own."""
    request = context.get("request")
    if request is None:
        return {}
    return embed_views.oembed_link(request, _petition(page), fast_path.url("oembed"))


@register.inclusion_tag("wagtail_petition/tags/api_link.html", takes_context=True)
def petition_api_link(context, page):
    """The ``<link rel="alternate">`` to the petition's JSON record in the public
    read API (``wagtail_petition.api``); nothing when the site does not include
    ``wagtail_petition.urls``."""
    path = fast_path.url(f"{API_NAMESPACE}:petition", page.pk)
    request = context.get("request")
    if path is None or request is None:
        return {}
    return {"href": request.build_absolute_uri(path), "title": page.title}


@register.simple_tag(takes_context=True)
def petition_share_urls(context, page, referral_code=""):
    """The petition's full URL for each sharing channel (``sharing.CHANNELS``),
    with ``source=<channel>`` and, when given, ``ref=<referral_code>``."""
    url = _petition(page).get_full_url(context.get("request"))
    return {
        channel: sharing.share_url(url, channel, referral_code) for channel in sharing.CHANNELS
    }
