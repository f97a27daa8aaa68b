"""The live count: JSON at ``<petition url>count/``, cheap to serve and to cache.

It carries no personal data and touches no session or cookie, so a CDN or the
browser's cache can answer a crowd watching the number.
"""

import hashlib
import json

from django.http import HttpResponse
from django.utils.cache import get_conditional_response

from ..conf import app_settings
from ..progress import count_data


def live_count(request, petition) -> HttpResponse:
    """The count as JSON, with an ETag, conditional GET and public caching."""
    body = json.dumps(count_data(petition), separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    # Public data: any site may read it, without credentials.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = (
        f"public, max-age={app_settings.COUNT_MAX_AGE}, "
        f"stale-while-revalidate={app_settings.COUNT_STALE_WHILE_REVALIDATE}"
    )
    return response
