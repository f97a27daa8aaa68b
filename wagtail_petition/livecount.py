"""The live count: JSON at ``<petition url>count/``, cheap to serve and to cache.

(Wagtail serves pages on URL segments of letters, digits, ``_`` and ``-``, so
the endpoint is a page route, ``count/``, that needs no URL configuration.)

It carries no personal data and touches no session or cookie, so a CDN or the
browser's cache can answer a crowd watching the number.
"""

import hashlib
import json

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response
from django.utils.formats import number_format

from .conf import app_settings
from .models import Milestone

COUNT_PATH = "count"
MILESTONES_SHOWN = 3


def count_data(petition) -> dict:
    """What a page showing the count needs to refresh it."""
    context = petition.get_progress()
    count, goal = context["count"], context["goal"]
    milestones = Milestone.objects.filter(petition_id=petition.pk).order_by("-threshold")
    return {
        "count": count,
        "count_display": number_format(count, force_grouping=True),
        "count_text": render_to_string("wagtail_petition/tags/count_text.txt", context).strip(),
        "goal": goal,
        "goal_text": render_to_string("wagtail_petition/tags/goal_text.txt", context).strip(),
        "milestones": [
            {"threshold": m.threshold, "reached_at": m.reached_at.isoformat()}
            for m in milestones[:MILESTONES_SHOWN]
        ],
    }


def serve_count(request, petition) -> HttpResponse:
    """The count as JSON, with an ETag, conditional GET and public caching."""
    body = json.dumps(count_data(petition), separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = (
        f"public, max-age={app_settings.COUNT_MAX_AGE}, "
        f"stale-while-revalidate={app_settings.COUNT_STALE_WHILE_REVALIDATE}"
    )
    return response
