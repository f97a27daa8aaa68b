from django.apps import AppConfig
from django.apps import apps as registry
from django.utils.translation import gettext_lazy as _

from . import checks  # noqa: F401  (registers the system checks)


class WagtailPetitionAppConfig(AppConfig):
    name = "wagtail_petition"
    label = "wagtail_petition"
    verbose_name = _("Petitions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import alerts, publishing, webhooks  # import the models: only once they are ready

        alerts.connect()
        publishing.connect()
        webhooks.connect()
        if registry.is_installed("wagtail.contrib.frontend_cache"):
            from . import purging  # imports the models: only once they are ready

            purging.connect()
