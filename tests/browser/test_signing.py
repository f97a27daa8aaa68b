"""A visitor signs in a real browser: with JavaScript on and off, with a mistake,
by keyboard alone, on a phone, then calls the target."""

import pytest

from tests.browser.conftest import audit, new_page
from wagtail_petition.models import CallCounter, Signature

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_form(page, first_name="Ada", email="ada@example.org"):
    page.get_by_label("First name", exact=True).fill(first_name)
    page.get_by_label("Last name", exact=True).fill("Byron")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Postal code", exact=True).fill("60601")


def focused(page) -> str:
    return page.evaluate("() => document.activeElement.id || document.activeElement.name")


def test_signing_with_javascript_updates_the_page_without_a_reload(page, petition, url):
    page.goto(url(petition))
    assert page.locator(".petition-progress__count").inner_text() == "9 signatures"
    page.evaluate("() => { window.sameDocument = true; }")  # gone if the page reloads
    audit(page, "the petition")

    fill_form(page)
    page.get_by_role("button", name="Sign", exact=True).click()

    thanks = page.locator("#petition-thanks")
    thanks.wait_for()
    assert page.evaluate("() => window.sameDocument") is True
    assert page.get_by_role("heading", name="Thank you, Ada!").is_visible()
    assert focused(page) == "petition-thanks"
    assert page.locator(".petition-progress__count").inner_text() == "10 signatures"
    assert page.locator(".petition-progress__bar").get_attribute("value") == "10"
    assert page.locator(".petition-milestones").inner_text().count("10 signatures reached") == 1
    # The call script moved into the thank-you, filled in with the signer's name.
    assert page.locator(".call-script").count() == 1
    assert "Ada" in thanks.locator(".call-script__script").inner_text()
    assert page.url.endswith("?signed=1#petition-thanks")
    assert Signature.objects.filter(petition_id=petition.pk, first_name="Ada").exists()
    audit(page, "the thank-you state with the call script")

    page.reload()  # the thank-you state is the server's too
    assert page.get_by_role("heading", name="Thank you, Ada!").is_visible()


def test_signing_without_javascript_posts_and_redirects(page_without_js, petition, url):
    page = page_without_js
    page.goto(url(petition))

    fill_form(page, first_name="Grace")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign", exact=True).click()

    assert page.url.endswith("?signed=1#petition-thanks")
    assert page.get_by_role("heading", name="Thank you, Grace!").is_visible()
    assert page.locator(".petition-progress__count").inner_text() == "10 signatures"
    assert "Grace" in page.locator(".call-script__script").inner_text()
    assert petition.signature_count == 10


def test_an_invalid_email_is_announced_and_focus_moves_to_the_summary(page, petition, url):
    page.goto(url(petition))

    fill_form(page, email="ada-at-example")
    page.get_by_role("button", name="Sign", exact=True).click()

    summary = page.get_by_role("alert")
    summary.wait_for()
    assert "Email: Enter a valid email address." in summary.inner_text()
    assert focused(page) == "petition-form-errors"
    email = page.get_by_label("Email", exact=True)
    assert email.get_attribute("aria-invalid") == "true"
    assert email.input_value() == "ada-at-example"  # nothing typed is lost
    assert page.get_by_label("First name", exact=True).input_value() == "Ada"
    audit(page, "the form with errors")

    summary.get_by_role("link").click()  # the summary's link leads to the field
    assert focused(page) == "id_email"
    email.fill("ada@example.org")
    page.get_by_role("button", name="Sign", exact=True).click()
    page.get_by_role("heading", name="Thank you, Ada!").wait_for()
    assert petition.signature_count == 10


def test_a_keyboard_alone_signs_with_visible_focus(page, petition, url):
    page.goto(url(petition))
    typed = {"first_name": "Alan", "last_name": "Turing", "email": "alan@example.org"}

    for _ in range(40):  # Tab from the top of the page to the form's first field
        page.keyboard.press("Tab")
        if focused(page) == "id_first_name":
            break
    assert focused(page) == "id_first_name"
    for name in ("first_name", "last_name", "email"):
        assert focused(page) == f"id_{name}"
        assert has_visible_focus(page)
        page.keyboard.type(typed[name])
        page.keyboard.press("Tab")
    for _ in range(20):  # the optional fields, then the Sign button
        assert has_visible_focus(page)
        if page.evaluate("() => document.activeElement.type") == "submit":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Sign"
    page.keyboard.press("Enter")

    page.get_by_role("heading", name="Thank you, Alan!").wait_for()
    assert focused(page) == "petition-thanks"
    assert Signature.objects.filter(email="alan@example.org").exists()


def has_visible_focus(page) -> bool:
    """Whether the focused element shows a focus indicator: an outline or a box shadow."""
    return page.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2)
                || style.boxShadow !== "none";
        }"""
    )


def test_a_caller_reports_an_outcome_and_the_call_count_rises(page, petition, url):
    page.goto(url(petition))
    fill_form(page)
    page.get_by_role("button", name="Sign", exact=True).click()
    script = page.locator("#petition-thanks .call-script")
    script.wait_for()
    assert script.locator(".call-script__count").inner_text() == "0 calls made"

    with page.expect_navigation():
        script.get_by_role("button", name="Spoke to someone").click()

    assert page.locator(".call-script").get_by_role("status").inner_text() == (
        "Thank you for calling! Your call has been counted."
    )
    assert page.locator(".call-script__count").inner_text() == "1 call made"
    assert CallCounter.objects.get(page_id=petition.pk).count == 1
    audit(page, "the call script after an outcome")


@pytest.mark.parametrize("width,height", [(390, 844), (320, 640)])
def test_on_a_phone_nothing_overflows_and_the_sign_button_is_in_reach(
    browser, petition, url, width, height
):
    page = new_page(browser, viewport={"width": width, "height": height}, is_mobile=True)
    page.goto(url(petition))

    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    page.get_by_role("link", name="Sign now").click()
    sign = page.get_by_role("button", name="Sign", exact=True)
    sign.scroll_into_view_if_needed()
    box = sign.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert box["height"] >= 24 and box["width"] >= 24
    fill_form(page)
    sign.click()
    page.get_by_role("heading", name="Thank you, Ada!").wait_for()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    page.context.close()
