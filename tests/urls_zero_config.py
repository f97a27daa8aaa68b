"""The example site's URLs without ``wagtail_petition.urls``: a petition as a
zero-configuration install serves it, everything through the page."""

from example.urls import urlpatterns as example_urlpatterns

urlpatterns = [
    pattern
    for pattern in example_urlpatterns
    if getattr(pattern, "namespace", None) != "wagtail_petition"
]
