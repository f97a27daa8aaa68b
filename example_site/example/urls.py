from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Optional: the petitions' fast path, and pages a shared cache may serve.
    path("petitions/", include("wagtail_petition.urls")),
]
# Pages in English at /, in Spanish at /es/.
urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)
