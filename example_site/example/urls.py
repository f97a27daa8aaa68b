from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Optional: the petitions' fast path, and pages a shared cache may serve.
    path("petitions/", include("wagtail_petition.urls")),
    path("", include(wagtail_urls)),
]
