"""Storing and counting signatures: the one transaction that inserts a
signature and bumps the counter, confirming and changing status, and the
milestones the count reaches. Every event is announced through
``wagtail_petition.signals`` once its transaction commits."""

import uuid
from collections import Counter
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page

from . import sharing, signals
from .emails import normalise_email
from .records.signatures import HoldReason, Milestone, PetitionCounter, Signature

#: Draws of a referral code before giving up: 31**8 codes make a clash rare.
REFERRAL_CODE_ATTEMPTS = 3


@dataclass(frozen=True)
class SignResult:
    signature: Signature
    created: bool


def sign(petition, *, email, status=Signature.Status.COUNTED, **fields) -> SignResult:
    """Store a signature on ``petition`` and, if it counts, count it.

    A second signature with the same normalised email changes nothing: the
    existing one is returned with ``created=False``. A new signature gets a
    random referral code (``sharing.new_referral_code()``), its share links' own.
    """
    email_normalised = normalise_email(email)
    with transaction.atomic():
        for attempt in range(REFERRAL_CODE_ATTEMPTS):
            try:
                with transaction.atomic():
                    signature = Signature(
                        petition_id=petition.pk,
                        email=email.strip(),
                        email_normalised=email_normalised,
                        status=status,
                        referral_code=sharing.new_referral_code(),
                        **fields,
                    )
                    if signature.counts:
                        signature.counted_at = signature.created_at
                    signature.save(force_insert=True)
                break
            except IntegrityError:
                existing = Signature.objects.filter(
                    petition_id=petition.pk, email_normalised=email_normalised
                ).first()
                if existing is not None:
                    return SignResult(existing, created=False)
                # Not the address: the referral code was taken. Draw another.
                if attempt == REFERRAL_CODE_ATTEMPTS - 1:
                    raise
        if signature.counts:
            PetitionCounter.add(1, petition_id=petition.pk)
        signals.send_on_commit(
            signals.signature_created,
            Signature,
            signature=signature,
            petition=petition,
            status=signature.status,
        )
        if signature.counts:
            announce_counted(signature, petition, "signed")
    if signature.counts:
        stamp_milestones(petition, at=signature.created_at)
    return SignResult(signature, created=True)


#: What a signer types, replaced when the address's owner signs again.
TYPED_FIELDS = (
    "first_name",
    "last_name",
    "postal_code",
    "comment",
    "opt_in",
    "list_publicly",
    "source",
    "referred_by",
    "language",
)
#: Holds that a later clean attempt from the address's owner may lift.
SCREENING_HOLDS = (HoldReason.HONEYPOT, HoldReason.RATE_LIMIT)


def resubmit(signature, petition, *, revision_id=None, **fields) -> bool:
    """Take a clean attempt with the address of ``signature``, which another
    attempt stored: if it awaits confirmation, or was held by screening (a bot,
    a flood, or someone squatting the address), the attempt's typed fields
    replace the stored ones and it awaits confirmation, which only the owner of
    the address can give. A counted signature, or one an organizer held, is
    left alone. Returns whether the signature changed.

    ``revision_id``, the page revision the attempt was made on, replaces the
    stored one too: the owner confirms the text they last saw."""
    typed = {name: value for name, value in fields.items() if name in TYPED_FIELDS}
    if revision_id is not None:
        typed["revision_id"] = revision_id
    takeable = Q(status=Signature.Status.PENDING) | Q(
        status=Signature.Status.HELD, hold_reason__in=SCREENING_HOLDS
    )
    with transaction.atomic():
        changed = Signature.objects.filter(takeable, pk=signature.pk).update(
            status=Signature.Status.PENDING, hold_reason="", **typed
        )
        if changed:
            old_status = signature.status
            signature.refresh_from_db()
            if old_status != signature.status:
                announce_status_change(signature, petition, old_status)
    return bool(changed)


