from django.urls import path

from benchmarks.baseline import views
from example.urls import urlpatterns as example_urlpatterns

urlpatterns = [
    path("bench/bare-sign/", views.bare_sign),
    *example_urlpatterns,
]
