"""Storing a signature: the one transaction that inserts it, bumps the counter
and stamps the milestones it reaches."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Page

from .conf import app_settings
from .models import Milestone, PetitionCounter, Signature


@dataclass(frozen=True)
class SignResult:
    signature: Signature
    created: bool


def normalise_email(email: str) -> str:
    """The form of an address compared for duplicates: trimmed and case-folded,
    then, for the domains in ``WAGTAILPETITION_EMAIL_ALIASES``, without the dots
    and ``+tags`` that those domains ignore ("A.Da+news@gmail.com" is
    "ada@gmail.com"). The address itself is stored as typed."""
    email = email.strip().casefold()
    local, at, domain = email.rpartition("@")
    ignored = (app_settings.EMAIL_ALIASES or {}).get(domain, ())
    if not at:
        return email
    if "plus" in ignored:
        local = local.split("+", 1)[0]
    if "dots" in ignored:
        local = local.replace(".", "")
    return f"{local}@{domain}"


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


def recount(petition) -> int:
    """Set the petition's counter to its counted signature rows, clear the
    milestones the count has fallen back under and stamp those it reaches again.
    Used after signatures change status; returns the new count."""
    with transaction.atomic():
        counter, _ = PetitionCounter.objects.select_for_update().get_or_create(
            petition_id=petition.pk
        )
        old = counter.count
        counter.count = Signature.objects.filter(
            petition_id=petition.pk, status=Signature.Status.COUNTED
        ).count()
        counter.save(update_fields=["count"])
        Milestone.objects.filter(petition_id=petition.pk, threshold__gt=counter.count).delete()
        if counter.count > old:
            stamp_milestones(petition, old, counter.count)
    return counter.count


def set_status(signatures, status, *, hold_reason="") -> int:
    """Give ``signatures`` (a queryset) a new status, e.g. hold or restore them,
    and recount each petition concerned. Deletes nothing; returns how many
    signatures changed."""
    with transaction.atomic():
        changing = signatures.exclude(status=status)
        petition_ids = set(changing.values_list("petition_id", flat=True))
        changed = changing.update(status=status, hold_reason=hold_reason)
        for petition in Page.objects.filter(pk__in=petition_ids).specific():
            recount(petition)
    return changed


def confirm(signature) -> bool:
    """Count a signature that awaited email confirmation, and stamp the
    milestones it reaches. Returns whether it counted: the UPDATE only changes a
    row still pending, so a second confirmation, or two at once, count once."""
    now = timezone.now()
    with transaction.atomic():
        confirmed = Signature.objects.filter(
            pk=signature.pk, status=Signature.Status.PENDING
        ).update(status=Signature.Status.COUNTED, confirmed_at=now)
        if confirmed:
            add_to_count(signature.petition.specific, 1, at=now)
    if confirmed:
        signature.status, signature.confirmed_at = Signature.Status.COUNTED, now
    return bool(confirmed)
