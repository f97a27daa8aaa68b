from django.urls import path

from benchmarks.baseline.views import bare_sign
from example.urls import urlpatterns as example_urlpatterns

urlpatterns = [path("bench/bare-sign/", bare_sign, name="bench_bare_sign"), *example_urlpatterns]
