"""Webhooks: each petition event, posted to the endpoints organizers register,
signed the Standard Webhooks way (https://www.standardwebhooks.com/), and
never lost.

A receiver of each signal (``signals``, sent after commit, once per event)
stores one ``WebhookDelivery`` per endpoint that wants the event, with the
exact body, and queues the ``deliver_webhook`` task: the request that caused
the event only writes, it never calls a receiver (unless the site keeps
the task framework's default immediate backend, which runs the task at once).

The task posts the body. A receiver that is down, times out, or answers 408,
429 or 5xx is tried again later (``WEBHOOK_RETRY_DELAYS``) for up to
``WEBHOOK_RETRY_FOR`` seconds, by queueing the task again with ``run_after``;
any other 4xx answer fails the delivery at once (the receiver refused it, and
would refuse it again). An endpoint whose deliveries have all failed for
``WEBHOOK_DISABLE_AFTER`` seconds is switched off, with the reason.

The ``petition_webhooks`` command (``send_due()``) sends the retries that are
due when the task backend cannot run a task later, and queues again any
delivery whose task was lost.
"""

import base64
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from . import signals
from .background import task
from .conf import app_settings
from .records.signatures import PetitionCounter
from .records.webhooks import EventType, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

#: How much of a receiver's answer the delivery log keeps.
RESPONSE_LIMIT = 2000
PERSONAL_FIELDS = ("first_name", "last_name", "email", "postal_code")


def connect() -> None:
    for signal, receiver in RECEIVERS.items():
        signal.connect(receiver, dispatch_uid=f"wagtail_petition.webhooks.{receiver.__name__}")


# Bodies ----------------------------------------------------------------------


def petition_data(petition) -> dict:
    return {
        "id": petition.pk,
        "title": petition.title,
        "url": petition.get_full_url(),
        "count": PetitionCounter.count_for(petition_id=petition.pk),
    }


def signature_data(signature, personal: bool) -> dict:
    data = {"id": signature.pk, "status": signature.status, "created_at": signature.created_at}
    if personal and signature.anonymised_at is None:
        data.update({name: getattr(signature, name) for name in PERSONAL_FIELDS})
    return data


def body(event_type: str, data: dict) -> str:
    """The JSON text posted: ``{"type", "timestamp", "data"}``."""
    event = {"type": event_type, "timestamp": timezone.now().isoformat(), "data": data}
    return json.dumps(event, cls=DjangoJSONEncoder, ensure_ascii=False)


def queue_event(event_type: str, petition_ids, make_data, signature_id=None) -> list:
    """Store and queue one delivery of the event for each active endpoint that
    wants it. ``make_data(personal)`` builds the body's ``data``, with the
    signer's personal data when ``personal``."""
    deliveries = []
    for endpoint in WebhookEndpoint.objects.filter(active=True).prefetch_related("petitions"):
        if not endpoint.wants(event_type, petition_ids):
            continue
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                endpoint=endpoint,
                event_type=event_type,
                payload=body(event_type, make_data(endpoint.send_personal_data)),
                signature_id=signature_id,
                next_attempt_at=timezone.now(),
            )
            enqueue(delivery)
        deliveries.append(delivery)
    return deliveries


def enqueue(delivery, run_after=None) -> None:
    """Queue the delivery's task. A backend with a queue of its own (one that
    can run a task later) gets it in the transaction that stores the delivery,
    so that neither is kept without the other; one that runs it at once
    (the framework's immediate backend) gets it once that transaction
    commits, so that no transaction is held open while the receiver answers."""
    queued = deliver_webhook.using(run_after=run_after) if run_after else deliver_webhook
    if can_defer():
        queued.enqueue(delivery.pk)
    else:
        transaction.on_commit(lambda: queued.enqueue(delivery.pk))


def can_defer() -> bool:
    return deliver_webhook.get_backend().supports_defer


# Receivers -------------------------------------------------------------------


def on_signature_counted(sender, signature, petition, cause=None, **kwargs):
    def data(personal):
        return {
            "signature": signature_data(signature, personal),
            "petition": petition_data(petition),
            "cause": cause,
        }

    queue_event(EventType.SIGNATURE_COUNTED, [petition.pk], data, signature.pk)


