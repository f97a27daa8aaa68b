"""Storing a signature: the one transaction that inserts it and bumps the
counter, then the milestones the count has reached."""

from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
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
            PetitionCounter.add(1, petition_id=petition.pk)
    if signature.counts:
        stamp_milestones(petition, at=signature.created_at)
    return SignResult(signature, created=True)


def stamp_milestones(petition, *, at=None):
    """Stamp, with the moment ``at`` (default: now), each milestone the
    petition's count has reached and that is not stamped yet; each is stamped
    once (a unique constraint).

    Call after the transaction that changed the count has committed: the count
    is a sum of counter rows, which one writer sees whole only once the others
    have committed, and the last writer to commit then sees them all. The
    stamped thresholds are always the ladder's lowest, so the highest stamped
    one tells where to start."""
    count, highest = count_and_highest_milestone(petition.pk)
    thresholds = petition.milestones_crossed(highest or 0, count)
    if thresholds:
        at = at or timezone.now()
        Milestone.objects.bulk_create(
            [Milestone(petition_id=petition.pk, threshold=t, reached_at=at) for t in thresholds],
            ignore_conflicts=True,
        )


def count_and_highest_milestone(petition_id) -> tuple[int, int | None]:
    """The petition's count and its highest stamped milestone, in one statement
    written out by hand: it runs after every signature, and the ORM's building of
    it cost more than the database's answer."""
    name = connection.ops.quote_name
    counters, milestones = name(PetitionCounter._meta.db_table), name(Milestone._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT SUM({name('count')}) FROM {counters} WHERE petition_id = %s),"
            f" (SELECT MAX(threshold) FROM {milestones} WHERE petition_id = %s)",
            [petition_id, petition_id],
        )
        count, highest = cursor.fetchone()
    return int(count or 0), highest


def recount(petition) -> int:
    """Set the petition's counter to its counted signature rows, clear the
    milestones the count has fallen back under and stamp those it reaches again.
    Used after signatures change status; returns the new count."""
    with transaction.atomic():
        PetitionCounter.lock(petition_id=petition.pk)
        count = Signature.objects.filter(
            petition_id=petition.pk, status=Signature.Status.COUNTED
        ).count()
        PetitionCounter.set_count(count, petition_id=petition.pk)
        Milestone.objects.filter(petition_id=petition.pk, threshold__gt=count).delete()
    stamp_milestones(petition)
    return count


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
            PetitionCounter.add(1, petition_id=signature.petition_id)
    if confirmed:
        stamp_milestones(signature.petition.specific, at=now)
        signature.status, signature.confirmed_at = Signature.Status.COUNTED, now
    return bool(confirmed)
