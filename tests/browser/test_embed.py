"""The petition framed on another site, in a browser that blocks third-party
cookies: the partner's page (a second server, on another host) pastes the
snippet; visitors sign inside the frame, with JavaScript on and off."""

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from wagtail.models import Site

from home.management.commands.load_demo import ADMIN_PASSWORD, ADMIN_USERNAME
from tests.browser.conftest import audit, launch, log_in, new_page, screenshot
from wagtail_petition.models import Signature

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARTNER_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Lakeport Allies</title></head>
<body><main><h1>Lakeport Allies</h1><p>Our friends' petition:</p>{snippet}</main></body></html>
"""


@pytest.fixture(scope="module")
def blocking_browser(playwright):
    """Chromium blocking third-party cookies, as browsers do more and more."""
    browser = launch(playwright, "--test-third-party-cookie-phaseout")
    yield browser
    browser.close()


@pytest.fixture
def live_site(live_server, transactional_db):
    """The live server as the default Wagtail site, so full URLs name it."""
    from tests.factories import site_root

    site_root()
    server = urlsplit(live_server.url)
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = server.hostname, server.port
    site.save()
    return live_server.url


@pytest.fixture
def partner(tmp_path):
    """Another site (127.0.0.1, where the petition's site is localhost) serving a
    page with the given snippet; returns its URL."""
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def page_with(snippet):
        (tmp_path / "index.html").write_text(PARTNER_PAGE.format(snippet=snippet))
        return f"http://127.0.0.1:{server.server_port}/index.html"

    yield page_with
    server.shutdown()
    server.server_close()


def snippet_for(live_site, petition, page):
    """The iframe HTML, as the petition's oEmbed endpoint gives it to partners."""
    response = page.request.get(
        f"{live_site}/petitions/oembed/", params={"url": live_site + petition.url}
    )
    assert response.ok
    return response.json()["html"]


def framed(page, partner_url):
    page.goto(partner_url)
    frame = page.frame_locator("iframe")
    frame.get_by_role("heading", level=1).wait_for()
    return frame


def assert_third_party_cookies_blocked(page):
    """The frame can neither read nor keep a cookie of its own site."""
    inner = page.frames[1]
    inner.evaluate("() => { document.cookie = 'probe=1; SameSite=None; Secure; path=/'; }")
    assert inner.evaluate("() => document.cookie") == ""
    assert not [c for c in page.context.cookies() if c["name"] == "probe"]


def fill_form(frame):
    frame.get_by_label("First name", exact=True).fill("Ada")
    frame.get_by_label("Last name", exact=True).fill("Byron")
    frame.get_by_label("Email", exact=True).fill("ada@example.org")


def assert_signed_in_frame(page, frame, petition):
    assert frame.get_by_role("heading", name="Thank you for signing!").is_visible()
    assert frame.locator(".petition-progress__count").inner_text() == "10 signatures"
    assert "/embed/?thanks=" in page.frames[1].url
    assert Signature.objects.filter(petition_id=petition.pk, first_name="Ada").count() == 1
    assert petition.signature_count == 10
    names = {cookie["name"] for cookie in page.context.cookies()}
    assert not names & {"wagtail_petition", "csrftoken", "sessionid"}


def test_signing_inside_another_sites_frame_with_javascript(
    blocking_browser, live_site, partner, petition
):
    page = new_page(blocking_browser, viewport={"width": 900, "height": 900})
    frame = framed(page, partner(snippet_for(live_site, petition, page)))
    assert_third_party_cookies_blocked(page)
    assert frame.locator(".petition-progress__count").inner_text() == "9 signatures"

    fill_form(frame)
    frame.get_by_role("button", name="Sign", exact=True).click()
    frame.locator("#petition-thanks").wait_for()

    assert_signed_in_frame(page, frame, petition)
    assert frame.get_by_role("link", name="Open the full petition").get_attribute("target") == (
        "_blank"
    )
    thanks = new_page(blocking_browser, viewport={"width": 400, "height": 640})
    thanks.goto(page.frames[1].url)
    audit(thanks, "the embed widget's thank-you state")
    thanks.context.close()
    page.context.close()


def test_signing_inside_another_sites_frame_without_javascript(
    blocking_browser, live_site, partner, petition
):
    page = new_page(blocking_browser, java_script_enabled=False)
    frame = framed(page, partner(snippet_for(live_site, petition, page)))

    fill_form(frame)
    frame.get_by_role("button", name="Sign", exact=True).click()
    frame.get_by_role("heading", name="Thank you for signing!").wait_for()

    assert_signed_in_frame(page, frame, petition)
    page.context.close()


def test_an_editor_copies_the_snippet_and_a_partner_frames_it(
    demo, blocking_browser, live_site, partner
):
    # ``demo`` first: the demo's site is then given the live server's address.
    page = new_page(blocking_browser, viewport={"width": 1280, "height": 900})
    log_in(page, live_site, ADMIN_USERNAME, ADMIN_PASSWORD)
    admin = live_site + "/admin/"

    page.goto(f"{admin}reports/petitions/{demo.pk}/")
    section = page.locator(".petition-dashboard__embed")
    snippet = page.get_by_label("Embed code (HTML)").input_value()
    assert snippet.startswith(f'<iframe src="{live_site}{demo.url}embed/"')
    assert page.get_by_label("Petition address").input_value() == live_site + demo.url
    section.scroll_into_view_if_needed()
    screenshot(section, "admin-embed-snippet")

    page.goto(partner(snippet))
    frame = page.frame_locator("iframe")
    frame.get_by_role("button", name="Sign", exact=True).wait_for()
    assert frame.get_by_role("link", name=demo.title).get_attribute("rel") == "noopener"
    screenshot(page.locator("iframe"), "embed-widget")

    widget = new_page(blocking_browser, viewport={"width": 400, "height": 640})
    widget.goto(f"{live_site}{demo.url}embed/")
    audit(widget, "the embed widget")
    widget.context.close()
    page.context.close()
