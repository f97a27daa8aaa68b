"""Purging a front-end cache (Varnish, a CDN) through Wagtail's
``wagtail.contrib.frontend_cache``, when a site installs and configures it.

Wagtail itself purges a page when it is published or unpublished, at the paths
its ``get_cached_paths()`` gives: a petition's page and its ``count/``. This
module adds what Wagtail cannot know: the fast path's count, and every petition
of a site when its organizers pause or resume signing (``PetitionSettings``).
"""

from django.db.models.signals import post_save
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.signals import page_published, page_unpublished

from . import fast_path
from .models.pages import PetitionMixin, petition_pages
from .records.settings import PetitionSettings


def connect() -> None:
    page_published.connect(purge_fast_path_count)
    page_unpublished.connect(purge_fast_path_count)
    post_save.connect(purge_site_petitions, sender=PetitionSettings)


def purge_fast_path_count(sender, instance, **kwargs) -> None:
    if not isinstance(instance, PetitionMixin):
        return
    site = instance.get_site()
    path = fast_path.url("live_count", instance.pk)
    if site is not None and path is not None:
        batch = PurgeBatch()
        batch.add_url(site.root_url + path)
        batch.purge()


def purge_site_petitions(sender, instance, **kwargs) -> None:
    """Pausing or resuming signing changes every petition page of the site."""
    petitions = petition_pages().live().descendant_of(instance.site.root_page, inclusive=True)
    batch = PurgeBatch()
    batch.add_pages(petitions.specific())
    batch.purge()
