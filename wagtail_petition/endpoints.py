"""The fast path's views (``wagtail_petition.urls``): the page by id, checked
as Wagtail checks a page it serves (live, and its privacy settings), then the
same views the page routes to. Only the lookup differs: one statement for the
page instead of Wagtail's site and tree walk."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

from .models.pages import get_petition_models, petition_pages
from .views import calls as call_views
from .views import count as count_views
from .views import embed as embed_views
from .views import sign as sign_views
from .views.cross_site import refuse_cross_site


def checked(request, page):
    """``page``, if its privacy settings let this visitor see it; the request
    then speaks the page's language. The fast path's URLs name no language, and
    a shared cache keeps one answer per URL, so the page decides, not the
    visitor's browser."""
    if any(not r.accept_request(request) for r in page.get_view_restrictions()):
        raise PermissionDenied
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        translation.activate(page.locale.language_code)
        request.LANGUAGE_CODE = translation.get_language()
    return page


def live_petition(request, petition_id):
    """The live petition of that id, of whichever petition class; else 404."""
    for model in get_petition_models():
        content_type = ContentType.objects.get_for_model(model)
        petition = model.objects.live().filter(pk=petition_id, content_type=content_type).first()
        if petition is not None:
            return checked(request, petition)
    raise Http404


@refuse_cross_site
@require_POST
def sign(request, petition_id):
    return sign_views.sign(request, live_petition(request, petition_id))


@require_GET
def live_count(request, petition_id):
    return count_views.live_count(request, live_petition(request, petition_id))


@refuse_cross_site
@require_POST
def report_call(request, page_id):
    page = get_object_or_404(Page.objects.live().specific(), pk=page_id)
    return call_views.report_call(request, checked(request, page))


@require_GET
def oembed(request):
    """The site's oEmbed endpoint: ``?url=`` a live petition page of this site."""
    if refused := embed_views.unsupported_format(request):
        return refused
    petition, site = petition_at(request, request.GET.get("url", ""))
    return embed_views.oembed(request, petition, site)


def petition_at(request, url):
    """The live petition page at ``url`` and its Site, found as Wagtail routes a
    request: the Site of its host and port, then the page's path; else 404."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise Http404 from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Http404
    try:
        site = get_site_for_hostname(parts.hostname, port)
    except Site.DoesNotExist:
        raise Http404 from None
    # Wagtail falls back to the default site; here only for this server's own host.
    if site.hostname != parts.hostname and parts.netloc != request.get_host():
        raise Http404
    url_path = site.root_page.url_path + parts.path.lstrip("/")
    url_path += "" if url_path.endswith("/") else "/"
    page = petition_pages().live().filter(url_path=url_path).first()
    if page is None:
        raise Http404
    return checked(request, page.specific), site
