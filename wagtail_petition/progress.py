"""A petition's progress as visitors see it: the count, the goal and the
milestones, for the page, its template tags and the live count."""

from django.template.loader import render_to_string
from django.utils.formats import number_format

from .conf import app_settings
from .records.signatures import Milestone

#: How many of the latest milestones the live count carries.
MILESTONES_IN_COUNT = 3


def latest_milestones(petition_id, limit=None) -> list[Milestone]:
    """The petition's milestones, newest first: at most ``limit``, by default
    ``WAGTAILPETITION_TIMELINE_LENGTH``."""
    return Milestone.objects.latest(petition_id, limit or app_settings.TIMELINE_LENGTH)


def milestones_of(page, limit=None) -> list[Milestone]:
    """``latest_milestones()`` of a petition page, read once per page object:
    the page's head (its share image's version, ``previews``) and its
    timeline share one query. Wagtail loads a fresh page for each request."""
    limit = limit or app_settings.TIMELINE_LENGTH
    read = page.__dict__.setdefault("_wagtail_petition_milestones", {})
    if limit not in read:
        read[limit] = latest_milestones(page.original_petition_id, limit)
    return read[limit]


def timeline_context(petition_id, limit=None) -> dict:
    """The context of the timeline's template, ``tags/milestones.html``."""
    return {"petition_id": petition_id, "milestones": latest_milestones(petition_id, limit)}


def count_data(petition) -> dict:
    """What a page showing the count needs to refresh it: the live count's JSON."""
    context = petition.get_progress()
    count = context["count"]
    return {
        "count": count,
        "count_display": number_format(count, force_grouping=True),
        "count_text": render_to_string("wagtail_petition/tags/count_text.txt", context).strip(),
        "goal": context["goal"],
        "goal_text": render_to_string("wagtail_petition/tags/goal_text.txt", context).strip(),
        "milestones": [
            {"threshold": m.threshold, "reached_at": m.reached_at.isoformat()}
            for m in latest_milestones(petition.original_petition_id, MILESTONES_IN_COUNT)
        ],
    }
