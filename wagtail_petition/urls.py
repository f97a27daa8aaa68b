"""The fast path, optional: the sign form's POST, the live count and call
reports at plain URLs, off Wagtail's page routing, with petition pages that a
shared cache may serve to everyone, the site's oEmbed endpoint and the public
read API (``wagtail_petition.api``). One line in the site's URL configuration,
before Wagtail's own::

    path("petitions/", include("wagtail_petition.urls")),
"""

from django.urls import path

from . import api, endpoints
from .fast_path import NAMESPACE

app_name = NAMESPACE
urlpatterns = [
    path("<int:petition_id>/sign/", endpoints.sign, name="sign"),
    path("<int:petition_id>/count/", endpoints.live_count, name="live_count"),
    path("calls/<int:page_id>/", endpoints.report_call, name="report_call"),
    path("oembed/", endpoints.oembed, name="oembed"),
    path("api/v1/", api.urls()),
]
