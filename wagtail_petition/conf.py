"""Every ``WAGTAILPETITION_*`` setting, with its default.

Settings are read when used, not at import, so ``override_settings`` works::

    from wagtail_petition.conf import app_settings

    app_settings.GOAL_LADDER
"""

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULTS = {
    # The automatic goal ladder: a dotted path to a callable returning an
    # increasing iterable of thresholds (it may be endless), or a list of numbers.
    "GOAL_LADDER": "wagtail_petition.goals.default_ladder",
    # How many milestones the timeline shows, newest first.
    "TIMELINE_LENGTH": 10,
    # Whether new petitions require email confirmation (each petition can change it).
    "REQUIRE_CONFIRMATION": False,
    # The region phone numbers without a "+" country code are read in (ISO 3166-1).
    "PHONE_REGION": "US",
    # Days after a petition's deadline before `petition_anonymise` removes its
    # signers' personal data; None: no automatic retention.
    "RETENTION_DAYS": None,
    # How many leading characters of the postal code retention keeps, for statistics.
    "RETENTION_POSTAL_CODE_PREFIX": 3,
}


class AppSettings:
    prefix = "WAGTAILPETITION_"

    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(name)
        return getattr(settings, self.prefix + name, DEFAULTS[name])


app_settings = AppSettings()


def goal_ladder():
    """A fresh iterable of the configured ladder's thresholds."""
    ladder = app_settings.GOAL_LADDER
    if isinstance(ladder, str):
        return import_string(ladder)()
    return iter(ladder)
