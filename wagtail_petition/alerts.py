"""Milestone alerts: when a petition reaches a milestone, the people it names
(``alert_emails`` and ``alert_users``, from ``get_alert_recipients()``) get
one email with the count, the moment and a link to the petition's dashboard.

A receiver of ``signals.milestone_reached`` (sent once per milestone) queues
the email as a ``django_tasks`` task; the task claims the milestone
(``Milestone.alerted_at``) before sending, so a task run twice sends once, and
gives the claim back if sending fails, for the backend to retry.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.admin.utils import get_admin_base_url
from wagtail.models import Page

from . import signals
from .background import task
from .records.signatures import Milestone, PetitionCounter

logger = logging.getLogger(__name__)

SUBJECT_TEMPLATE = "wagtail_petition/email/milestone_subject.txt"
BODY_TEMPLATE = "wagtail_petition/email/milestone_body.txt"


def connect() -> None:
    signals.milestone_reached.connect(queue_alert, dispatch_uid="wagtail_petition.alerts")


def queue_alert(sender, milestone, petition, **kwargs) -> None:
    """Queue the milestone's alert, if the petition names anyone to tell."""
    if petition.alert_emails.strip() or petition.alert_users.exists():
        send_milestone_alert.enqueue(milestone.pk)


def dashboard_url(petition_id) -> str:
    """The petition's dashboard in the Wagtail admin, as a full URL
    (``WAGTAILADMIN_BASE_URL``)."""
    path = reverse("wagtail_petition_dashboard", args=[petition_id])
    return (get_admin_base_url() or "") + path


def claim(milestone_id) -> bool:
    """Mark the milestone alerted; False if it was already."""
    unsent = Milestone.objects.filter(pk=milestone_id, alerted_at__isnull=True)
    return bool(unsent.update(alerted_at=timezone.now()))


@task()
def send_milestone_alert(milestone_id: int) -> int:
    """Email the milestone's petition's alert recipients, each their own
    message. Returns how many were sent: none for a milestone already alerted,
    cleared, or of a petition that names nobody."""
    milestone = Milestone.objects.filter(pk=milestone_id).first()
    if milestone is None or not claim(milestone_id):
        return 0
    petition = Page.objects.get(pk=milestone.petition_id).specific
    recipients = petition.get_alert_recipients()
    context = {
        "petition": petition,
        "milestone": milestone,
        "count": PetitionCounter.count_for(petition_id=petition.pk),
        "dashboard_url": dashboard_url(petition.pk),
        "site_name": getattr(settings, "WAGTAIL_SITE_NAME", ""),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(SUBJECT_TEMPLATE, context).split())
        body = render_to_string(BODY_TEMPLATE, context)
    headers = {"Auto-Submitted": "auto-generated"}
    messages = [EmailMessage(subject, body, to=[to], headers=headers) for to in recipients]
    try:
        sent = get_connection().send_messages(messages) or 0
    except Exception:
        # Give the claim back, so a retry of this task sends the alert.
        Milestone.objects.filter(pk=milestone_id).update(alerted_at=None)
        logger.exception("Could not send the alert of milestone %s", milestone_id)
        raise
    return sent
