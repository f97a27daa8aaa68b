"""An editor composes a petition in the Wagtail admin and publishes it."""

import pytest

from tests.browser.conftest import log_in, screenshot
from tests.factories import PetitionPageFactory, UserFactory, site_root
from wagtail_petition.models import PetitionPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_creates_and_publishes_a_petition_with_a_call_script(page, live_server):
    home = site_root()
    editor = UserFactory(is_superuser=True, is_staff=True)
    log_in(page, live_server.url, editor.username, "secret-password")

    page.goto(f"{live_server.url}/admin/pages/add/wagtail_petition/petitionpage/{home.pk}/")
    page.locator("#id_title").fill("Light the river path")

    targets = page.locator("[data-contentpath=targets]")
    targets.get_by_role("button", name="Insert a block").first.click()
    targets.get_by_label("Name").fill("Councillor Priya Shah")
    targets.get_by_label("Role").fill("Ward 3")

    body = page.locator("[data-contentpath=body]")
    body.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Text").click()
    paragraph = body.locator("[role=textbox][contenteditable=true]").first
    paragraph.click()
    page.keyboard.type("After dark the river path is unlit and unsafe.")

    body.get_by_role("button", name="Insert a block").last.click()
    page.get_by_role("option", name="Call script").click()
    body.get_by_label("Heading").last.fill("Call Councillor Shah")
    body.get_by_label("Office*", exact=True).last.fill("Ward 3 office")
    body.get_by_label("Phone number*", exact=True).last.fill("(312) 555-0199")
    body.get_by_label("Script").last.fill(
        "Hi, I'm {first_name} from {postal_code}. Please fund lights on the river path."
    )
    page.set_viewport_size({"width": 1280, "height": 2000})  # the whole body in view
    screenshot(body, "admin-editing-petition")

    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("'Light the river path' created and published.").wait_for()

    petition = PetitionPage.objects.get(title="Light the river path")
    assert petition.live
    page.goto(live_server.url + petition.url)
    assert page.get_by_role("heading", name="Light the river path").is_visible()
    assert "Councillor Priya Shah, Ward 3" in page.locator(".petition__to").inner_text()
    assert page.get_by_text("After dark the river path is unlit and unsafe.").is_visible()
    assert page.get_by_role("heading", name="Call Councillor Shah").is_visible()


def test_an_editor_names_who_is_told_of_milestones(page, live_server):
    petition = PetitionPageFactory(title="Fix the school roof")
    editor = UserFactory(is_superuser=True, is_staff=True, email="editor@example.org")
    log_in(page, live_server.url, editor.username, "secret-password")
    edit = f"{live_server.url}/admin/pages/{petition.pk}/edit/"

    page.goto(edit)
    page.get_by_role("tab", name="Petition").click()
    page.get_by_label("Alert email addresses").fill("organizer@example.org\nnot an address")
    page.get_by_role("button", name="Save draft").click()
    field = page.locator("[data-field-wrapper]", has=page.get_by_label("Alert email addresses"))
    assert "“not an address” is not an email address." in field.inner_text()

    page.goto(edit)
    page.get_by_role("tab", name="Petition").click()
    page.get_by_label("Alert email addresses").fill("organizer@example.org\nteam@example.org")
    page.get_by_label(editor.username).check()
    screenshot(page.get_by_role("region", name="Milestone alerts"), "admin-milestone-alerts")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("'Fix the school roof' has been published.").wait_for()

    petition.refresh_from_db()
    assert petition.get_alert_recipients() == [
        "organizer@example.org",
        "team@example.org",
        "editor@example.org",
    ]
