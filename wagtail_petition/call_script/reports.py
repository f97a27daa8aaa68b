"""The outcomes visitors report under a call script ("How did it go?"), and
the count of calls made."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import screening, session, signals
from ..records.calls import CallCounter, CallReport


def calls_made(page_id, block_id) -> int:
    """How many calls were reported from the block: one row read, whatever
    the number of reports."""
    return CallCounter.count_for(page_id=page_id, block_id=block_id)


def record_call(request, page, block_id, outcome, signature_id=None) -> CallReport | None:
    """Store the visitor's outcome for the block, once per browser session, and
    send ``call_reported``. A call made counts in "N calls made" at most once
    per caller, block and day, and only within the rate limits signatures
    have; every report is stored all the same. Returns the report, or None
    when this session had reported already."""
    if session.reported_outcome(request, page.pk, block_id) is not None:
        return None
    client = screening.client_key(screening.client_ip(request))
    # Who is calling, as a keyed hash: the signer, or else the client's address.
    caller = screening.hash_ip(f"signature:{signature_id}") if signature_id else client
    within_limits = not screening.over_rate_limit(f"call:{page.pk}:{block_id}", client)
    report = CallReport(
        page_id=page.pk,
        block_id=block_id,
        outcome=outcome,
        signature_id=signature_id,
        caller=caller,
    )
    with transaction.atomic():
        if report.is_call and within_limits:
            report.counted_on = timezone.localdate()
            try:
                with transaction.atomic():
                    report.save()
            except IntegrityError:  # this caller's call of the day was counted already
                report.pk, report.counted_on = None, None
        if report.pk is None:
            report.save()
        if report.counts:
            CallCounter.add(1, page_id=page.pk, block_id=block_id)
        signals.send_on_commit(
            signals.call_reported, CallReport, report=report, page=page, counted=report.counts
        )
    session.remember_outcome(request, page.pk, block_id, outcome)
    return report
