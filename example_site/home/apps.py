from django.apps import AppConfig

from . import checks  # noqa: F401  (registers the demo key check)


class HomeConfig(AppConfig):
    name = "home"
    default_auto_field = "django.db.models.BigAutoField"
