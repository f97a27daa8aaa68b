"""Where the demo's postal code areas are, for the dashboard's map of support
(``WAGTAILPETITION_POSTAL_AREA_LOCATOR = "home.areas.locate"``).

A site would look its areas up in a gazetteer; the demo's ZIP3 areas of
Illinois get a point near the middle of each, rounded: plausible, not surveyed.
"""

#: ZIP3 area -> (latitude, longitude).
AREAS = {
    "600": (42.25, -87.95),
    "601": (41.95, -88.15),
    "602": (42.05, -87.70),
    "604": (41.55, -87.75),
    "605": (41.80, -88.10),
    "606": (41.85, -87.65),
    "609": (41.10, -87.90),
    "610": (42.30, -89.05),
    "613": (41.35, -89.10),
    "616": (40.70, -89.60),
    "617": (40.50, -88.95),
    "618": (40.10, -88.25),
    "625": (39.80, -89.65),
}


def locate(area: str) -> tuple[float, float] | None:
    """The point of a demo area, or None for an area the demo does not know."""
    return AREAS.get(area)