def confirm(signature, petition=None) -> bool:
    """Count a signature that awaited email confirmation, and stamp the
    milestones it reaches. Returns whether it counted: the UPDATE only changes a
    row still pending, so a second confirmation, or two at once, count once.
    ``petition`` is the signature's petition page (looked up when not given)."""
    petition = petition or signature.petition.specific
    now = timezone.now()
    pending = Signature.objects.filter(pk=signature.pk, status=Signature.Status.PENDING)
    confirmed = {"status": Signature.Status.COUNTED, "confirmed_at": now}
    with transaction.atomic():
        first_count = pending.filter(counted_at__isnull=True).update(**confirmed, counted_at=now)
        if not (first_count or pending.update(**confirmed)):
            return False
        PetitionCounter.add(1, petition_id=petition.pk)
        signature.status, signature.confirmed_at = Signature.Status.COUNTED, now
        if first_count:
            signature.counted_at = now
        announce_status_change(signature, petition, Signature.Status.PENDING)
        if first_count:
            announce_counted(signature, petition, "confirmed")
    stamp_milestones(petition, at=now)
    return True


#: The audit log actions of ``set_status()``, per new status, once per petition.
STATUS_LOG_ACTIONS = {
    Signature.Status.HELD: "wagtail_petition.hold_signatures",
    Signature.Status.COUNTED: "wagtail_petition.restore_signatures",
    Signature.Status.PENDING: "wagtail_petition.set_signatures_pending",
}


def set_status(signatures, status, *, hold_reason="", user=None) -> int:
    """Give ``signatures`` (a queryset) a new status, e.g. hold or restore them,
    recount each petition concerned, and record in each petition's history who
    did it (``user``) and to how many signatures. Deletes nothing; returns how
    many signatures changed."""
    now = timezone.now()
    with transaction.atomic():
        # Locked, so that two organizers acting at once announce each change once.
        before = {
            pk: (old_status, counted_at)
            for pk, old_status, counted_at in signatures.exclude(status=status)
            .select_for_update()
            .values_list("pk", "status", "counted_at")
        }
        changed = Signature.objects.filter(pk__in=before)
        update = {"status": status, "hold_reason": hold_reason}
        if status == Signature.Status.COUNTED:
            update["counted_at"] = Coalesce(F("counted_at"), now)
        changed.update(**update)
        petitions = Page.objects.filter(pk__in=changed.values("petition_id")).specific()
        petitions = {petition.pk: petition for petition in petitions}
        for petition in petitions.values():
            recount(petition)
        per_petition = Counter()
        for signature in changed:
            old_status, counted_at = before[signature.pk]
            petition = petitions[signature.petition_id]
            per_petition[petition.pk] += 1
            announce_status_change(signature, petition, old_status)
            if signature.counts and counted_at is None:
                announce_counted(signature, petition, "restored")
        for petition_id, n in per_petition.items():
            # A uuid per entry: history views show one entry per (uuid, action).
            log(
                petitions[petition_id],
                STATUS_LOG_ACTIONS[status],
                user=user,
                uuid=uuid.uuid4(),
                data={"signatures": n},
            )
    return len(before)


def announce_counted(signature, petition, cause: str) -> None:
    signals.send_on_commit(
        signals.signature_counted, Signature, signature=signature, petition=petition, cause=cause
    )


def announce_status_change(signature, petition, old_status) -> None:
    signals.send_on_commit(
        signals.signature_status_changed,
        Signature,
        signature=signature,
        petition=petition,
        old_status=old_status,
        new_status=signature.status,
    )


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


def stamp_milestones(petition, *, at=None) -> list[Milestone]:
    """Stamp, with the moment ``at`` (default: now), each milestone the
    petition's count has reached and that is not stamped yet, and announce each
    with ``milestone_reached``. Returns the milestones this call stamped.

    Call after the transaction that changed the count has committed: the count
    is a sum of counter rows, which one writer sees whole only once the others
    have committed, and the last writer to commit then sees them all. The
    stamped thresholds are always the ladder's lowest, so the highest stamped
    one tells where to start. Each is stamped once (a unique constraint): of
    several signers stamping together, one creates the row and announces it."""
    count, highest = PetitionCounter.objects.count_and_highest_milestone(petition.pk)
    thresholds = petition.milestones_crossed(highest or 0, count)
    if not thresholds:
        return []
    at = at or timezone.now()
    stamped = []
    for threshold in thresholds:
        milestone, created = Milestone.objects.get_or_create(
            petition_id=petition.pk, threshold=threshold, defaults={"reached_at": at}
        )
        if created:
            stamped.append(milestone)
            signals.send_on_commit(
                signals.milestone_reached, Milestone, milestone=milestone, petition=petition
            )
    return stamped
