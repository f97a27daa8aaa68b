"""An editor changes the demands of a petition people have signed; visitors
see that the text changed, and what changed."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import audit, log_in, screenshot
from tests.factories import UserFactory
from wagtail_petition.records.texts import TextChange

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_changes_the_demands_and_visitors_see_what_changed(
    page, live_server, petition, url
):
    editor = UserFactory(is_superuser=True, is_staff=True)
    log_in(page, live_server.url, editor.username, "secret-password")

    page.goto(f"{live_server.url}/admin/pages/{petition.pk}/edit/")
    paragraph = page.locator("[data-contentpath=body] [role=textbox][contenteditable=true]")
    paragraph.first.get_by_text("The park is where the neighbourhood meets.").click()
    page.keyboard.press("End")
    page.keyboard.type(" Keep it open until midnight.")
    # Draftail saves its state into the form's field a moment after typing.
    field = page.locator("input[name='body-0-value']")
    expect(field).to_have_value(re.compile("until midnight"))
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("has been published").first.wait_for()

    change = TextChange.objects.get(petition=petition)
    assert "Keep it open until midnight." in change.text_after
    page.goto(url(petition))
    notice = page.locator(".petition__text-changed")
    assert "This petition's text was changed on" in notice.inner_text()
    audit(page, "the petition page with a changed text")
    screenshot(page.locator(".petition__header"), "text-changed-notice")

    notice.get_by_role("link", name="See what changed").click()
    page.wait_for_url("**/changes/")
    added = page.locator(".petition-diff ins").first.inner_text()
    assert "Keep it open until midnight." in added and "added" in added  # read out, not only seen
    expect(
        page.get_by_text("Signatures made before a change agreed to the earlier text.")
    ).to_be_visible()
    audit(page, "the list of text changes")
    screenshot(page, "text-changed", full_page=True)
