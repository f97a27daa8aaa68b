"""The demo petition's link preview: its tags under the example site's strict
Content-Security-Policy, and its generated share image, for the editor's guide."""

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def meta(page, key):
    selector = f'meta[property="{key}"], meta[name="{key}"]'
    return page.locator(selector).first.get_attribute("content")


def test_the_demo_petitions_link_preview_and_share_image(page, url, demo, live_server):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text else 0)

    response = page.goto(url(demo))

    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert meta(page, "og:title") == demo.title
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "og:url") == demo.full_url
    image_url = meta(page, "og:image")
    assert meta(page, "twitter:image") == image_url
    assert meta(page, "og:image:alt")
    assert not violations, violations  # the page's own; Chromium's image viewer has its own

    # The site's hostname is the demo's, not the live server's: the same path there.
    parts = urlsplit(image_url)
    page.set_viewport_size({"width": 1200, "height": 630})
    image = page.goto(f"{live_server.url}{parts.path}?{parts.query}")
    assert image.status == 200
    assert image.headers["content-type"] == "image/png"
    shown = page.locator("img")
    assert shown.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [1200, 630]
    screenshot(shown, "share-image")
