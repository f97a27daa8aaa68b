"""The petition's place on a map: the location line links to the place on
OpenStreetMap, over a small map drawn from data attributes; editors set the
point in the page editor."""

import re
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

import wagtail_petition
from tests.factories import PetitionPageFactory, site_root
from wagtail_petition.models import PetitionPage

LAKEPORT = {"latitude": Decimal("42.196000"), "longitude": Decimal("-87.796000")}


def map_attributes(html: str) -> dict:
    """The data attributes of the page's map container."""
    canvas = re.search(r"<div class=\"petition-map__canvas\"(.*?)></div>", html, re.S)
    assert canvas, "no map on the page"
    return {
        name: unescape(value) for name, value in re.findall(r'data-([\w-]+)="([^"]*)"', canvas[1])
    }


@pytest.fixture
def placed(db):
    return PetitionPageFactory(location="Lakeport, IL, USA", **LAKEPORT)


def test_a_petition_with_coordinates_links_its_place_to_openstreetmap(client, placed):
    html = client.get(placed.url).content.decode()

    link = "https://www.openstreetmap.org/?mlat=42.196&amp;mlon=-87.796#map=14/42.196/-87.796"
    assert f'<a href="{link}">Lakeport, IL, USA</a>' in html
    assert html.count("Lakeport, IL, USA</a>") == 1  # the line is not repeated in the header


def test_the_map_travels_as_data_attributes_with_a_translated_label(client, placed):
    html = client.get(placed.url).content.decode()

    data = map_attributes(html)
    assert data["latitude"] == "42.196" and data["longitude"] == "-87.796"
    assert data["zoom"] == "14"
    assert data["tile-url"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert (
        'href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>' in (data["attribution"])
    )
    assert data["leaflet-js"] == "/static/wagtail_petition/vendor/leaflet/leaflet.js"
    assert data["leaflet-css"] == "/static/wagtail_petition/vendor/leaflet/leaflet.css"
    assert data["marker-label"] == "Lakeport, IL, USA"
    assert 'role="region"' in html and 'aria-label="Map of Lakeport, IL, USA"' in html
    assert re.search(r'<figure class="petition-map">\s*<div class="petition-map__canvas"', html)


def test_the_maps_leaflet_is_the_apps_own_static_file(client, placed):
    data = map_attributes(client.get(placed.url).content.decode())
    app = Path(wagtail_petition.__file__).parent

    def found(url):
        return Path(finders.find(url.removeprefix(settings.STATIC_URL)))

    for name in ("leaflet-js", "leaflet-css", "marker-icon", "marker-retina", "marker-shadow"):
        assert found(data[name]).is_relative_to(app), name
    assert found(data["leaflet-js"]).read_text().startswith("/* @preserve\n * Leaflet 1.9.4")


def test_the_map_carries_no_inline_script_or_style(client, placed):
    html = client.get(placed.url).content.decode()

    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\ssrc=)", html)


def test_a_petition_without_coordinates_shows_its_location_line_only(client, db):
    petition = PetitionPageFactory(location="Lakeport, IL, USA")

    html = client.get(petition.url).content.decode()

    assert "petition-map" not in html and "openstreetmap" not in html
    assert re.search(r"Location:</span> Lakeport, IL, USA</p>", html)


