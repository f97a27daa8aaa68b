"""Screening a signature before it is stored: bots and floods are held back,
never lost, and the visitor always sees the same thank-you. Also the keyed
hash kept instead of a signer's IP address."""

import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from .conf import app_settings
from .emails import normalise_email
from .records.settings import PetitionSettings
from .records.signatures import HoldReason

RATE_LIMIT_CACHE_PREFIX = "wagtail_petition:rate"


@dataclass(frozen=True)
class Screening:
    #: Why the signature is held back ("" to let it through).
    hold_reason: str = ""
    #: The keyed hash of the signer's IP address to store ("" when not kept).
    ip_hash: str = ""


def screen(request, petition, form) -> Screening:
    """Decide whether a valid signature is held back: a filled honeypot, an
    address or domain the organizers blocked, or a client over the petition's
    rate limits (unless the address's domain is exempt, ``PetitionSettings``).
    Every other attempt counts toward the limits, held or not."""
    ip = client_ip(request)
    organizers = PetitionSettings.for_page(petition, request)
    email = normalise_email(form.cleaned_data["email"])
    over_limit = not organizers.is_allowed(email) and over_rate_limit(
        str(petition.pk), client_key(ip)
    )
    if form.is_trapped():
        reason = HoldReason.HONEYPOT
    elif organizers.is_blocked(email):
        reason = HoldReason.BLOCKED
    elif over_limit:
        reason = HoldReason.RATE_LIMIT
    else:
        reason = ""
    stored = hash_ip(ip) if ip and app_settings.STORE_IP_HASH else ""
    return Screening(reason, stored)


def client_ip(request) -> str:
    """The client's IP address: from ``WAGTAILPETITION_CLIENT_IP_HEADER`` behind a
    proxy (the last address of a list, the one the proxy itself added), else the
    connection's address."""
    header = app_settings.CLIENT_IP_HEADER
    if header:
        value = request.META.get(header, "")
        return value.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def client_key(ip: str) -> str:
    """What rate limits count a client by, as a keyed hash: an IPv4 address; an
    IPv6 address's network of ``WAGTAILPETITION_IPV6_PREFIX`` bits (one host
    holds a whole /64 and can rotate through it); and one shared bucket for
    every client whose address is unknown (a proxy header missing), so that
    limits never switch off."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return hash_ip("unknown")
    if address.version == 6:
        if address.ipv4_mapped is None:
            prefix = app_settings.IPV6_PREFIX
            return hash_ip(str(ipaddress.ip_network(f"{address}/{prefix}", strict=False)))
        address = address.ipv4_mapped
    return hash_ip(str(address))


def hash_ip(ip: str) -> str:
    """A keyed hash (HMAC-SHA256) of ``ip``: the same address always gives the
    same hash, and without the key nobody can tell which address it was."""
    key = app_settings.IP_HASH_KEY or settings.SECRET_KEY
    return salted_hmac("wagtail_petition.ip", ip, secret=key, algorithm="sha256").hexdigest()


def over_rate_limit(scope: str, client: str, limits=None) -> bool:
    """Count this attempt of ``client`` (a ``client_key()``) in ``scope`` (a
    petition's id, say) in every window of ``limits`` (``(attempts, seconds)``
    pairs; default ``WAGTAILPETITION_RATE_LIMITS``) and say whether any is
    exceeded. Fixed windows in the cache, with atomic increments; ``None``
    turns limiting off."""
    limits = app_settings.RATE_LIMITS if limits is None else limits
    if not limits:
        return False
    now = time.time()
    exceeded = False
    for attempts, seconds in limits:
        window = int(now // seconds)
        key = f"{RATE_LIMIT_CACHE_PREFIX}:{scope}:{client}:{seconds}:{window}"
        if cache.add(key, 1, timeout=seconds):
            count = 1  # the window's first attempt: one cache call
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=seconds)
                count = 1
        exceeded = exceeded or count > attempts
    return exceeded
