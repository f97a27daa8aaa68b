"""The generated share image at ``<petition url>share-image/``: a PNG that link
previews show (``wagtail_petition.previews`` draws and caches it)."""

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control

from ..conf import app_settings
from ..previews import share_image_png, share_image_version

#: A year: a versioned URL's image never changes.
VERSIONED_MAX_AGE = 365 * 24 * 60 * 60


def share_image(request, petition) -> HttpResponse:
    """The current image, whatever ``?v=`` asks for: with the current version,
    cached for a year; without it, or with a past one (a preview made before
    the last milestone), for ``WAGTAILPETITION_SHARE_IMAGE_STALE_MAX_AGE``."""
    version = share_image_version(petition, request)
    etag = f'"{version}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(share_image_png(petition, request, version), "image/png")
    response["ETag"] = etag
    if request.GET.get("v") == version:
        patch_cache_control(response, public=True, max_age=VERSIONED_MAX_AGE, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=app_settings.SHARE_IMAGE_STALE_MAX_AGE)
    return response
