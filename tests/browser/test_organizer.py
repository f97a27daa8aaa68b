"""An organizer at work in the Wagtail admin, on the demo's data: the screenshots
of the organizer's guide."""

from pathlib import Path

import pytest

from home.management.commands.load_demo import ADMIN_PASSWORD, ADMIN_USERNAME
from tests.browser.conftest import log_in, new_page, screenshot
from wagtail_petition.models import Signature

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
