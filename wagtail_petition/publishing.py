"""What happens when a petition is published: a change to the text people
signed is recorded (``texts.record_change()``).

The revision live before the publish is read from the database just before
Wagtail saves the page (``pre_save``), the only moment it is still there:
``page_published`` comes after, with the new revision only."""

from django.db.models.signals import pre_save
from wagtail.models import Page
from wagtail.signals import page_published

from . import texts
from .models.pages import PetitionMixin

PREVIOUS_LIVE_REVISION = "_petition_previous_live_revision_id"


def remember_live_revision(sender, instance, raw=False, update_fields=None, **kwargs):
    """Keep, on a petition page being saved, the revision live until now."""
    if raw or instance.pk is None or not isinstance(instance, PetitionMixin):
        return
    if update_fields is not None and "live_revision" not in update_fields:
        return  # a draft saved, a lock taken: not a publish
    live = Page.objects.filter(pk=instance.pk).values_list("live_revision_id", flat=True)
    setattr(instance, PREVIOUS_LIVE_REVISION, live.first())


def record_text_change(sender, instance, revision, **kwargs):
    # Wagtail also sends page_published when it schedules a page that is not
    # live: the change is recorded when the revision goes live.
    if not isinstance(instance, PetitionMixin) or instance.live_revision_id != revision.pk:
        return
    previous = getattr(instance, PREVIOUS_LIVE_REVISION, None)
    if previous is None:  # the petition was not live: compare with what was last signed
        previous = texts.last_signed_revision_id(instance, revision)
    texts.record_change(instance, revision, previous)


def connect():
    pre_save.connect(remember_live_revision, dispatch_uid="wagtail_petition.live_revision")
    page_published.connect(record_text_change, dispatch_uid="wagtail_petition.text_change")
