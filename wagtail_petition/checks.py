"""System checks: settings that would make petitions fail under load or at render."""

from itertools import islice

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Warning, register

from . import conf


@register()
def check_sqlite_concurrency(app_configs, **kwargs):
    """SQLite without IMMEDIATE transactions answers concurrent signers with
    'database is locked' instead of making them wait."""
    problems = []
    for alias, database in settings.DATABASES.items():
        if not database.get("ENGINE", "").endswith("sqlite3"):
            continue
        if database.get("OPTIONS", {}).get("transaction_mode") != "IMMEDIATE":
            problems.append(
                Warning(
                    f"SQLite database '{alias}' does not use IMMEDIATE transactions.",
                    hint=(
                        'Add "transaction_mode": "IMMEDIATE" and '
                        '"init_command": "PRAGMA journal_mode=WAL;" to its OPTIONS, '
                        "so that people signing at the same moment wait their turn "
                        "instead of getting an error."
                    ),
                    id="wagtail_petition.W001",
                )
            )
    return problems


@register()
def check_goal_ladder(app_configs, **kwargs):
    try:
        steps = list(islice(conf.goal_ladder(), 50))
    except Exception as error:  # any import or call failure is a configuration error
        return [
            Error(
                f"WAGTAILPETITION_GOAL_LADDER cannot be used: {error}",
                id="wagtail_petition.E001",
            )
        ]
    if (
        not steps
        or any(not isinstance(s, int) or s < 1 for s in steps)
        or (steps != sorted(set(steps)))
    ):
        return [
            Error(
                "WAGTAILPETITION_GOAL_LADDER must give positive whole numbers in "
                "increasing order.",
                id="wagtail_petition.E002",
            )
        ]
    return []


@register()
def check_postal_area_locator(app_configs, **kwargs):
    """A locator that cannot be imported would break every petition's dashboard."""
    try:
        locator = conf.postal_area_locator()
    except ImportError as error:
        locator = error
    if locator is None or callable(locator):
        return []
    return [
        Error(
            f"WAGTAILPETITION_POSTAL_AREA_LOCATOR cannot be used: {locator}",
            hint="Give the dotted path to a callable (area) -> (latitude, longitude) or None.",
            id="wagtail_petition.E005",
        )
    ]


@register()
def check_trust_settings(app_configs, **kwargs):
    """Settings that quietly undo the protection of signatures in production."""
    if settings.DEBUG:
        return []
    problems = []
    if conf.app_settings.RECAPTCHA and uses_recaptcha_test_keys():
        problems.append(
            Warning(
                "reCAPTCHA uses Google's test keys, which let every bot through.",
                hint="Set RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY to your own keys.",
                id="wagtail_petition.W002",
            )
        )
    if conf.app_settings.RATE_LIMITS and cache_is_per_process():
        problems.append(
            Warning(
                "Rate limits are counted in a per-process cache: with several server "
                "processes, each counts on its own and a flood gets several times through.",
                hint="Use a shared cache (Redis or Memcached) as the default cache.",
                id="wagtail_petition.W003",
            )
        )
    if conf.app_settings.REQUIRE_CONFIRMATION and email_goes_nowhere():
        problems.append(
            Warning(
                "Petitions require email confirmation, but email is not really sent: "
                "signers never get their link and no signature counts.",
                hint="Configure a real email backend (SMTP or a provider's).",
                id="wagtail_petition.W004",
            )
        )
    return problems


@register()
def check_client_ip_header(app_configs, **kwargs):
    """A header named as a proxy sends it ("X-Forwarded-For") is never found in
    ``request.META``: every visitor's address would be unknown, and all would
    share one rate limit."""
    header = conf.app_settings.CLIENT_IP_HEADER
    if header and not (header.startswith("HTTP_") or header == "REMOTE_ADDR"):
        meta_key = "HTTP_" + header.upper().replace("-", "_").removeprefix("HTTP_")
        return [
            Warning(
                f"WAGTAILPETITION_CLIENT_IP_HEADER is {header!r}, which is not how Django "
                "names a header in request.META: no visitor's address would be found, and "
                "every visitor would share one rate limit.",
                hint=f"Set it to {meta_key!r}.",
                id="wagtail_petition.W005",
            )
        ]
    return []


@register()
def check_settings_app(app_configs, **kwargs):
    """Without wagtail.contrib.settings, organizers have no screen to pause signing
    or to block addresses."""
    if apps.is_installed("wagtail.contrib.settings"):
        return []
    return [
        Warning(
            "wagtail.contrib.settings is not installed: organizers cannot pause signing "
            "nor block addresses from the Wagtail admin.",
            hint='Add "wagtail.contrib.settings" to INSTALLED_APPS.',
            id="wagtail_petition.W006",
        )
    ]


@register()
def check_recaptcha_installed(app_configs, **kwargs):
    if conf.app_settings.RECAPTCHA and not apps.is_installed("django_recaptcha"):
        return [
            Error(
                "WAGTAILPETITION_RECAPTCHA is set but django-recaptcha is not installed.",
                hint='pip install "wagtail-petition[recaptcha]" and add "django_recaptcha" '
                "to INSTALLED_APPS.",
                id="wagtail_petition.E003",
            )
        ]
    if conf.app_settings.RECAPTCHA not in (None, "checkbox", "v3"):
        return [
            Error(
                'WAGTAILPETITION_RECAPTCHA must be None, "checkbox" or "v3".',
                id="wagtail_petition.E004",
            )
        ]
    return []


# Google's published test key, with which every check passes.
RECAPTCHA_TEST_PUBLIC_KEY = "6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI"


def uses_recaptcha_test_keys() -> bool:
    """Whether reCAPTCHA runs on Google's test keys (django-recaptcha's default)."""
    key = getattr(settings, "RECAPTCHA_PUBLIC_KEY", RECAPTCHA_TEST_PUBLIC_KEY)
    return key == RECAPTCHA_TEST_PUBLIC_KEY


def cache_is_per_process() -> bool:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    return backend.endswith(("LocMemCache", "DummyCache"))


def email_goes_nowhere() -> bool:
    backends = {getattr(settings, "EMAIL_BACKEND", "")}
    backends.update(
        mailer.get("BACKEND", "") for mailer in getattr(settings, "MAILERS", {}).values()
    )
    return any(
        backend.endswith(("console.EmailBackend", "locmem.EmailBackend", "dummy.EmailBackend"))
        for backend in backends
    )
