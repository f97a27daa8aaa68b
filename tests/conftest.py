import pytest
from django.core.cache import cache

from tests.factories import PetitionPageFactory


@pytest.fixture
def petition(db):
    return PetitionPageFactory()


@pytest.fixture(autouse=True)
def empty_cache():
    """Wagtail caches site root paths; a test must not see another test's sites."""
    cache.clear()
