"""Storing a signature: the one transaction that inserts it, bumps the counter
and stamps the milestones it reaches."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Milestone, PetitionCounter, Signature


@dataclass(frozen=True)
class SignResult:
    signature: Signature
    created: bool


def normalise_email(email: str) -> str:
    """The form of an address compared for duplicates: trimmed and case-folded."""
    return email.strip().casefold()


def sign(petition, *, email, status=Signature.Status.COUNTED, **fields) -> SignResult:
    """Store a signature on ``petition`` and, if it counts, count it.

    A second signature with the same normalised email changes nothing: the
    existing one is returned with ``created=False``.
    """
    email_normalised = normalise_email(email)
    with transaction.atomic():
        try:
            with transaction.atomic():
                signature = Signature.objects.create(
                    petition_id=petition.pk,
                    email=email.strip(),
                    email_normalised=email_normalised,
                    status=status,
                    **fields,
                )
        except IntegrityError:
            existing = Signature.objects.get(
                petition_id=petition.pk, email_normalised=email_normalised
            )
            return SignResult(existing, created=False)
        if signature.counts:
            add_to_count(petition, 1, at=signature.created_at)
    return SignResult(signature, created=True)


def add_to_count(petition, n: int, *, at=None) -> int:
    """Add ``n`` to the petition's counter and stamp every milestone the new
    count reaches. Call inside a transaction; returns the new count."""
    new = PetitionCounter.add(n, petition_id=petition.pk)
    stamp_milestones(petition, new - n, new, at=at)
    return new


def stamp_milestones(petition, old: int, new: int, *, at=None):
    thresholds = petition.milestones_crossed(old, new)
    if thresholds:
        reached_at = at or timezone.now()
        Milestone.objects.bulk_create(
            [
                Milestone(petition_id=petition.pk, threshold=t, reached_at=reached_at)
                for t in thresholds
            ],
            ignore_conflicts=True,
        )
