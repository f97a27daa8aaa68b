"""Privacy: anonymise signatures, erase a person.

Signature rows are never deleted, only anonymised: each keeps its petition,
status, source and date, so counts and milestones stay as they are. The
admin's "Erase a signer" view is ``admin.privacy``.
"""

import uuid

from django.db import models, transaction
from django.db.models.functions import Cast, Concat, Left
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page

from . import signals
from .emails import normalise_email
from .records.signatures import Signature

#: The audit log action recorded when a person is erased, once per petition.
ERASE_SIGNER = "wagtail_petition.erase_signer"


def postal_code_area(prefix: int):
    """The database expression of a postal code's area: its first ``prefix``
    characters ("SW1A 1AA" -> "SW1" for 3), or nothing for 0. What anonymised
    signatures keep (``WAGTAILPETITION_RETENTION_POSTAL_CODE_PREFIX``) and what
    the delivery pack shows of a listed signer."""
    if not isinstance(prefix, int) or prefix < 0:
        raise ValueError("postal_code_prefix must be 0 or more")
    return Left("postal_code", prefix) if prefix else models.Value("")


def anonymise(signatures, *, postal_code_prefix=0) -> int:
    """Remove the personal data of ``signatures`` (a queryset) not yet anonymised,
    in one UPDATE, and return how many were anonymised.

    Names, email, comment, the IP address hash and the referral codes (the
    signer's own and the one they came by) are blanked and ``opt_in`` and
    ``list_publicly`` cleared, so nothing links the rows to a person or to each other; the postal
    code keeps its first ``postal_code_prefix`` characters (0 removes it).
    Petition, status, source and dates stay, so counts and milestones do too.
    """
    postal_code = postal_code_area(postal_code_prefix)
    return signatures.filter(anonymised_at__isnull=True).update(
        first_name="",
        last_name="",
        email="",
        # Unique per row, to keep (petition, email_normalised) unique; without
        # an "@" it can never equal a signer's address.
        email_normalised=Concat(
            models.Value("anonymised-"), Cast("pk", output_field=models.CharField())
        ),
        postal_code=postal_code,
        comment="",
        opt_in=False,
        list_publicly=False,
        ip_hash="",
        # A referral code ties a signer to those their link brought.
        referral_code=None,
        referred_by="",
        anonymised_at=timezone.now(),
    )


def signatures_of(email: str):
    """Every signature, on any petition, made with ``email`` (compared as
    ``emails.normalise_email()`` does)."""
    return Signature.objects.filter(email_normalised=normalise_email(email))


def count_by_petition(signatures) -> list[tuple[Page, int]]:
    """(petition page, number of signatures) for ``signatures``, by title."""
    counts = dict(
        signatures.values("petition_id")
        .annotate(n=models.Count("pk"))
        .values_list("petition_id", "n")
    )
    pages = Page.objects.filter(pk__in=counts).order_by("title", "pk").specific()
    return [(page, counts[page.pk]) for page in pages]


def erase_signer(email: str, *, user=None) -> list[tuple[Page, int]]:
    """Anonymise every signature made with ``email`` (postal code included),
    log one ``wagtail_petition.erase_signer`` entry per petition, with the
    number of signatures and ``user``, never the address, and send
    ``signer_erased``. Returns (petition page, number of signatures erased)
    per petition.

    Call it from a site's own tools (e.g. a data-subject request handler) as
    the admin's "Erase a signer" view does.
    """
    with transaction.atomic():
        # Fixed rows, so that the counts logged are those of the UPDATE even if
        # the same person signs again meanwhile.
        pks = list(signatures_of(email).values_list("pk", flat=True))
        signatures = Signature.objects.filter(pk__in=pks)
        erased = count_by_petition(signatures)
        anonymise(signatures)
        for page, n in erased:
            # A uuid per entry: history views show one entry per (uuid, action)
            # across all pages, which would hide all but one petition's entry.
            log(page, ERASE_SIGNER, user=user, uuid=uuid.uuid4(), data={"signatures": n})
        if erased:
            signals.send_on_commit(
                signals.signer_erased,
                Signature,
                petitions=erased,
                signature_ids=pks,
                user=user,
            )
    return erased
