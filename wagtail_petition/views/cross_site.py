"""Protection against cross-site forgery without a token, for the fast path's
POSTs (``wagtail_petition.urls``): a page a shared cache serves to everyone
cannot carry a per-visitor CSRF token.

A browser says where a request comes from: ``Sec-Fetch-Site`` (every current
browser) and ``Origin`` (on every POST, in browsers since 2020). A request is
refused when they show another site; see "Cross-site requests" in
``docs/trust.md`` for the threat model.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseForbidden
from django.utils.cache import add_never_cache_headers
from django.utils.http import is_same_domain
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt


def is_cross_site(request) -> bool:
    """Whether a browser sent ``request`` from a page of another site.

    Allowed: ``Sec-Fetch-Site: same-origin`` (or ``none``: the visitor's own
    doing), an ``Origin`` of this host or in ``CSRF_TRUSTED_ORIGINS``, and
    requests with neither header (not from a browser, which is not what
    forgery abuses, or from one too old to send them)."""
    origin = request.headers.get("Origin")
    if origin and is_trusted(origin):
        return False
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site not in ("same-origin", "none")
    if not origin:
        return False
    return urlsplit(origin).netloc != request.get_host()


def is_trusted(origin: str) -> bool:
    """Whether ``origin`` is one of ``CSRF_TRUSTED_ORIGINS`` (wildcards included)."""
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        if origin == trusted:
            return True
        if "*" in trusted:
            scheme, _sep, host = trusted.partition("://")
            parts = urlsplit(origin)
            if parts.scheme == scheme and is_same_domain(parts.netloc, host.replace("*", "")):
                return True
    return False


def refuse_cross_site(view):
    """Exempt ``view`` from Django's token check and refuse, with a 403 and
    nothing stored, what another site's page makes a browser send."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if is_cross_site(request):
            response = HttpResponseForbidden(
                _("This form was sent from another website. Please sign on the petition's page.")
            )
            add_never_cache_headers(response)
            return response
        return view(request, *args, **kwargs)

    return wrapper
