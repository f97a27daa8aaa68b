import os
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from wagtail.models import Locale, Site

from tests.factories import PetitionPageFactory, site_root


@pytest.fixture
def petition(db):
    return PetitionPageFactory()


def tasks_on(settings, backend: str) -> None:
    """Give the app's tasks the framework's ``backend`` ("dummy": queued,
    never run; "immediate": run at once) or a dotted backend path."""
    from wagtail_petition.background import BACKENDS

    path = {"dummy": "dummy.DummyBackend", "immediate": "immediate.ImmediateBackend"}
    backend = f"{BACKENDS}.{path[backend]}" if backend in path else backend
    settings.TASKS = {
        **settings.TASKS,
        settings.WAGTAILPETITION_TASK_BACKEND: {"BACKEND": backend},
    }


def turn_on_i18n(settings) -> None:
    """Wagtail's internationalisation on, in English and Spanish (the test
    settings' LANGUAGES), as in the example site."""
    settings.WAGTAIL_I18N_ENABLED = True
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES
    cache.clear()  # the site's root paths, read with the settings above


@pytest.fixture
def i18n(settings, db):
    """Internationalisation on (``turn_on_i18n``), no rate limits: the Spanish locale."""
    turn_on_i18n(settings)
    settings.WAGTAILPETITION_RATE_LIMITS = None
    return Locale.objects.get_or_create(language_code="es")[0]


@pytest.fixture(autouse=True)
def empty_cache():
    """Wagtail caches site root paths; a test must not see another test's sites."""
    cache.clear()


@pytest.fixture
def varnish(live_server, transactional_db):
    """A throwaway Varnish running docs/varnish.vcl in front of the live server;
    its base URL. The default site is given Varnish's address, so that pages
    and Wagtail's purges name it as browsers do. Skipped with a message when
    ``varnishd`` is missing (``make test`` installs it as root); under CI, failed."""
    from tests import varnish as varnish_server

    if not varnish_server.available():
        reason = "varnishd is not installed (apt-get install varnish): Varnish tests skipped"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    site_root()
    with varnish_server.server(urlsplit(live_server.url).port) as url:
        site = Site.objects.get(is_default_site=True)
        site.hostname, site.port = "127.0.0.1", urlsplit(url).port
        site.save()
        yield url
