"""Signatures shaped as OSDI (Open Supporter Data Interface) resources, for
Action Network and the other tools that speak it: one place for the shape,
used by the admin's "Download OSDI (JSON)" and ``petition_export_osdi``.

The document is an OSDI collection, as an OSDI server answers a petition's
signatures: ``{"_embedded": {"osdi:signatures": [...]}, "total_records": N}``,
each signature with its signer embedded as ``osdi:person``. Field names are
OSDI's (https://opensupporter.github.io/osdi-docs/signatures.html and
``people.html``); empty fields are left out rather than sent as ``""``.

Consent: a signer's email status is ``"subscribed"`` only when "wants
updates" was ticked *and* the address's owner confirmed it
(``Signature.opt_in_confirmed``), ``"unsubscribed"`` otherwise: anyone can
type anyone's address in the form, and an importer must never subscribe a
person on an unproven tick.

The document is written as it is read, ``chunk_size`` rows at a time: a
million signatures never sit in memory at once.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC

from .records.signatures import Signature

#: ``origin_system`` of every signature: the system the signatures were made in.
ORIGIN_SYSTEM = "wagtail-petition"

#: The issuer part of OSDI identifiers (``<issuer>:<id>``): printable ASCII, no ":" or space.
IDENTIFIER_ISSUER = "wagtail_petition"

SUBSCRIBED = "subscribed"
UNSUBSCRIBED = "unsubscribed"

CONTENT_TYPE = "application/hal+json"

#: Rows read from the database at a time.
CHUNK_SIZE = 2000

#: The columns of a list upload to Action Network, in its own names, which its
#: upload matches without a click. Action Network subscribes everyone uploaded.
ACTION_NETWORK_COLUMNS = ("first_name", "last_name", "email", "zip_code")


def exportable(signatures):
    """``signatures`` that may leave the site: never an anonymised one (it has
    no person left to export), with each one's petition in the same query."""
    return signatures.filter(anonymised_at__isnull=True).select_related("petition")


def consented(signatures):
    """Those of ``signatures`` whose email status is ``"subscribed"``: in SQL,
    ``Signature.opt_in_confirmed``."""
    return signatures.filter(opt_in=True, confirmed_at__isnull=False)


def email_status(signature: Signature) -> str:
    """OSDI's email status for the signer: subscribed on confirmed consent only."""
    return SUBSCRIBED if signature.opt_in_confirmed else UNSUBSCRIBED


def osdi_datetime(value) -> str:
    """A moment as OSDI writes it: UTC, to the second, ``2014-03-20T21:04:31Z``."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def identifier(signature: Signature) -> str:
    return f"{IDENTIFIER_ISSUER}:{signature.pk}"


def person(signature: Signature) -> dict:
    """The signer as an OSDI Person: names, the email address with its
    subscription status, and the postal code when one was given."""
    resource = {
        "given_name": signature.first_name,
        "family_name": signature.last_name,
        "email_addresses": [
            {"address": signature.email, "primary": True, "status": email_status(signature)}
        ],
    }
    if signature.postal_code:
        resource["postal_addresses"] = [{"primary": True, "postal_code": signature.postal_code}]
    return without_empty(resource)


def modified_date(signature: Signature):
    """The last moment the signature is known to have changed: signed,
    confirmed or first counted (holds and restores keep no date)."""
    return max(
        moment
        for moment in (signature.created_at, signature.confirmed_at, signature.counted_at)
        if moment is not None
    )


def signature_resource(signature: Signature, petition_link: dict | None = None) -> dict:
    """One OSDI Signature, its person embedded, linked to its petition when
    ``petition_link`` (a HAL link: ``href``, ``title``) is given."""
    resource = {
        "identifiers": [identifier(signature)],
        "origin_system": ORIGIN_SYSTEM,
        "created_date": osdi_datetime(signature.created_at),
        "modified_date": osdi_datetime(modified_date(signature)),
        "action_date": osdi_datetime(signature.created_at),
        "comments": signature.comment,
        "referrer_data": without_empty(
            {"source": signature.source, "referrer": signature.referred_by}
        ),
    }
    if petition_link:
        resource["_links"] = {"osdi:petition": petition_link}
    resource["_embedded"] = {"osdi:person": person(signature)}
    return without_empty(resource)


def action_network_row(signature: Signature) -> tuple:
    """The signer as a row of ``ACTION_NETWORK_COLUMNS``."""
    return (signature.first_name, signature.last_name, signature.email, signature.postal_code)


def without_empty(resource: dict) -> dict:
    return {key: value for key, value in resource.items() if value not in ("", None, {}, [])}


class PetitionLinks:
    """Each petition's HAL link, worked out once per petition of an export."""

    def __init__(self, request=None):
        self.request = request
        self.links = {}

    def __call__(self, petition) -> dict:
        if petition.pk not in self.links:
            link = {"title": petition.title}
            url = petition.get_full_url(request=self.request)
            if url:
                link = {"href": url, **link}
            self.links[petition.pk] = link
        return self.links[petition.pk]


def stream(
    signatures,
    *,
    chunk_size: int = CHUNK_SIZE,
    request=None,
    on_signature: Callable[[Signature], None] | None = None,
) -> Iterator[str]:
    """The OSDI document of ``signatures`` (a queryset, filtered and ordered
    by the caller; see ``exportable()``), as pieces of text to write or send
    one after the other. ``total_records`` comes last: it is the number of
    signatures written, which is only known at the end of a streamed read."""
    return document(
        signatures.iterator(chunk_size=chunk_size),
        links=PetitionLinks(request),
        on_signature=on_signature,
    )


def document(
    signatures: Iterable[Signature],
    *,
    links: Callable[[object], dict],
    on_signature: Callable[[Signature], None] | None = None,
) -> Iterator[str]:
    yield '{"_embedded": {"osdi:signatures": ['
    total = 0
    for signature in signatures:
        separator = ",\n" if total else "\n"
        resource = signature_resource(signature, links(signature.petition))
        yield separator + json.dumps(resource, ensure_ascii=False)
        total += 1
        if on_signature is not None:
            on_signature(signature)
    yield f'\n]}}, "total_records": {total}}}\n'
