"""The example site's own check: its demo secret key is public, so anyone could
sign confirmation links with it. It is refused whenever DEBUG is off."""

from django.conf import settings
from django.core.checks import Error, register

#: The example site's default SECRET_KEY, for `make demo` on 127.0.0.1 only.
DEMO_SECRET_KEY = "insecure-key-for-the-local-demo-only"


@register()
def check_demo_secret_key(app_configs, **kwargs):
    if settings.DEBUG or settings.SECRET_KEY != DEMO_SECRET_KEY:
        return []
    return [
        Error(
            "The example site runs with DEBUG off and its public demo SECRET_KEY: anyone "
            "could forge confirmation links and sessions.",
            hint="Set the SECRET_KEY environment variable to a long random value.",
            id="home.E001",
        )
    ]
