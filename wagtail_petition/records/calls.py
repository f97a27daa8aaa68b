"""Calls made from a CallScriptBlock: one report per outcome, and a counter of
calls per block."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from .signatures import AbstractCounter


class CallReport(models.Model):
    # Not content: Wagtail's reference index would add rows on every signature.
    wagtail_reference_index_ignore = True

    class Outcome(models.TextChoices):
        SPOKE = "spoke", _("Spoke to someone")
        VOICEMAIL = "voicemail", _("Left a voicemail")
        NO_ANSWER = "no_answer", _("Line busy / no answer")
        SKIPPED = "skipped", _("Skip")

    #: Outcomes that mean a call was made, and so count in "N calls made".
    CALLS = (Outcome.SPOKE, Outcome.VOICEMAIL, Outcome.NO_ANSWER)

    page = models.ForeignKey(
        Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="call_reports"
    )
    block_id = models.CharField(verbose_name=_("call script block"), max_length=64)
    outcome = models.CharField(verbose_name=_("outcome"), max_length=16, choices=Outcome.choices)
    signature = models.ForeignKey(
        "wagtail_petition.Signature",
        verbose_name=_("caller's signature"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="call_reports",
    )
    created_at = models.DateTimeField(verbose_name=_("reported at"), default=timezone.now)
    caller = models.CharField(
        verbose_name=_("caller"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("A keyed hash of the caller: their signature, or else their address."),
    )
    counted_on = models.DateField(
        verbose_name=_("counted on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The day the report counted as a call made; empty when it did not (not a call, "
            "the caller's call of the day was counted already, or too many reports from "
            "one address)."
        ),
    )

    class Meta:
        verbose_name = _("call report")
        verbose_name_plural = _("call reports")
        indexes = [models.Index(fields=["page", "block_id", "created_at"])]
        constraints = [
            # One call counted per caller, block and day.
            models.UniqueConstraint(
                fields=["page", "block_id", "caller", "counted_on"],
                name="wagtail_petition_one_counted_call_per_caller_day",
            )
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_call(self) -> bool:
        return self.outcome in self.CALLS

    @property
    def counts(self) -> bool:
        """Whether the report counts in "N calls made"."""
        return self.counted_on is not None


class CallCounter(AbstractCounter):
    """The number of calls reported for one CallScriptBlock on one page."""

    page = models.ForeignKey(
        Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="+"
    )
    block_id = models.CharField(verbose_name=_("call script block"), max_length=64)

    class Meta:
        verbose_name = _("call counter")
        verbose_name_plural = _("call counters")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "block_id"], name="wagtail_petition_one_call_counter_per_block"
            )
        ]

    def __str__(self):
        return f"{self.page_id}/{self.block_id}: {self.count}"