def on_status_changed(sender, signature, petition, old_status, new_status, **kwargs):
    def data(personal):
        return {
            "signature": signature_data(signature, personal),
            "petition": petition_data(petition),
            "old_status": old_status,
            "new_status": new_status,
        }

    queue_event(EventType.SIGNATURE_STATUS_CHANGED, [petition.pk], data, signature.pk)


def on_milestone_reached(sender, milestone, petition, **kwargs):
    def data(personal):
        return {
            "milestone": {"threshold": milestone.threshold, "reached_at": milestone.reached_at},
            "petition": petition_data(petition),
        }

    queue_event(EventType.MILESTONE_REACHED, [petition.pk], data)


def on_signer_erased(sender, petitions, signature_ids, **kwargs):
    scrub(signature_ids)

    def data(personal):  # ids only, whatever the endpoint may receive
        return {
            "signature_ids": list(signature_ids),
            "petitions": [{"id": page.pk, "signatures": n} for page, n in petitions],
        }

    queue_event(EventType.SIGNER_ERASED, [page.pk for page, n in petitions], data)


def on_call_reported(sender, report, page, counted, **kwargs):
    def data(personal):
        return {
            "report": {
                "id": report.pk,
                "block_id": report.block_id,
                "outcome": report.outcome,
                "created_at": report.created_at,
                "signature_id": report.signature_id,
            },
            "page": {"id": page.pk, "title": page.title, "url": page.get_full_url()},
            "counted": counted,
        }

    queue_event(EventType.CALL_REPORTED, [page.pk], data)


RECEIVERS = {
    signals.signature_counted: on_signature_counted,
    signals.signature_status_changed: on_status_changed,
    signals.milestone_reached: on_milestone_reached,
    signals.signer_erased: on_signer_erased,
    signals.call_reported: on_call_reported,
}


def scrub(signature_ids) -> None:
    """Remove the personal data of erased signatures from stored bodies, sent
    or not: the log keeps nothing of an erased signer, and a delivery still to
    be sent goes without it."""
    for delivery in WebhookDelivery.objects.filter(signature_id__in=signature_ids):
        event = json.loads(delivery.payload)
        signature = event.get("data", {}).get("signature", {})
        if any(name in signature for name in PERSONAL_FIELDS):
            for name in PERSONAL_FIELDS:
                signature.pop(name, None)
            delivery.payload = json.dumps(event, ensure_ascii=False)
            delivery.save(update_fields=["payload"])


# Sending ---------------------------------------------------------------------


def sign(key: bytes, event_id: str, timestamp: int, payload: str) -> str:
    """The ``webhook-signature`` header: ``v1,`` and the base64 HMAC-SHA256 of
    ``{id}.{timestamp}.{body}``."""
    signed = f"{event_id}.{timestamp}.{payload}".encode()
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def post(delivery) -> tuple[int | None, str, str]:
    """Post the delivery once: (status code or None, answer, error)."""
    endpoint = delivery.endpoint
    timestamp = int(timezone.now().timestamp())
    event_id = str(delivery.event_id)
    request = urllib.request.Request(
        endpoint.url,
        data=delivery.payload.encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "wagtail-petition webhooks",
            "webhook-id": event_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(
                endpoint.signing_key(), event_id, timestamp, delivery.payload
            ),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=app_settings.WEBHOOK_TIMEOUT) as response:
            return response.status, read(response), ""
    except urllib.error.HTTPError as error:
        return error.code, read(error), ""
    except Exception as error:  # down, refused, timed out, bad TLS...
        return None, "", f"{type(error).__name__}: {error}"[:RESPONSE_LIMIT]


def read(response) -> str:
    try:
        return response.read(RESPONSE_LIMIT).decode(errors="replace")
    except Exception:
        return ""


def is_permanent(status_code) -> bool:
    """A 4xx answer other than 408 and 429: the receiver refuses the event."""
    return status_code is not None and 400 <= status_code < 500 and status_code not in (408, 429)


def retry_delay(attempts: int) -> int:
    delays = list(app_settings.WEBHOOK_RETRY_DELAYS)
    return delays[min(attempts, len(delays)) - 1] if delays else 0


