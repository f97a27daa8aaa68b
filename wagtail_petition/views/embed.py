"""The petition on other sites: the embed widget (``<petition url>embed/``), a
small standalone document made to be framed, and its oEmbed description.

Inside another site's frame the browser may refuse this site's cookies (third
party), so the widget never relies on one: on a site with the fast path
(``wagtail_petition.urls``) its form posts with ``?embed=1`` to the fast path's
sign URL, which needs no cookie nor CSRF token, and the answer carries the
thank-you state in the URL, as a signed token (``thanks_token``) holding the
petition's id and the signer's referral code, never personal data. Without the
fast path, the widget shows the count and a link to sign on the full page.
"""

from html import escape
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core import signing
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

from .. import session
from ..conf import app_settings

TEMPLATE = "wagtail_petition/embed.html"
THANKS_TEMPLATE = "wagtail_petition/includes/embed_thanks.html"
THANKS_SALT = "wagtail_petition.embed.thanks"
# How long a thank-you URL shows its thanks: long enough for a reload.
THANKS_MAX_AGE = 24 * 60 * 60
DEFAULT_WIDTH = 400
DEFAULT_HEIGHT = 640
MIN_SIZE = 100


def is_embed(request) -> bool:
    """Whether a sign form's POST came from the embed widget (``?embed=1``)."""
    return request.GET.get("embed") == "1"


# The thank-you token ------------------------------------------------------------


def thanks_state(request, petition) -> dict:
    """What the widget's thank-you state shows of a signature just made: its
    referral code for the share links (set in this request by the sign)."""
    code = session.signed_state(request, petition.original_petition_id).get("referral_code", "")
    return {"referral_code": code or ""}


def thanks_token(request, petition) -> str:
    """A signed token for the widget's thank-you URL: the petition's id and the
    signer's referral code, no personal data."""
    state = thanks_state(request, petition)
    return signing.dumps({"p": petition.pk, "r": state["referral_code"]}, salt=THANKS_SALT)


def read_thanks(request, petition) -> dict | None:
    """The thank-you state ``?thanks=`` carries for this petition, or None when
    there is none, or it is forged, expired or another petition's."""
    token = request.GET.get("thanks")
    if not token:
        return None
    try:
        data = signing.loads(token, salt=THANKS_SALT, max_age=THANKS_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("p") != petition.pk:
        return None
    code = data.get("r")
    return {"referral_code": code if isinstance(code, str) else ""}


def thanks_url(request, petition) -> str:
    """The widget's thank-you URL for the signature this request just made."""
    return (
        petition.get_embed_url(request)
        + "?"
        + urlencode({"thanks": thanks_token(request, petition)})
    )


# The widget ------------------------------------------------------------------------


def static_origin() -> str:
    """The origin of ``STATIC_URL`` when static files are served from another host."""
    parts = urlsplit(settings.STATIC_URL or "")
    if not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme else parts.netloc


def content_security_policy() -> str:
    """The widget's own policy: this site's scripts and styles only, framed by
    ``WAGTAILPETITION_EMBED_ORIGINS``."""
    own = " ".join(filter(None, ["'self'", static_origin()]))
    origins = app_settings.EMBED_ORIGINS
    ancestors = (origins if isinstance(origins, str) else " ".join(origins)) or "'none'"
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {own}",
            f"style-src {own}",
            "img-src 'self' data:",
            "form-action 'self'",
            "base-uri 'self'",
            "object-src 'none'",
            f"frame-ancestors {ancestors}",
        ]
    )


def context(request, petition, *, form=None, thanks=None) -> dict:
    """The widget's context: the page's, with the form posting to the fast path
    for an embed (``sign_in_frame``) where the site includes it."""
    signed = thanks is not None
    ctx = petition.get_context(request, form=form, signed=signed)
    in_frame = not ctx["sign_needs_token"]
    ctx.update(
        sign_in_frame=in_frame,
        sign_url=ctx["sign_url"] + "?embed=1" if in_frame else ctx["sign_url"],
        petition_url=petition.get_url(request),
        referral_code=(thanks or {}).get("referral_code", ""),
    )
    return ctx


