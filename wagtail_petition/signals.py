"""The integration API: signals other code connects to, to react to petitions.

Every signal is sent after the transaction that caused it commits, exactly once
per event, whichever path caused it (a visitor signing, an email confirmation,
an organizer holding or restoring, a site's own call of ``signing.sign()``). A
receiver that raises is logged and does not stop the others, nor the request.

Receivers run in the request: keep them quick, and hand anything that talks to
another system to a background task (``django_tasks``), as the developer's
guide shows::

    from django.dispatch import receiver
    from wagtail_petition.signals import signature_counted

    @receiver(signature_counted)
    def sync_supporter(sender, signature, petition, **kwargs):
        sync_to_crm.enqueue(signature.pk)

Arguments, besides ``sender``:

``signature_created``
    ``signature``, ``petition``, ``status``: a new signature was stored, whatever
    its status (counted, pending confirmation or held). Not sent when the same
    address signs again. ``sender`` is ``Signature``.
``signature_counted``
    ``signature``, ``petition``, ``cause``: a signature counts for the first
    time; ``cause`` is ``"signed"``, ``"confirmed"`` or ``"restored"``. Not sent
    again when a signature that counted before is held and restored.
``signature_status_changed``
    ``signature``, ``petition``, ``old_status``, ``new_status``: a stored
    signature's status changed (confirmed, held, restored).
``milestone_reached``
    ``milestone``, ``petition``: the count reached a milestone; ``milestone``
    has the ``threshold`` and the moment, ``reached_at``. Once per milestone,
    however many people sign at once. A milestone cleared because the count
    fell below it (signatures held) is sent again when it is reached again.
    ``sender`` is ``Milestone``.
``signer_erased``
    ``petitions`` (a list of ``(petition page, number of signatures)``),
    ``signature_ids`` (the signatures erased, for a system that keeps them)
    and ``user`` (who erased, or None): a person's data was erased from their
    signatures. The address itself is never passed on.
``call_reported``
    ``report``, ``page``, ``counted``: a visitor reported how a call went from a
    call script; ``counted`` says whether it counts as a call made. ``sender``
    is ``CallReport``.
"""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

signature_created = Signal()
signature_counted = Signal()
signature_status_changed = Signal()
milestone_reached = Signal()
signer_erased = Signal()
call_reported = Signal()


def send_on_commit(signal: Signal, sender, *, using=None, **kwargs) -> None:
    """Send ``signal`` once the current transaction on ``using`` commits (at
    once outside a transaction). Receivers' errors are logged, not raised: the
    event has happened, and the visitor must not see an error for it."""

    def send():
        for receiver, result in signal.send_robust(sender, **kwargs):
            if isinstance(result, Exception):
                logger.error(
                    "A receiver of a petition signal failed: %r",
                    receiver,
                    exc_info=(type(result), result, result.__traceback__),
                )

    transaction.on_commit(send, using=using)
