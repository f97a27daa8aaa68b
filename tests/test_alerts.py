"""Milestone alerts: the people a petition names are emailed once when it
reaches a milestone, with the count, the moment and a link to its dashboard."""

import django
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from tests.factories import PetitionPageFactory, SignatureFactory, UserFactory
from wagtail_petition.alerts import send_milestone_alert
from wagtail_petition.models import Milestone


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """Every signer here posts from the test client's one address."""
    settings.WAGTAILPETITION_RATE_LIMITS = None


def sign_times(petition, n, django_capture_on_commit_callbacks):
    """``n`` visitors sign, each request committed as in production."""
    for _ in range(n):
        with django_capture_on_commit_callbacks(execute=True):
            Client().post(petition.url, SignatureFactory())


def test_reaching_a_milestone_emails_each_recipient_once(db, django_capture_on_commit_callbacks):
    petition = PetitionPageFactory(
        title="Keep the pool open", alert_emails="organizer@example.org\nteam@example.org"
    )
    colleague = UserFactory(email="colleague@example.org")
    petition.alert_users.add(colleague)
    petition.save()

    sign_times(petition, 9, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    sign_times(petition, 1, django_capture_on_commit_callbacks)  # the 10th reaches 10

    assert sorted(message.to[0] for message in mail.outbox) == [
        "colleague@example.org",
        "organizer@example.org",
        "team@example.org",
    ]
    message = mail.outbox[0]
    assert len(message.to) == 1  # nobody sees the other recipients
    assert message.subject == "“Keep the pool open” reached 10 signatures"
    assert "Signatures now: 10" in message.body
    assert f"http://testserver/admin/reports/petitions/{petition.pk}/" in message.body
    milestone = Milestone.objects.get(petition_id=petition.pk, threshold=10)
    assert milestone.alerted_at is not None


def test_an_alert_is_sent_once_even_if_its_task_runs_again(db, django_capture_on_commit_callbacks):
    petition = PetitionPageFactory(alert_emails="organizer@example.org")
    sign_times(petition, 10, django_capture_on_commit_callbacks)
    milestone = Milestone.objects.get(petition_id=petition.pk, threshold=10)
    assert len(mail.outbox) == 1

    result = send_milestone_alert.enqueue(milestone.pk)

    assert result.return_value == 0
    assert len(mail.outbox) == 1


def test_a_petition_that_names_nobody_sends_nothing(db, django_capture_on_commit_callbacks):
    petition = PetitionPageFactory()
    sign_times(petition, 10, django_capture_on_commit_callbacks)

    assert Milestone.objects.filter(petition_id=petition.pk, threshold=10).exists()
    assert mail.outbox == []


def test_inactive_users_and_users_without_an_address_are_left_out(db):
    petition = PetitionPageFactory(alert_emails="organizer@example.org")
    petition.alert_users.add(
        UserFactory(email="organizer@example.org"),  # listed twice: one email
        UserFactory(email=""),
        UserFactory(email="gone@example.org", is_active=False),
    )
    petition.save()

    assert petition.get_alert_recipients() == ["organizer@example.org"]


def test_an_alert_that_cannot_be_sent_is_sent_by_a_retry(db, settings):
    petition = PetitionPageFactory(alert_emails="organizer@example.org")
    milestone = Milestone.objects.create(
        petition_id=petition.pk, threshold=10, reached_at="2026-11-30T12:00:00Z"
    )
    use_mail_backend(settings, "tests.test_alerts.BrokenBackend")

    result = send_milestone_alert.enqueue(milestone.pk)

    assert result.status == "FAILED"
    milestone.refresh_from_db()
    assert milestone.alerted_at is None  # not marked sent
    use_mail_backend(settings, "django.core.mail.backends.locmem.EmailBackend")
    assert send_milestone_alert.enqueue(milestone.pk).return_value == 1
    assert mail.outbox[0].to == ["organizer@example.org"]


def test_an_editor_is_told_which_line_is_not_an_address(db):
    petition = PetitionPageFactory()
    petition.alert_emails = "organizer@example.org\nnot an address"

    with pytest.raises(ValidationError) as error:
        petition.full_clean()

    assert error.value.message_dict["alert_emails"] == [
        "“not an address” is not an email address."
    ]


def use_mail_backend(settings, backend):
    if django.VERSION >= (6, 1):  # EMAIL_BACKEND is deprecated there, for MAILERS
        settings.MAILERS = {"default": {"BACKEND": backend}}
    else:
        settings.EMAIL_BACKEND = backend


class BrokenBackend:
    """A mail server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("The mail server is down.")
