"""The outcomes visitors report under a call script ("How did it go?"), and
the count of calls made."""

from django.db import transaction

from .. import session, signals
from ..records.calls import CallCounter, CallReport


def calls_made(page_id, block_id) -> int:
    """How many calls were reported from the block: one row read, whatever
    the number of reports."""
    return CallCounter.count_for(page_id=page_id, block_id=block_id)


def record_call(request, page, block_id, outcome, signature_id=None) -> bool:
    """Store the visitor's outcome for the block, once per session; a call made
    adds one to the block's counter, and ``call_reported`` is sent. Returns
    whether it was recorded."""
    if session.reported_outcome(request, page.pk, block_id) is not None:
        return False
    with transaction.atomic():
        report = CallReport.objects.create(
            page_id=page.pk, block_id=block_id, outcome=outcome, signature_id=signature_id
        )
        if report.is_call:
            CallCounter.add(1, page_id=page.pk, block_id=block_id)
        signals.send_on_commit(
            signals.call_reported, CallReport, report=report, page=page, counted=report.is_call
        )
    session.remember_outcome(request, page.pk, block_id, outcome)
    return True
