"""Webhooks: the endpoints organizers register, and every delivery to them.

A delivery is stored before anything is sent, so an event is never lost: it
stays in the log, with the exact body sent, until it is delivered or given up.
"""

import base64
import secrets
import uuid

from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

SECRET_PREFIX = "whsec_"


def generate_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and base64 of 24 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


class EventType(models.TextChoices):
    SIGNATURE_COUNTED = "signature.counted", _("A signature counts")
    SIGNATURE_STATUS_CHANGED = "signature.status_changed", _("A signature's status changed")
    MILESTONE_REACHED = "milestone.reached", _("A milestone was reached")
    SIGNER_ERASED = "signer.erased", _("A signer's data was erased")
    CALL_REPORTED = "call.reported", _("A call was reported")


def all_events() -> list[str]:
    return list(EventType.values)


class WebhookEndpoint(models.Model):
    wagtail_reference_index_ignore = True

    name = models.CharField(verbose_name=_("name"), max_length=255)
    url = models.URLField(
        verbose_name=_("URL"),
        max_length=1000,
        validators=[URLValidator(schemes=["https", "http"])],
        help_text=_("Where events are posted (https:// or http://)."),
    )
    secret = models.CharField(
        verbose_name=_("signing secret"),
        max_length=100,
        default=generate_secret,
        help_text=_(
            "The receiver checks each request's webhook-signature with it "
            "(Standard Webhooks). Keep it private."
        ),
    )
    events = models.JSONField(
        verbose_name=_("events"),
        default=all_events,
        help_text=_("The events this endpoint receives."),
    )
    petitions = models.ManyToManyField(
        Page,
        verbose_name=_("petitions"),
        blank=True,
        related_name="+",
        help_text=_("Only events of these petitions. None: every petition."),
    )
    send_personal_data = models.BooleanField(
        verbose_name=_("send personal data"),
        default=False,
        help_text=_(
            "Include signers' names, email addresses and postal codes. Only people "
            "who may export signatures can turn this on."
        ),
    )
    active = models.BooleanField(verbose_name=_("active"), default=True)
    failing_since = models.DateTimeField(
        verbose_name=_("failing since"), null=True, blank=True, editable=False
    )
    disabled_reason = models.CharField(
        verbose_name=_("why it was switched off"), max_length=255, blank=True, editable=False
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def wants(self, event_type: str, petition_ids) -> bool:
        """Whether this endpoint receives ``event_type`` about ``petition_ids``."""
        if not self.active or event_type not in (self.events or []):
            return False
        limited = {page.pk for page in self.petitions.all()}
        return not limited or bool(limited & set(petition_ids))

    def signing_key(self) -> bytes:
        """The HMAC key: the base64-decoded part of a ``whsec_`` secret, else
        the secret's bytes as they are."""
        if self.secret.startswith(SECRET_PREFIX):
            return base64.b64decode(self.secret[len(SECRET_PREFIX) :])
        return self.secret.encode()


class WebhookDelivery(models.Model):
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        RETRYING = "retrying", _("Retrying")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event_id = models.UUIDField(verbose_name=_("webhook-id"), default=uuid.uuid4)
    event_type = models.CharField(
        verbose_name=_("event"), max_length=64, choices=EventType.choices
    )
    payload = models.TextField(verbose_name=_("body"))
    # The signature the body may name, so erasing its signer can scrub the body.
    signature_id = models.BigIntegerField(null=True, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now)
    status = models.CharField(
        verbose_name=_("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(verbose_name=_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(verbose_name=_("next attempt"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(verbose_name=_("last attempt"), null=True, blank=True)
    last_status_code = models.PositiveIntegerField(
        verbose_name=_("last status code"), null=True, blank=True
    )
    last_response = models.TextField(verbose_name=_("last answer"), blank=True)
    last_error = models.TextField(verbose_name=_("last error"), blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        # The endpoint's permissions cover its log (admin.webhooks).
        default_permissions = ()
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"], name="wagtail_petition_webhook_event_once"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["created_at"]),  # the log's order, and pruning it
        ]

    def __str__(self):
        return f"{self.event_type} {self.event_id}"