@task()
def deliver_webhook(delivery_id: int) -> str:
    """Post a stored delivery; on failure, schedule the next attempt or give
    up. Returns the delivery's status."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status in (
        WebhookDelivery.Status.DELIVERED,
        WebhookDelivery.Status.FAILED,
    ):
        return delivery.status if delivery else ""
    now = timezone.now()
    if not delivery.endpoint.active:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
        delivery.last_error = gettext("Not sent: the endpoint is switched off.")
        delivery.save(update_fields=["status", "next_attempt_at", "last_error"])
        return delivery.status
    code, answer, error = post(delivery)
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = code
    delivery.last_response = answer
    delivery.last_error = error
    delivery.next_attempt_at = None
    endpoint = delivery.endpoint
    if code is not None and 200 <= code < 300:
        delivery.status = WebhookDelivery.Status.DELIVERED
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
    else:
        next_at = now + timedelta(seconds=retry_delay(delivery.attempts))
        give_up_at = delivery.created_at + timedelta(seconds=app_settings.WEBHOOK_RETRY_FOR)
        if is_permanent(code) or next_at > give_up_at:
            delivery.status = WebhookDelivery.Status.FAILED
        else:
            delivery.status = WebhookDelivery.Status.RETRYING
            delivery.next_attempt_at = next_at
        note_failure(endpoint, now)
    with transaction.atomic():
        delivery.save()
        if delivery.status == WebhookDelivery.Status.RETRYING and can_defer():
            enqueue(delivery, run_after=delivery.next_attempt_at)
    return delivery.status


def note_failure(endpoint, now) -> None:
    """Remember when the endpoint began failing; switch it off once it has
    failed for ``WEBHOOK_DISABLE_AFTER`` seconds."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(
        failing_since=now
    )
    endpoint.refresh_from_db(fields=["failing_since", "active"])
    disable_after = timedelta(seconds=app_settings.WEBHOOK_DISABLE_AFTER)
    if endpoint.active and now - endpoint.failing_since >= disable_after:
        with translation.override(settings.LANGUAGE_CODE):
            reason = gettext("Switched off: every delivery failed since %(since)s.") % {
                "since": formats.date_format(
                    timezone.localtime(endpoint.failing_since), "DATETIME_FORMAT"
                )
            }
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(active=False, disabled_reason=reason)
        logger.warning("Webhook endpoint %s switched off: %s", endpoint.pk, reason)


#: How long a delivery may wait past its time before ``send_due()`` queues it
#: again: its task was lost (a worker killed mid-task, a queue emptied).
STALE_AFTER = timedelta(hours=1)


def send_due(limit=100) -> int:
    """Queue the deliveries left waiting: retries that are due, for task
    backends that cannot run a task later (the framework's immediate
    backend), and, whatever the backend, deliveries whose task has not run an
    hour after its time. The ``petition_webhooks`` command calls it.
    Returns how many were queued."""
    now = timezone.now()
    retry_before = now if not can_defer() else now - STALE_AFTER
    due = WebhookDelivery.objects.filter(endpoint__active=True).filter(
        models.Q(status=WebhookDelivery.Status.RETRYING, next_attempt_at__lte=retry_before)
        | models.Q(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now - STALE_AFTER)
    )
    due = list(due.order_by("created_at").values_list("pk", flat=True)[:limit])
    for pk in due:
        deliver_webhook.enqueue(pk)
    return len(due)


def prune_log() -> int:
    """Remove the delivered and failed deliveries older than
    ``WEBHOOK_LOG_DAYS``; returns how many. The ``petition_webhooks`` command
    calls it."""
    days = app_settings.WEBHOOK_LOG_DAYS
    if days is None:
        return 0
    done = (WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED)
    old = WebhookDelivery.objects.filter(
        status__in=done, created_at__lt=timezone.now() - timedelta(days=days)
    )
    return old.delete()[0]


def send_again(delivery) -> None:
    """Queue the same event again, with the same webhook-id and body."""
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.PENDING, next_attempt_at=timezone.now()
        )
        enqueue(delivery)
