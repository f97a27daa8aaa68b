"""A strict Content-Security-Policy for the example site's public pages: only
the site's own scripts, styles and images, no inline script or style. The
Wagtail admin is left out: it is not built for a policy this strict. A response
with a policy of its own keeps it: the petitions' embed widget, which other
sites may frame.

Images may also come from the petition map's tile server
(``WAGTAILPETITION_MAP_TILE_URL``), and from nowhere else."""

from django.conf import settings

from wagtail_petition.conf import map_tile_source


def policy() -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src 'self' data: {map_tile_source()}",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "object-src 'none'",
        ]
    )


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(getattr(settings, "CSP_EXEMPT_PREFIX", "/admin/")):
            response.setdefault("Content-Security-Policy", policy())
        return response
