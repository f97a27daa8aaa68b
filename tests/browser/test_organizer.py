"""An organizer at work in the Wagtail admin, on the demo's data: the screenshots
of the organizer's guide."""

from pathlib import Path

import pytest

from home.management.commands.load_demo import ADMIN_PASSWORD, ADMIN_USERNAME
from tests.browser.conftest import log_in, new_page, screenshot
from tests.browser.test_signing import fill_form
from tests.webhook_receiver import Receiver
from wagtail_petition.models import PetitionPage, Signature

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_organizer_lists_reports_and_erases_signers(browser, live_server, demo):
    page = new_page(browser, viewport={"width": 1280, "height": 800})
    log_in(page, live_server.url, ADMIN_USERNAME, ADMIN_PASSWORD)
    admin = live_server.url + "/admin/"

    page.goto(f"{admin}signatures/?petition={demo.pk}")
    rows = page.locator("table.listing tbody tr")
    assert rows.count() > 0
    for row in range(2):
        rows.nth(row).get_by_role("checkbox").check()
    screenshot(page, "admin-signatures")

    page.goto(admin + "reports/petitions/")
    assert page.get_by_role("link", name=demo.title).first.is_visible()
    screenshot(page, "admin-petitions-report")

    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(f"{admin}reports/petitions/{demo.pk}/")
    assert page.get_by_role("heading", name="Milestones").first.is_visible()
    screenshot(page, "admin-petition-dashboard")
    page.set_viewport_size({"width": 1280, "height": 800})

    signer = Signature.objects.filter(petition_id=demo.pk).order_by("pk").first()
    page.goto(admin + "petition-privacy/erase/")
    page.get_by_label("Email address").fill(signer.email)
    page.get_by_role("button", name="Find signatures").click()
    page.get_by_role("button", name="Yes, erase").wait_for()
    screenshot(page, "admin-erase-signer")
    page.get_by_role("button", name="Yes, erase").click()
    page.wait_for_load_state()

    signer.refresh_from_db()
    assert signer.anonymised_at is not None and signer.email == ""
    page.context.close()


def test_an_organizer_downloads_the_delivery_pack(browser, live_server, demo):
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    log_in(page, live_server.url, ADMIN_USERNAME, ADMIN_PASSWORD)

    page.goto(f"{live_server.url}/admin/reports/petitions/{demo.pk}/")
    section = page.locator(".petition-dashboard__delivery")
    section.scroll_into_view_if_needed()
    assert section.get_by_role("link", name="Email to the targets").is_visible()
    screenshot(section, "admin-delivery-pack")
    with page.expect_download() as download:
        section.get_by_role("link", name="Download the delivery pack (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")

    section.get_by_role("link", name="Email to the targets").click()
    page.get_by_role("button", name="Yes, email the targets").click()
    page.get_by_text("The delivery pack is being emailed to: Mayor Dana Whitfield").wait_for()
    page.context.close()


def sign_as(browser, url, first_name, email):
    visitor = new_page(browser)
    visitor.goto(url)
    fill_form(visitor, first_name=first_name, email=email)
    visitor.get_by_role("button", name="Sign", exact=True).click()
    visitor.get_by_role("heading", name=f"Thank you, {first_name}!").wait_for()
    visitor.context.close()


def test_an_organizer_adds_a_webhook_and_reads_its_log(browser, live_server, demo, settings):
    settings.WAGTAILPETITION_RATE_LIMITS = None
    PetitionPage.objects.filter(pk=demo.pk).update(require_confirmation=False)
    receiver = Receiver()
    receiver.start()
    page = new_page(browser, viewport={"width": 1280, "height": 1400})
    log_in(page, live_server.url, ADMIN_USERNAME, ADMIN_PASSWORD)
    admin = live_server.url + "/admin/"

    page.goto(admin + "petition-webhooks/new/")
    page.get_by_label("Name").fill("Supporter CRM")
    page.get_by_label("URL").fill(receiver.url)
    page.get_by_label("A signature counts").check()
    page.get_by_label("A milestone was reached").check()
    page.get_by_label(demo.title).check()
    screenshot(page, "admin-webhook-endpoint")
    page.get_by_role("button", name="Create").click()
    page.get_by_role("link", name="Supporter CRM").wait_for()

    # A visitor signs: the event reaches the receiver, without personal data.
    sign_as(browser, live_server.url + demo.url, "Ada", "ada@example.org")
    [event] = receiver.events()
    assert event["type"] == "signature.counted"
    assert event["data"]["petition"]["id"] == demo.pk
    assert "email" not in event["data"]["signature"]

    # The receiver fails: the next event waits in the log to be tried again.
    receiver.status = 503
    sign_as(browser, live_server.url + demo.url, "Grace", "grace@example.org")
    page.set_viewport_size({"width": 1280, "height": 600})
    page.goto(admin + "petition-webhook-deliveries/")
    failed, delivered = page.locator("table.listing tbody tr").all()
    assert "Retrying" in failed.inner_text() and "503" in failed.inner_text()
    assert "Delivered" in delivered.inner_text()
    screenshot(page, "admin-webhook-deliveries")

    # Once it works again, the organizer need not wait for the retry.
    receiver.status = 200
    failed.get_by_role("button", name="Send again").click()
    page.get_by_text("The event is queued to be sent again.").wait_for()
    rows = page.locator("table.listing tbody tr")
    assert ["Delivered" in row.inner_text() for row in rows.all()] == [True, True]
    assert receiver.ids()[1] == receiver.ids()[2]  # the same event, the same webhook-id
    receiver.stop()
    page.context.close()
