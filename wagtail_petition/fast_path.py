"""The fast path: the petition's sign form, live count and call reports at plain
URLs, off Wagtail's page routing, for sites that include ``wagtail_petition.urls``.

Without the include, every one of them is answered by the page itself, as on a
zero-configuration install; with it, pages link to the plain URLs, and a
petition page carries nothing that depends on its visitor, so any shared cache
may serve it (``PetitionMixin.index_route``).
"""

from django.urls import NoReverseMatch, reverse

NAMESPACE = "wagtail_petition"


def url(name: str, *args) -> str | None:
    """The plain URL named ``name`` in ``wagtail_petition.urls``, or None when
    the site does not include that module."""
    try:
        return reverse(f"{NAMESPACE}:{name}", args=args)
    except NoReverseMatch:
        return None
