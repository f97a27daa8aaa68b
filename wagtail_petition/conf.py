"""Every ``WAGTAILPETITION_*`` setting, with its default.

Settings are read when used, not at import, so ``override_settings`` works::

    from wagtail_petition.conf import app_settings

    app_settings.GOAL_LADDER
"""

from urllib.parse import urlsplit

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
    # How long a confirmation link works, in seconds (7 days).
    "CONFIRMATION_MAX_AGE": 7 * 24 * 60 * 60,
    # How long after a petition's deadline a pending signature may still be
    # confirmed, in seconds (24 hours).
    "CONFIRMATION_GRACE": 24 * 60 * 60,
    # How many confirmation emails one address gets at most per petition in a
    # window of CONFIRMATION_EMAILS_WINDOW seconds (a day), first one included.
    "CONFIRMATION_EMAILS_MAX": 3,
    "CONFIRMATION_EMAILS_WINDOW": 24 * 60 * 60,
    # Domains whose addresses ignore dots and/or "+tags" in the local part, so
    # that "a.da+news@gmail.com" and "ada@gmail.com" are one signer. {} turns it off.
    "EMAIL_ALIASES": {
        "gmail.com": ("dots", "plus"),
        "googlemail.com": ("dots", "plus"),
        "outlook.com": ("plus",),
        "hotmail.com": ("plus",),
        "live.com": ("plus",),
        "icloud.com": ("plus",),
        "me.com": ("plus",),
        "fastmail.com": ("plus",),
        "proton.me": ("plus",),
        "protonmail.com": ("plus",),
    },
    # Domains that deliver to the same inboxes as another: compared as that one.
    "EMAIL_DOMAIN_ALIASES": {"googlemail.com": "gmail.com"},
    # Rate limits per client address per petition: (attempts, seconds) windows.
    # Signatures over a limit are stored held back. None turns limiting off.
    "RATE_LIMITS": ((3, 60), (10, 3600)),
    # The request.META key holding the client's address behind a proxy, e.g.
    # "HTTP_X_FORWARDED_FOR"; None reads REMOTE_ADDR.
    "CLIENT_IP_HEADER": None,
    # Rate limits count IPv6 clients by their network of this many bits (a host
    # usually holds a whole /64), IPv4 clients by their address.
    "IPV6_PREFIX": 64,
    # Whether a keyed hash of the signer's IP address is stored with a signature.
    "STORE_IP_HASH": True,
    # The key of that hash; None uses SECRET_KEY.
    "IP_HASH_KEY": None,
    # How long a browser keeps what its visitor typed when signing (their thank-you
    # state and filled-in call scripts), in seconds.
    "SIGNED_STATE_MAX_AGE": 24 * 60 * 60,
    # reCAPTCHA on petitions that ask for it: None (off), "checkbox" (v2) or "v3".
    "RECAPTCHA": None,
    # The lowest reCAPTCHA v3 score accepted (0.0 to 1.0).
    "RECAPTCHA_V3_MIN_SCORE": 0.5,
    # How long browsers and CDNs may reuse a petition's live count (seconds), and
    # serve it stale while fetching a fresh one.
    "COUNT_MAX_AGE": 10,
    "COUNT_STALE_WHILE_REVALIDATE": 30,
    # How long a shared cache (Varnish, a CDN) may keep a petition page, in
    # seconds, on sites that include wagtail_petition.urls (0: never). Browsers
    # always ask again; the live count keeps the number fresh in open pages.
    "PAGE_CACHE_SECONDS": 60,
    # How long the cache keeps a petition's generated share image (seconds); its
    # URL names its version, so a new milestone or colours make a new image anyway.
    "SHARE_IMAGE_CACHE_SECONDS": 30 * 24 * 60 * 60,
    # How long browsers and caches may keep the share image fetched without its
    # current version (a link preview made before a milestone), in seconds.
    "SHARE_IMAGE_STALE_MAX_AGE": 5 * 60,
    # The region phone numbers without a "+" country code are read in (ISO 3166-1).
    "PHONE_REGION": "US",
    # Days after a petition's deadline before `petition_anonymise` removes its
    # signers' personal data; None: no automatic retention.
    "RETENTION_DAYS": None,
    # How many leading characters of the postal code retention keeps, for statistics.
    "RETENTION_POSTAL_CODE_PREFIX": 3,
    # The delivery pack's fonts: a (regular, bold) pair of TrueType files, for
    # names in any Latin, Greek or Cyrillic script. When they are missing, the
    # PDF's built-in Helvetica, which has Western European letters only.
    "DELIVERY_FONTS": (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    # The origins allowed to frame a petition's embed widget (<petition url>embed/),
    # as a Content-Security-Policy frame-ancestors list: "*" (any site), or e.g.
    # ["https://partner.example", "https://*.allies.example"].
    "EMBED_ORIGINS": "*",
    # How long browsers and shared caches may reuse an answer of the public read
    # API (petitions/api/v1/), in seconds.
    "API_MAX_AGE": 60,
    # The page's map: the tile server's URL template and the attribution it
    # requires (HTML), and the zoom level the map opens at.
    "MAP_TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "MAP_ATTRIBUTION": (
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
    ),
    "MAP_ZOOM": 14,
    # Where postal code areas are, for the dashboard's map of support: a dotted
    # path to a callable (area) -> (latitude, longitude) or None. None: no map.
    "POSTAL_AREA_LOCATOR": None,
    # The TASKS alias the app's background work (emails, alerts, webhooks) is
    # queued on.
    "TASK_BACKEND": "default",
    # Webhooks: how long to wait for a receiver's answer, in seconds.
    "WEBHOOK_TIMEOUT": 10,
    # The waits before each new attempt of a failed delivery, in seconds; the
    # last one repeats (30 s, 2 min, 10 min, 30 min, 1 h, 2 h, then every 4 h)...
    "WEBHOOK_RETRY_DELAYS": (30, 120, 600, 1800, 3600, 7200, 4 * 3600),
    # ...until this long after the event (48 hours); then the delivery fails.
    "WEBHOOK_RETRY_FOR": 48 * 3600,
    # An endpoint whose deliveries all fail for this long is switched off (3 days).
    "WEBHOOK_DISABLE_AFTER": 3 * 24 * 3600,
    # How many days the delivery log keeps a delivered or failed delivery
    # (petition_webhooks removes older ones); None keeps them all.
    "WEBHOOK_LOG_DAYS": 30,
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


def map_tile_source() -> str:
    """The origin of ``MAP_TILE_URL``, as a Content-Security-Policy ``img-src``
    source: "https://tile.openstreetmap.org", or "https://*.tile.example" for a
    URL with Leaflet's ``{s}`` subdomains."""
    parts = urlsplit(app_settings.MAP_TILE_URL.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme else "'self'"


def postal_area_locator():
    """The site's ``POSTAL_AREA_LOCATOR``, a callable ``(area) -> (latitude,
    longitude) | None``, imported from its dotted path; None when there is none."""
    locator = app_settings.POSTAL_AREA_LOCATOR
    if isinstance(locator, str):
        return import_string(locator)
    return locator
