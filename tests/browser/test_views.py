"""Each public view, audited by axe-core in Chromium; the demo petition's
screenshots for the README and the editor's guide."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Site

from tests.browser.conftest import audit, screenshot
from tests.factories import PetitionPageFactory
from wagtail_petition.confirmation import confirmation_url
from wagtail_petition.models import PetitionSettings, Signature
from wagtail_petition.signing import sign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_closed_petition_says_so_and_offers_no_form(page, url):
    petition = PetitionPageFactory(deadline=timezone.now() - timedelta(days=1))

    page.goto(url(petition))

    assert page.get_by_role("heading", name="This petition is closed").is_visible()
    assert page.get_by_role("button", name="Sign", exact=True).count() == 0
    audit(page, "a closed petition")


def test_the_demo_petition_and_its_thank_you(page, url, demo):
    page.set_viewport_size({"width": 1280, "height": 1000})

    page.goto(url(demo))
    audit(page, "the demo petition")
    screenshot(page, "demo-petition")

    page.get_by_label("First name", exact=True).fill("Maya")
    page.get_by_label("Last name", exact=True).fill("Lopez")
    page.get_by_label("Email", exact=True).fill("maya@example.org")
    page.get_by_label("Postal code", exact=True).fill("60614")
    page.get_by_role("button", name="Sign", exact=True).click()
    thanks = page.locator("#petition-thanks")
    thanks.wait_for()
    audit(page, "the demo petition's thank-you with its call script")
    page.evaluate("() => document.activeElement.blur()")  # no focus outline in the picture
    screenshot(thanks, "thank-you-call-script")


def test_the_audit_fails_on_a_serious_violation(page):
    page.set_content("<!doctype html><html lang='en'><title>t</title><img src='a.png'></html>")

    with pytest.raises(AssertionError, match="image-alt"):
        audit(page, "an image without alternative text")


def test_a_signer_confirms_by_email_link_and_button(page, url):
    petition = PetitionPageFactory(require_confirmation=True)
    signature = sign(
        petition, email="ada@example.org", first_name="Ada", status=Signature.Status.PENDING
    ).signature

    page.goto(confirmation_url(signature, url(petition)))
    audit(page, "the confirmation page")
    page.get_by_role("button", name="Confirm my signature").click()

    page.get_by_text("Your signature is confirmed.").wait_for()
    assert petition.signature_count == 1
    audit(page, "the thank-you after confirming")


def test_signing_paused_while_the_page_is_open_says_so_and_stores_nothing(page, url):
    petition = PetitionPageFactory()
    page.goto(url(petition))
    # An organizer pauses signing while the visitor fills in the form.
    PetitionSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"signing_paused": True}
    )

    page.get_by_label("First name", exact=True).fill("Ada")
    page.get_by_label("Last name", exact=True).fill("Lovelace")
    page.get_by_label("Email", exact=True).fill("ada@example.org")
    page.get_by_role("button", name="Sign", exact=True).click()

    page.get_by_role("heading", name="Signing is paused").wait_for()
    assert page.get_by_role("button", name="Sign", exact=True).count() == 0
    assert not Signature.objects.exists()
    audit(page, "signing paused")