def render(request, petition, ctx, status=200) -> TemplateResponse:
    """The widget, with the headers that let other sites frame it."""
    response = TemplateResponse(request, TEMPLATE, ctx, status=status)
    response["Content-Security-Policy"] = content_security_policy()
    response.xframe_options_exempt = True
    # What django-csp's @csp_exempt sets: its middleware leaves the policy above.
    response._csp_exempt = True
    return response


def embed(request, petition):
    """The widget (GET): the count, progress and sign form; the thank-you state
    for a valid ``?thanks=`` token. Shared caches may keep it as the page."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    request.is_preview = getattr(request, "is_preview", False)
    thanks = read_thanks(request, petition)
    response = render(request, petition, context(request, petition, thanks=thanks))
    if thanks is not None or "thanks" in request.GET:
        add_never_cache_headers(response)
    else:
        response.add_post_render_callback(lambda r: petition.allow_shared_caching(request, r))
    return response


# oEmbed ------------------------------------------------------------------------------


def size(request, name, default) -> int | None:
    """``maxwidth`` or ``maxheight`` applied to ``default``; None if not a number."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        return None
    return max(MIN_SIZE, min(default, int(raw)))


def iframe_html(request, petition, width=DEFAULT_WIDTH, height=DEFAULT_HEIGHT) -> str:
    """The widget's ``<iframe>``, for other sites to paste or oEmbed to serve."""
    src = petition.get_full_url(request) + petition.reverse_subpage("embed")
    return (
        f'<iframe src="{escape(src)}" title="{escape(petition.title)}" '
        f'width="{width}" height="{height}" loading="lazy" '
        'sandbox="allow-forms allow-scripts allow-same-origin allow-popups '
        'allow-popups-to-escape-sandbox"></iframe>'
    )


def unsupported_format(request) -> HttpResponse | None:
    """501 for any format but JSON, as the oEmbed specification says."""
    if request.GET.get("format", "json") == "json":
        return None
    return HttpResponse(
        _("Only the JSON format is available."), status=501, content_type="text/plain"
    )


def oembed(request, petition, site=None):
    """The petition's oEmbed description, type "rich": its widget in an iframe;
    ``site``, the Wagtail Site it was asked for by, names the provider."""
    if refused := unsupported_format(request):
        return refused
    width = size(request, "maxwidth", DEFAULT_WIDTH)
    height = size(request, "maxheight", DEFAULT_HEIGHT)
    if width is None or height is None:
        return HttpResponseBadRequest(
            _("maxwidth and maxheight must be whole numbers."), content_type="text/plain"
        )
    site = site or petition.get_site()
    response = JsonResponse(
        {
            "type": "rich",
            "version": "1.0",
            "title": petition.title,
            "provider_name": site.site_name or site.hostname if site else "",
            "provider_url": site.root_url + "/" if site else "",
            "html": iframe_html(request, petition, width, height),
            "width": width,
            "height": height,
        }
    )
    patch_cache_control(response, public=True, max_age=max(app_settings.PAGE_CACHE_SECONDS, 0))
    return response


def oembed_link(request, petition, endpoint: str | None) -> dict:
    """The page's oEmbed discovery link: the site's endpoint (``endpoint``, on the
    fast path) with the page's URL, else the page's own ``oembed/``."""
    page_url = petition.get_full_url(request)
    if not page_url:
        return {}
    if endpoint:
        href = (
            request.build_absolute_uri(endpoint)
            + "?"
            + urlencode({"url": page_url, "format": "json"})
        )
    else:
        href = page_url + petition.reverse_subpage("oembed") + "?format=json"
    return {"href": href, "title": petition.title}
