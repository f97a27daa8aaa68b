"""Sharing after signing, in a real browser: the browser's own share sheet where
it has one, a copied link, plain links, each naming its channel and the
signer's referral code; a friend who signs through the link is credited, and
the organizer sees where signatures came from."""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from home.management.commands.load_demo import ADMIN_PASSWORD, ADMIN_USERNAME
from tests.browser.conftest import audit, log_in, new_page, screenshot
from tests.factories import SignatureFactory
from wagtail_petition.models import Signature
from wagtail_petition.signing import sign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A stand-in for the browser's share sheet, which headless Chromium may lack:
# it records what the page asks to share.
SHARE_STUB = """
window.sharedData = [];
Object.defineProperty(navigator, "share", {
    configurable: true,
    value: function (data) { window.sharedData.push(data); return Promise.resolve(); },
});
"""


def sign_in_page(page, first_name, email):
    page.get_by_label("First name", exact=True).fill(first_name)
    page.get_by_label("Last name", exact=True).fill("Byron")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Postal code", exact=True).fill("60601")
    page.get_by_role("button", name="Sign", exact=True).click()
    page.locator("#petition-thanks").wait_for()


def shared_query(link: str) -> dict:
    """``source`` and ``ref`` of the petition URL inside a share link."""
    inner = unquote(link)
    query = urlsplit(inner[inner.rindex("http") :].split()[0]).query
    return {key: values[0] for key, values in parse_qs(query).items()}


def test_a_signer_shares_and_a_friend_who_signs_is_credited(browser, petition, url):
    page = new_page(
        browser,
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
    page.add_init_script(SHARE_STUB)
    page.goto(url(petition))
    sign_in_page(page, "Ada", "ada@example.org")
    code = Signature.objects.get(email="ada@example.org").referral_code

    share = page.get_by_role("button", name="Share…")
    share.click()
    page.wait_for_function("() => window.sharedData.length === 1")
    shared = page.evaluate("() => window.sharedData[0]")
    assert f"source=share&ref={code}" in shared["url"]
    assert shared["title"] == petition.title

    page.get_by_role("button", name="Copy link").click()
    status = page.get_by_role("status").filter(has_text="Link copied")
    status.wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert shared_query(copied) == {"source": "link", "ref": code}

    for name, channel in [
        ("Email", "email"),
        ("WhatsApp", "whatsapp"),
        ("Facebook", "facebook"),
        ("Bluesky", "bluesky"),
    ]:
        href = page.get_by_role("link", name=name, exact=True).get_attribute("href")
        assert shared_query(href) == {"source": channel, "ref": code}, name
    audit(page, "the thank-you state with the share panel")

    friend = new_page(browser, viewport={"width": 390, "height": 844})
    friend.goto(f"{url(petition)}?source=whatsapp&ref={code}")
    sign_in_page(friend, "Bea", "bea@example.org")
    bea = Signature.objects.get(email="bea@example.org")
    assert (bea.source, bea.referred_by) == ("whatsapp", code)
    friend.context.close()

    page.reload()
    assert page.get_by_text("Your link has brought 1 person so far.").is_visible()
    page.context.close()


def test_the_share_button_shows_only_where_the_browser_can_share(page, petition, url):
    page.goto(url(petition))
    sign_in_page(page, "Grace", "grace@example.org")

    can_share = page.evaluate("() => typeof navigator.share === 'function'")
    assert page.get_by_role("button", name="Share…").is_visible() is can_share
    # The plain links are there either way.
    assert page.get_by_role("link", name="WhatsApp").is_visible()


def test_the_organizer_sees_where_signatures_came_from(browser, live_server, demo):
    # A demo signer's friends signed through her links.
    referrer = Signature.objects.filter(petition_id=demo.pk).order_by("pk").first()
    for source in ["whatsapp", "whatsapp", "whatsapp", "email", "bluesky"]:
        sign(demo, source=source, referred_by=referrer.referral_code, **SignatureFactory())

    page = new_page(browser, viewport={"width": 1280, "height": 800})
    log_in(page, live_server.url, ADMIN_USERNAME, ADMIN_PASSWORD)
    admin = live_server.url + "/admin/"

    page.goto(f"{admin}reports/petitions/{demo.pk}/")
    section = page.locator(
        "section", has=page.get_by_role("heading", name="Where signatures came from")
    )
    assert section.get_by_role("link", name="whatsapp").is_visible()
    assert section.get_by_text(referrer.referral_code).is_visible()
    screenshot(section, "admin-sources-report")

    section.get_by_role("link", name="whatsapp").click()
    page.wait_for_load_state()
    assert "source=whatsapp" in page.url
    assert page.locator("table.listing tbody tr").count() == 3
    page.context.close()
