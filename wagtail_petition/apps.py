from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from . import checks  # noqa: F401  (registers the system checks)


class WagtailPetitionAppConfig(AppConfig):
    name = "wagtail_petition"
    label = "wagtail_petition"
    verbose_name = _("Petitions")
    default_auto_field = "django.db.models.BigAutoField"
