"""The petition's place on a map: the vendored Leaflet's static files, the
link to the place on OpenStreetMap and what the page's map is drawn with."""

from decimal import Decimal
from urllib.parse import urlencode

from django.templatetags.static import static

from .conf import app_settings

LEAFLET = "wagtail_petition/vendor/leaflet/"


def leaflet_files() -> dict:
    """Leaflet's script and stylesheet, and its marker's images named
    explicitly: Leaflet's own guess from its stylesheet fails when static files
    have hashed names (ManifestStaticFilesStorage)."""
    return {
        "js": static(LEAFLET + "leaflet.js"),
        "css": static(LEAFLET + "leaflet.css"),
        "marker_icon": static(LEAFLET + "images/marker-icon.png"),
        "marker_retina": static(LEAFLET + "images/marker-icon-2x.png"),
        "marker_shadow": static(LEAFLET + "images/marker-shadow.png"),
    }


def coordinate(value: Decimal) -> str:
    """``value`` in plain decimal notation, never localized: "42.196"."""
    text = format(Decimal(value).normalize(), "f")
    return text if text != "-0" else "0"


def map_settings() -> dict:
    """The tile server, its attribution and the zoom level, as configured."""
    return {
        "tile_url": app_settings.MAP_TILE_URL,
        "attribution": app_settings.MAP_ATTRIBUTION,
        "zoom": app_settings.MAP_ZOOM,
    }


def openstreetmap_url(latitude: str, longitude: str, zoom: int) -> str:
    """The place on openstreetmap.org, with a marker."""
    query = urlencode({"mlat": latitude, "mlon": longitude})
    return f"https://www.openstreetmap.org/?{query}#map={zoom}/{latitude}/{longitude}"
