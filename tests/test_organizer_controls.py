"""Controls an organizer uses on a petition under attack, from the Wagtail
admin's settings, without a deploy: pause all signing, block addresses and
domains, exempt a domain from the rate limits."""

from datetime import UTC, datetime
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core.checks import run_checks
from django.test import Client
from wagtail.models import Site

from tests.factories import PetitionPageFactory, SignatureFactory
from wagtail_petition.confirmation import confirmation_url
from wagtail_petition.models import PetitionSettings, Signature
from wagtail_petition.signing import sign


@pytest.fixture
def petition(db):
    return PetitionPageFactory()


def organizer_sets(admin_client, **values):
    """Save the site's petition settings through the admin's form, as an organizer does."""
    site = Site.objects.get(is_default_site=True)
    url = f"/admin/settings/wagtail_petition/petitionsettings/{site.pk}/"
    form = {
        "signing_paused": "",
        "blocked_emails": "",
        "allowed_domains": "",
        # The colour inputs come filled in with the share image's colours.
        "share_background": "#1d3557",
        "share_text": "#ffffff",
        "share_accent": "#f4a261",
        **values,
    }
    response = admin_client.post(url, {k: v for k, v in form.items() if v != ""})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_pausing_refuses_signing_and_confirming_and_keeps_the_count(admin_client, petition):
    pending = sign(
        PetitionPageFactory(require_confirmation=True),
        status=Signature.Status.PENDING,
        **SignatureFactory(email="pending@example.org"),
    ).signature
    sign(petition, **SignatureFactory())
    organizer_sets(admin_client, signing_paused="on")
    visitor = Client()

    page = visitor.get(petition.url).content.decode()
    posted = visitor.post(petition.url, SignatureFactory())
    as_json = visitor.post(petition.url, SignatureFactory(), HTTP_ACCEPT="application/json")
    token = parse_qs(urlsplit(confirmation_url(pending, "/")).query)["confirm"][0]
    confirming = visitor.post(pending.petition.url, {"confirmation_token": token})
    count = visitor.get(f"{petition.url}count/")

    assert "Signing is paused" in page and 'name="email"' not in page
    assert posted.status_code == 403 and "Signing is paused" in posted.content.decode()
    assert as_json.status_code == 403 and as_json.json()["error"] == "paused"
    assert "Signing is paused" in as_json.json()["closed_html"]
    assert confirming.status_code == 403 and "Signing is paused" in confirming.content.decode()
    assert Signature.objects.count() == 2  # nothing stored while paused
    assert Signature.objects.get(pk=pending.pk).status == "pending"
    assert count.status_code == 200 and count.json()["count"] == 1

    organizer_sets(admin_client, signing_paused="")
    assert visitor.post(petition.url, SignatureFactory()).status_code == 303


def test_blocked_addresses_and_domains_are_held_and_thanked_like_anyone(
    admin_client, petition, settings
):
    settings.WAGTAILPETITION_RATE_LIMITS = None
    organizer_sets(admin_client, blocked_emails="Mallory@Example.org\nspam.example\n")

    for email in ("mallory@example.org", "bot@spam.example", "bot@mx.spam.example"):
        response = Client().post(petition.url, SignatureFactory(email=email))
        assert response.status_code == 303
    Client().post(petition.url, SignatureFactory(email="ada@example.org"))

    held = Signature.objects.filter(status="held")
    assert set(held.values_list("hold_reason", flat=True)) == {"blocked"}
    assert held.count() == 3
    assert petition.signature_count == 1


def test_an_allowed_domain_is_exempt_from_the_rate_limits(admin_client, petition, settings):
    settings.WAGTAILPETITION_RATE_LIMITS = ((2, 60),)
    organizer_sets(admin_client, allowed_domains="parliament.example")

    with time_machine.travel(datetime(2026, 11, 26, 12, 0, 5, tzinfo=UTC), tick=False):
        for n in range(5):  # one office network
            Client().post(petition.url, SignatureFactory(email=f"mp{n}@parliament.example"))
        for n in range(3):
            Client().post(petition.url, SignatureFactory(email=f"visitor{n}@example.org"))

    assert petition.signature_count == 5 + 2
    assert PetitionSettings.objects.get().allowed_domains == "parliament.example"


def test_a_site_without_the_settings_app_is_told_it_has_no_controls(db):
    assert "wagtail_petition.W006" not in check_ids()
    with mock.patch("wagtail_petition.checks.apps.is_installed", return_value=False):
        assert "wagtail_petition.W006" in check_ids()


def check_ids():
    return {message.id for message in run_checks(databases=["default"])}
