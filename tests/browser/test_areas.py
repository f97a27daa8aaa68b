"""An organizer sees where support comes from on the demo petition's dashboard:
the map of areas, the chart and the table; the screenshot of the organizer's guide."""

from io import BytesIO

import pytest
from PIL import Image

from home.management.commands.load_demo import ADMIN_PASSWORD, ADMIN_USERNAME
from tests.browser.conftest import audit, log_in, new_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TILES = "https://tiles.example/{z}/{x}/{y}.png"


def tile() -> bytes:
    """A plain 256 px map tile, the colour of open land."""
    out = BytesIO()
    Image.new("RGB", (256, 256), (232, 236, 226)).save(out, "PNG")
    return out.getvalue()


def test_an_organizer_sees_the_map_of_support(browser, live_server, demo, settings):
    settings.WAGTAILPETITION_POSTAL_AREA_LOCATOR = "home.areas.locate"
    settings.WAGTAILPETITION_MAP_TILE_URL = TILES
    page = new_page(browser, viewport={"width": 1280, "height": 1100})
    png = tile()
    tiles_asked = []

    def answer_tile(route):
        tiles_asked.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=png)

    page.route("https://tiles.example/**", answer_tile)
    log_in(page, live_server.url, ADMIN_USERNAME, ADMIN_PASSWORD)

    page.goto(f"{live_server.url}/admin/reports/petitions/{demo.pk}/")
    section = page.locator(".petition-dashboard__areas")
    section.scroll_into_view_if_needed()
    map_region = section.get_by_role("region", name="Map of support by postal code area")
    map_region.locator(".leaflet-tile-loaded").first.wait_for()
    circles = map_region.locator("path.leaflet-interactive")
    assert circles.count() == 5  # the demo's areas over the floor
    assert tiles_asked

    circles.first.hover()
    assert map_region.locator(".leaflet-tooltip").inner_text().endswith("signatures")

    rows = section.locator("table tbody tr")
    assert rows.count() == 6
    assert rows.last.locator("th").inner_text() == "Other areas"
    assert section.get_by_role("img", name="Signatures by postal code area").is_visible()

    page.mouse.move(0, 0)
    audit(page, "the dashboard's map of support")
    # Tall enough for the whole section without scrolling under the sticky header.
    page.set_viewport_size({"width": 1280, "height": 3200})
    screenshot(section, "admin-support-by-area")

    with page.expect_download() as download:
        section.get_by_role("link", name="Download the areas (CSV)").click()
    assert download.value.suggested_filename.endswith(".csv")
    page.context.close()
