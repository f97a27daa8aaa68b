"""Where support comes from: a petition's counted signatures per postal code area.

An area is what retention keeps of a postal code
(``privacy.postal_code_area(WAGTAILPETITION_RETENTION_POSTAL_CODE_PREFIX)``, the
first 3 characters by default), in upper case with surrounding spaces trimmed,
so that a signature counts in the same area before and after it is anonymised.

No group of fewer than ``FLOOR`` signatures is ever shown on its own: such
areas, and an empty postal code under the floor, are merged into "Other areas".
"""

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import Trim, Upper
from django.utils.translation import gettext_lazy as _

from .conf import app_settings
from .privacy import postal_code_area
from .records.signatures import Signature

#: The fewest signatures a group may have to be shown on its own (the privacy floor).
FLOOR = 5

AREA = "area"
NO_POSTAL_CODE = "none"
OTHER = "other"


@dataclass(frozen=True)
class AreaSupport:
    """One row of support: an area's counted signatures and their ``share``
    (percent of the petition's counted signatures). ``kind`` is ``AREA``,
    ``NO_POSTAL_CODE`` or ``OTHER`` (the merged groups under the floor), and
    ``area`` is "" for the last two."""

    area: str
    count: int
    share: float
    kind: str = AREA

    @property
    def label(self) -> str:
        if self.kind == OTHER:
            return str(_("Other areas"))
        if self.kind == NO_POSTAL_CODE:
            return str(_("No postal code"))
        return self.area


def area_expression(prefix: int | None = None):
    """The database expression grouping signatures by area."""
    if prefix is None:
        prefix = app_settings.RETENTION_POSTAL_CODE_PREFIX
    return Trim(Upper(postal_code_area(prefix)))


def area_counts(petition_id) -> dict[str, int]:
    """Counted signatures of the petition per area ("" for no postal code),
    anonymised ones included, in one grouped query."""
    return dict(
        Signature.objects.filter(petition_id=petition_id, status=Signature.Status.COUNTED)
        .annotate(area=area_expression())
        .values_list("area")
        .annotate(n=Count("pk"))
        .order_by()
    )


def group(counts: dict[str, int], *, limit: int | None = None) -> list[AreaSupport]:
    """The rows of ``counts`` (area -> signatures), most first: each area with at
    least ``FLOOR`` signatures, "No postal code" likewise, then one "Other areas"
    row with everything else (the areas under the floor and, with ``limit``,
    those past the first ``limit`` rows); no "Other areas" row when nothing is
    left for it."""
    total = sum(counts.values())
    shown = sorted(
        ((area, n) for area, n in counts.items() if n >= FLOOR),
        # Equal counts: areas by name, "No postal code" after them.
        key=lambda item: (-item[1], not item[0], item[0]),
    )
    if limit is not None:
        shown = shown[:limit]
    rows = [
        AreaSupport(area, n, 100 * n / total, AREA if area else NO_POSTAL_CODE)
        for area, n in shown
    ]
    other = total - sum(row.count for row in rows)
    if other:
        rows.append(AreaSupport("", other, 100 * other / total, OTHER))
    return rows


def support_by_area(petition_id, *, limit: int | None = None) -> list[AreaSupport]:
    """The petition's support by area (see ``group()``), in one query."""
    return group(area_counts(petition_id), limit=limit)


def top_areas(petition_id, limit: int = 5) -> list[AreaSupport]:
    """The ``limit`` areas with the most counted signatures, never one under the
    floor, nor "No postal code" or "Other areas": what a petition's page may show."""
    return [row for row in support_by_area(petition_id) if row.kind == AREA][:limit]


def located(rows: list[AreaSupport], locator) -> list[dict]:
    """The map's circles: each area of ``rows`` the ``locator`` places, with its
    ``area``, ``count``, ``lat`` and ``lon``. Merged rows are never placed."""
    points = []
    for row in rows:
        if row.kind != AREA or row.count < FLOOR:
            continue
        point = locator(row.area)
        if point is None:
            continue
        lat, lon = (float(value) for value in point)
        points.append({"area": row.area, "count": row.count, "lat": lat, "lon": lon})
    return points
