"""Template tags that show a petition's progress on any page::

{% load wagtail_petition_tags %}
{% petition_progress page %}
{% petition_milestones page %}
"""

from django import template

from ..conf import app_settings
from ..models.pages import PetitionMixin
from ..progress import timeline_context

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


@register.inclusion_tag("wagtail_petition/tags/milestones.html")
def petition_milestones(page, limit=None):
    """The milestone timeline, newest first."""
    return timeline_context(page.pk, limit)