def test_the_map_follows_the_sites_tile_server_attribution_and_zoom(client, placed, settings):
    settings.WAGTAILPETITION_MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.WAGTAILPETITION_MAP_ATTRIBUTION = "&copy; Example Tiles"
    settings.WAGTAILPETITION_MAP_ZOOM = 11

    response = client.get(placed.url)
    data = map_attributes(response.content.decode())

    assert data["tile-url"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert data["attribution"] == "&copy; Example Tiles"
    assert data["zoom"] == "11"
    assert "#map=11/42.196/-87.796" in response.content.decode()
    # The example site's policy lets the page load that server's tiles, and no other's.
    policy = response["Content-Security-Policy"]
    assert "img-src 'self' data: https://tiles.example.org;" in policy


def test_the_default_policy_allows_openstreetmaps_tiles(client, placed):
    policy = client.get(placed.url)["Content-Security-Policy"]

    assert "img-src 'self' data: https://tile.openstreetmap.org;" in policy
    assert "script-src 'self';" in policy and "style-src 'self';" in policy


# The page editor ---------------------------------------------------------------


def petition_form_data(**fields):
    return nested_form_data(
        {
            "title": "Light the riverside path",
            "slug": "light-the-path",
            "summary": "",
            "location": "Lakeport, IL, USA",
            "latitude": "",
            "longitude": "",
            "targets": streamfield([]),
            "body": streamfield([]),
            "thank_you_message": rich_text(""),
            "consent_text": rich_text(""),
            "postal_code_field": "optional",
            "action-publish": "publish",
            **fields,
        }
    )


def edit(admin_client, petition, **fields):
    return admin_client.post(
        f"/admin/pages/{petition.pk}/edit/",
        petition_form_data(slug=petition.slug, **fields),
    )


def test_the_editor_shows_the_place_with_its_map_in_the_petition_tab(admin_client, placed):
    html = admin_client.get(f"/admin/pages/{placed.pk}/edit/").content.decode()

    petition_tab = html[html.index('id="tab-petition"') :]
    assert 'data-controller="petition-map-input"' in petition_tab
    assert 'data-petition-map-input-latitude-input-value="id_latitude"' in petition_tab
    assert 'name="location"' in petition_tab
    assert 'name="latitude" value="42.196000"' in petition_tab
    assert "wagtail_petition/js/admin-map.js" in html
    assert "wagtail_petition/vendor/leaflet/leaflet.js" in html


def test_an_editor_sets_the_point_and_the_page_shows_it(admin_client, db):
    petition = PetitionPageFactory()

    response = edit(admin_client, petition, latitude="42.2", longitude="-87.8")

    assert response.status_code == 302, response.content.decode()[:2000]
    petition.refresh_from_db()
    assert (petition.latitude, petition.longitude) == (Decimal("42.2"), Decimal("-87.8"))
    assert "?mlat=42.2&amp;mlon=-87.8" in admin_client.get(petition.url).content.decode()


@pytest.mark.parametrize(
    ("latitude", "longitude", "field", "message"),
    [
        ("91", "10", "latitude", "Enter a latitude between -90 and 90."),
        ("-90.5", "10", "latitude", "Enter a latitude between -90 and 90."),
        ("45", "180.5", "longitude", "Enter a longitude between -180 and 180."),
        ("45", "", "longitude", "Enter both the latitude and the longitude, or neither."),
        ("", "10", "latitude", "Enter both the latitude and the longitude, or neither."),
    ],
)
def test_a_bad_point_is_refused_next_to_its_field(
    admin_client, db, latitude, longitude, field, message
):
    petition = PetitionPageFactory()

    response = edit(admin_client, petition, latitude=latitude, longitude=longitude)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors[field] == [message]
    assert message in response.content.decode()
    petition.refresh_from_db()
    assert petition.latitude is None and petition.longitude is None


def test_an_editor_clears_the_point_and_the_map_goes(admin_client, placed):
    response = edit(admin_client, placed, latitude="", longitude="")

    assert response.status_code == 302
    html = admin_client.get(PetitionPage.objects.get(pk=placed.pk).url).content.decode()
    assert "petition-map" not in html
    assert "Location:</span> Lakeport, IL, USA</p>" in html


def test_a_new_petition_can_be_created_with_its_point(admin_client, db):
    response = admin_client.post(
        f"/admin/pages/add/wagtail_petition/petitionpage/{site_root().pk}/",
        petition_form_data(latitude="42.196", longitude="-87.796"),
    )

    assert response.status_code == 302
    assert PetitionPage.objects.get().map_point == (Decimal("42.196"), Decimal("-87.796"))
