"""The petition's map in Chromium: drawn with the vendored Leaflet only once it
scrolls into view, under the page's strict Content-Security-Policy, and set by
an editor with a click in the page editor. Every tile is answered here."""

import io
from decimal import Decimal

import pytest
from PIL import Image, ImageDraw

from tests.browser.conftest import audit, log_in, new_page, screenshot
from tests.factories import PetitionPageFactory, UserFactory, call_script
from wagtail_petition.models import PetitionPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TILES = "https://tile.openstreetmap.org/**"


def tile_png() -> bytes:
    """A stand-in tile: a grid of streets on OpenStreetMap's land colour."""
    image = Image.new("RGB", (256, 256), (242, 239, 233))
    draw = ImageDraw.Draw(image)
    for at in range(0, 256, 64):
        draw.line([(at, 0), (at, 255)], fill=(255, 255, 255), width=6)
        draw.line([(0, at), (255, at)], fill=(255, 255, 255), width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def serve_tiles(page) -> list:
    """Answer every request for a tile with a small PNG; the requests' URLs."""
    asked, body = [], tile_png()

    def fulfill(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=body)

    page.route(TILES, fulfill)
    return asked


def record_csp_violations(page) -> None:
    page.add_init_script(
        """window.cspViolations = [];
        document.addEventListener("securitypolicyviolation", (event) => {
            window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
        });"""
    )


@pytest.fixture
def placed(transactional_db):
    """A petition whose map is below the fold: a long text, then the call script."""
    paragraphs = [("paragraph", f"<p>Reason {n}: the branches are full.</p>") for n in range(12)]
    return PetitionPageFactory(
        location="Lakeport, IL, USA",
        latitude=Decimal("42.196"),
        longitude=Decimal("-87.796"),
        body=[*paragraphs, call_script()],
    )


def focused(page) -> str:
    """What has the keyboard focus, for the record of a Tab walk."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const inMap = !!el.closest(".petition-map");
            if (el.classList.contains("petition-map__canvas")) return "map";
            if (el.closest(".leaflet-marker-pane")) return "marker";
            if (inMap) return "map control: " + (el.title || el.textContent.trim());
            return "after the map: " + (el.name || el.textContent.trim() || el.tagName);
        }"""
    )


def test_the_map_loads_when_it_scrolls_into_view_and_keeps_the_policy(page, url, placed):
    tiles = serve_tiles(page)
    record_csp_violations(page)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    page.goto(url(placed))
    page.wait_for_load_state("networkidle")
    assert not any("leaflet" in address for address in requested)
    assert not tiles

    canvas = page.get_by_role("region", name="Map of Lakeport, IL, USA")
    canvas.scroll_into_view_if_needed()
    canvas.locator(".leaflet-tile-loaded").first.wait_for()
    marker = canvas.get_by_role("button", name="Lakeport, IL, USA").or_(
        canvas.locator("img.leaflet-marker-icon[alt='Lakeport, IL, USA']")
    )
    marker.first.wait_for()

    assert any(address.endswith("/vendor/leaflet/leaflet.js") for address in requested)
    assert all(t.startswith("https://tile.openstreetmap.org/14/") for t in tiles)
    attribution = canvas.locator(".leaflet-control-attribution")
    assert "OpenStreetMap contributors" in attribution.inner_text()
    audit(page, "the petition's map")
    assert page.evaluate("() => window.cspViolations") == []
    assert not errors
    page.evaluate("() => document.activeElement.blur()")
    screenshot(page.locator(".petition-place"), "petition-map")


def test_tab_walks_through_the_map_once_and_on(page, url, placed):
    serve_tiles(page)
    page.goto(url(placed))
    link = page.get_by_role("link", name="Lakeport, IL, USA")
    link.scroll_into_view_if_needed()
    page.locator(".petition-map .leaflet-tile-loaded").first.wait_for()

    link.focus()
    stops = []
    while not stops or not stops[-1].startswith("after the map") and len(stops) < 10:
        page.keyboard.press("Tab")
        stops.append(focused(page))

    # The map itself, then Leaflet's zoom buttons and attribution links: never
    # the marker or a tile, and never back.
    assert stops[0] == "map"
    assert stops[1:3] == ["map control: Zoom in", "map control: Zoom out"]
    assert all(stop.startswith("map control") for stop in stops[3:-1])
    assert len(stops) <= 7, stops
    assert stops[-1].startswith("after the map")


def test_without_javascript_the_location_links_to_openstreetmap(browser, url, placed):
    page = new_page(browser, java_script_enabled=False)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(url(placed))
        link = page.get_by_role("link", name="Lakeport, IL, USA")

        assert link.get_attribute("href") == (
            "https://www.openstreetmap.org/?mlat=42.196&mlon=-87.796#map=14/42.196/-87.796"
        )
        assert not page.locator(".petition-map").is_visible()  # no empty box
        assert not any("leaflet" in address for address in requested)
    finally:
        page.context.close()


def test_an_editor_clicks_the_map_and_saves_the_point(page, live_server):
    serve_tiles(page)
    petition = PetitionPageFactory(location="Lakeport, IL, USA")
    editor = UserFactory(is_superuser=True, is_staff=True)
    log_in(page, live_server.url, editor.username, "secret-password")

    page.goto(f"{live_server.url}/admin/pages/{petition.pk}/edit/")
    page.get_by_role("tab", name="Petition").click()
    latitude, longitude = page.get_by_label("Latitude"), page.get_by_label("Longitude")
    latitude.fill("42.19")
    longitude.fill("-87.79")
    admin_map = page.get_by_role("region", name="Map: click to set the place")
    admin_map.locator("img.leaflet-marker-icon").wait_for()  # the map follows typed values
    admin_map.locator(".leaflet-tile-loaded").first.wait_for()

    box = admin_map.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.25)

    picked = float(latitude.input_value()), float(longitude.input_value())
    assert picked[0] > 42.19 and picked[1] > -87.79  # north-east of the centre
    page.evaluate("() => document.activeElement.blur()")
    screenshot(page.get_by_role("region", name="Place", exact=True), "admin-petition-map")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("has been published").wait_for()

    petition = PetitionPage.objects.get(pk=petition.pk)
    assert (float(petition.latitude), float(petition.longitude)) == pytest.approx(picked)
