"""Changes to a petition's text made after people signed it."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page


class TextChange(models.Model):
    """A published revision that changed the petition's text (its title,
    targets, summary or body) after signatures came in. The texts are kept as
    they read, so the public list of changes outlives purged revisions."""

    wagtail_reference_index_ignore = True

    petition = models.ForeignKey(
        Page,
        verbose_name=_("petition"),
        on_delete=models.CASCADE,
        related_name="text_changes",
    )
    changed_at = models.DateTimeField(verbose_name=_("changed at"), default=timezone.now)
    previous_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("revision before"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("revision after"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text_before = models.TextField(verbose_name=_("text before"))
    text_after = models.TextField(verbose_name=_("text after"))

    class Meta:
        verbose_name = _("text change")
        verbose_name_plural = _("text changes")
        ordering = ["-changed_at"]
        indexes = [models.Index(fields=["petition", "changed_at"])]

    def __str__(self):
        return f"{self.petition_id} ({self.changed_at:%Y-%m-%d %H:%M})"
