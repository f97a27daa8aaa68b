"""Where support comes from: a petition's counted signatures by postal code area,
on its dashboard (table, chart, map, CSV) and, if the editor wants, on its page;
never a group of fewer than 5 signatures on its own."""

import csv
import io
import json
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import PetitionPageFactory, admin_user_with
from tests.test_reports import TableReader
from wagtail_petition.models import PetitionPage, Signature
from wagtail_petition.signing import sign

SERIAL = iter(range(10**6))


def sign_in(petition, postal_code, n, status=Signature.Status.COUNTED):
    """``n`` signatures on ``petition`` from ``postal_code``."""
    for _ in range(n):
        number = next(SERIAL)
        sign(
            petition,
            email=f"area-signer-{number}@example.org",
            first_name="Sam",
            last_name=f"Signer {number}",
            postal_code=postal_code,
            status=status,
        )


def dashboard(client, petition):
    return client.get(reverse("wagtail_petition_dashboard", args=[petition.pk]))


def area_section(html: str) -> str:
    start = html.index('class="petition-dashboard__section petition-dashboard__areas"')
    return html[start : html.index("</section>", start)]


def area_table(client, petition) -> list[list[str]]:
    """The rows of "Where support comes from" (area, signatures, share)."""
    reader = TableReader()
    reader.feed(area_section(dashboard(client, petition).content.decode()))
    return [row for row in reader.rows if row and row[0] != "Area"]


def export(client, petition, fmt="csv"):
    url = reverse("wagtail_petition_areas_export", args=[petition.pk])
    return client.get(url, {"export": fmt})


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def petition(db):
    return PetitionPageFactory(title="Save the park")


# Grouping and the floor ------------------------------------------------------------


def test_an_area_of_5_is_shown_and_one_of_4_goes_to_other_areas(admin_client, petition):
    sign_in(petition, "60601", 3)
    sign_in(petition, "60614", 2)
    sign_in(petition, "60401", 4)

    assert area_table(admin_client, petition) == [
        ["606", "5", "56%"],
        ["Other areas", "4", "44%"],
    ]


def test_areas_are_sorted_by_count_and_other_areas_comes_last(admin_client, petition):
    sign_in(petition, "60501", 6)
    sign_in(petition, "60601", 9)
    sign_in(petition, "61001", 1)
    sign_in(petition, "62501", 1)

    rows = area_table(admin_client, petition)

    assert [row[:2] for row in rows] == [["606", "9"], ["605", "6"], ["Other areas", "2"]]


def test_postal_codes_group_by_their_first_characters_in_any_case(admin_client, petition):
    # Stored as given, e.g. by an import: the sign form would upper-case them.
    sign_in(petition, "sw1a 1aa", 2)
    sign_in(petition, "SW1A 2BB", 2)
    sign_in(petition, "Sw1P 3JX", 1)

    assert area_table(admin_client, petition) == [["SW1", "5", "100%"]]


def test_the_area_is_as_long_as_retention_keeps(admin_client, petition, settings):
    settings.WAGTAILPETITION_RETENTION_POSTAL_CODE_PREFIX = 2
    sign_in(petition, "60601", 3)
    sign_in(petition, "60401", 2)

    assert area_table(admin_client, petition) == [["60", "5", "100%"]]


def test_anonymised_signatures_count_in_the_area_they_keep(admin_client, db):
    petition = PetitionPageFactory(deadline=timezone.now() - timedelta(days=1))
    sign_in(petition, "60601", 3)
    sign_in(petition, "60615", 2)
    call_command("petition_anonymise", "--days=0", "--limit=4", stdout=StringIO())

    assert Signature.objects.filter(postal_code="606").count() == 4
    assert area_table(admin_client, petition) == [["606", "5", "100%"]]


def test_held_and_pending_signatures_are_not_counted(admin_client, petition):
    sign_in(petition, "60601", 5)
    sign_in(petition, "60401", 5, status=Signature.Status.HELD)
    sign_in(petition, "60501", 5, status=Signature.Status.PENDING)

    assert area_table(admin_client, petition) == [["606", "5", "100%"]]


def test_signatures_without_postal_code_have_a_row_of_their_own_from_5(admin_client, petition):
    sign_in(petition, "", 5)
    sign_in(petition, "60601", 5)
    sign_in(petition, "60401", 1)

    assert area_table(admin_client, petition) == [
        ["606", "5", "45%"],
        ["No postal code", "5", "45%"],
        ["Other areas", "1", "9%"],
    ]


def test_a_few_without_postal_code_go_to_other_areas(admin_client, petition):
    sign_in(petition, "", 4)
    sign_in(petition, "60601", 5)

    assert area_table(admin_client, petition) == [
        ["606", "5", "56%"],
        ["Other areas", "4", "44%"],
    ]


def test_the_dashboard_lists_the_top_20_areas_then_other_areas(admin_client, petition):
    for n in range(22):
        sign_in(petition, f"{600 + n}01", 5 + (n < 3))

    rows = area_table(admin_client, petition)

    assert len(rows) == 21
    assert [row[0] for row in rows[:3]] == ["600", "601", "602"]
    assert rows[-1][:2] == ["Other areas", "10"]  # the 21st and 22nd areas


def test_a_petition_nobody_signed_has_no_areas(admin_client, petition):
    section = area_section(dashboard(admin_client, petition).content.decode())

    assert "No signatures yet." in section
    assert "<table" not in section


# The chart -----------------------------------------------------------------------


def test_the_chart_draws_one_bar_per_row_of_the_table(admin_client, petition):
    sign_in(petition, "60601", 8)
    sign_in(petition, "60501", 5)
    sign_in(petition, "60401", 2)

    section = area_section(dashboard(admin_client, petition).content.decode())
    svg = section[section.index("<svg") : section.index("</svg>")]

    assert 'role="img"' in svg and "Signatures by postal code area" in svg
    bar = r'<rect class="petition-areas-chart__bar"[^>]*><title>([^<]*)</title>'
    titles = re.findall(bar, svg)
    assert titles == ["606: 8", "605: 5", "Other areas: 2"]
    widths = [float(w) for w in re.findall(r'<rect[^>]* width="([\d.]+)"', svg)]
    assert widths[0] > widths[1] > widths[2] > 0
    assert "style=" not in section and "<script" not in section


# The export ----------------------------------------------------------------------


def test_the_areas_export_as_csv_with_the_same_floor(admin_client, petition):
    sign_in(petition, "60601", 6)
    sign_in(petition, "60401", 2)
    sign_in(petition, "60501", 2)

    response = export(admin_client, petition)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert 'filename="support-by-area-' in response["Content-Disposition"]
    assert csv_rows(response) == [
        ["Area", "Signatures", "Share of total (%)"],
        ["606", "6", "60.0"],
        ["Other areas", "4", "40.0"],
    ]


def test_the_export_lists_every_area_over_the_floor(admin_client, petition):
    for n in range(22):
        sign_in(petition, f"{600 + n}01", 5)

    rows = csv_rows(export(admin_client, petition))

    assert len(rows) == 1 + 22
    assert "Other areas" not in [row[0] for row in rows]


def test_the_dashboard_links_to_the_export(admin_client, petition):
    sign_in(petition, "60601", 5)

    section = area_section(dashboard(admin_client, petition).content.decode())

    url = reverse("wagtail_petition_areas_export", args=[petition.pk])
    assert f'href="{url}"' in section and "Download the areas (CSV)" in section


def test_an_area_that_reads_as_a_formula_is_exported_as_text(admin_client, petition):
    sign_in(petition, "=HYPERLINK", 5)

    rows = csv_rows(export(admin_client, petition))

    assert rows[1] == ["'=HY", "5", "100.0"]


def test_an_unknown_export_format_is_a_bad_request(admin_client, petition):
    assert export(admin_client, petition, "pdf").status_code == 400


def test_only_petitions_have_an_areas_export(admin_client, petition):
    url = reverse("wagtail_petition_areas_export", args=[petition.get_parent().pk])
    assert admin_client.get(url).status_code == 404


def test_a_user_who_may_view_signatures_may_export_the_areas(client, petition):
    sign_in(petition, "60601", 5)
    client.force_login(admin_user_with("view_signature"))

    assert dashboard(client, petition).status_code == 200
    assert export(client, petition).status_code == 200


def test_a_user_who_may_not_view_signatures_sees_no_areas(client, petition):
    sign_in(petition, "60601", 5)
    client.force_login(admin_user_with())

    assert dashboard(client, petition).status_code == 403
    assert export(client, petition).status_code == 403
    assert export(client, petition, "xlsx").status_code == 403


# The map -------------------------------------------------------------------------


def map_data(html: str):
    found = re.search(
        r'<script id="petition-areas-map-data" type="application/json">(.*?)</script>', html
    )
    return json.loads(found.group(1)) if found else None


def test_without_a_locator_there_is_no_map(admin_client, petition):
    sign_in(petition, "60601", 5)

    html = dashboard(admin_client, petition).content.decode()

    assert map_data(html) is None
    assert "leaflet" not in html and "admin-areas-map.js" not in html


def test_with_a_locator_the_map_places_the_areas_over_the_floor(admin_client, petition, settings):
    settings.WAGTAILPETITION_POSTAL_AREA_LOCATOR = "home.areas.locate"
    settings.WAGTAILPETITION_MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    sign_in(petition, "60601", 7)
    sign_in(petition, "60501", 5)
    sign_in(petition, "61001", 4)  # known to the locator, but under the floor
    sign_in(petition, "99901", 5)  # over the floor, unknown to the locator

    html = dashboard(admin_client, petition).content.decode()
    data = map_data(html)

    assert [(a["area"], a["count"], a["label"]) for a in data["areas"]] == [
        ("606", 7, "606: 7 signatures"),
        ("605", 5, "605: 5 signatures"),
    ]
    assert data["areas"][0]["lat"] == pytest.approx(41.85)
    assert data["tile_url"] == "https://tiles.example/{z}/{x}/{y}.png"
    assert "OpenStreetMap" in data["attribution"]
    assert 'data-map-data="petition-areas-map-data"' in html
    assert "wagtail_petition/vendor/leaflet/leaflet.js" in html
    assert "wagtail_petition/js/admin-areas-map.js" in html


def test_a_locator_that_places_nothing_shows_no_map(admin_client, petition, settings):
    settings.WAGTAILPETITION_POSTAL_AREA_LOCATOR = "home.areas.locate"
    sign_in(petition, "99901", 5)

    html = dashboard(admin_client, petition).content.decode()

    assert map_data(html) is None
    assert area_table(admin_client, petition) == [["999", "5", "100%"]]


# The page ------------------------------------------------------------------------


def top_areas(html: str) -> list[str] | None:
    """The items of the page's "Top areas", or None when it has none."""
    if 'id="petition-top-areas"' not in html:
        return None
    section = html[html.index('id="petition-top-areas"') :]
    items = re.findall(r"<li>(.*?)</li>", section[: section.index("</ol>")], re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_the_page_shows_no_top_areas_unless_the_editor_asks(client, petition):
    sign_in(petition, "60601", 5)

    assert top_areas(client.get(petition.url).content.decode()) is None


def test_the_page_shows_the_5_biggest_areas_over_the_floor(client, petition):
    PetitionPage.objects.filter(pk=petition.pk).update(show_top_areas=True)
    for n, count in enumerate([9, 8, 7, 6, 5, 5]):
        sign_in(petition, f"{600 + n}01", count)
    sign_in(petition, "", 12)
    sign_in(petition, "61901", 4)

    html = client.get(petition.url).content.decode()

    assert "Top areas" in html
    assert top_areas(html) == [
        "600 9 signatures",
        "601 8 signatures",
        "602 7 signatures",
        "603 6 signatures",
        "604 5 signatures",
    ]
    assert "Other areas" not in html and "No postal code" not in html


def test_the_page_shows_no_top_areas_when_every_area_is_under_the_floor(client, petition):
    PetitionPage.objects.filter(pk=petition.pk).update(show_top_areas=True)
    sign_in(petition, "60601", 4)
    sign_in(petition, "60401", 4)

    assert top_areas(client.get(petition.url).content.decode()) is None


def queries_to_render(client, petition) -> int:
    client.get(petition.url)  # warm Wagtail's caches (site root paths)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(petition.url).status_code == 200
    return len(captured)


def test_top_areas_cost_the_page_one_query(client, petition):
    sign_in(petition, "60601", 5)
    without = queries_to_render(client, petition)

    PetitionPage.objects.filter(pk=petition.pk).update(show_top_areas=True)

    assert queries_to_render(client, petition) == without + 1


def test_editors_find_the_option_in_the_petition_tab(admin_client, petition):
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[petition.pk])).content
    html = html.decode()

    assert 'name="show_top_areas"' in html
    assert html.index('name="fixed_goal"') < html.index('name="show_top_areas"')


# The demo ------------------------------------------------------------------------


def test_the_demo_has_areas_over_and_under_the_floor_all_on_its_map(admin_client, db, settings):
    settings.WAGTAILPETITION_POSTAL_AREA_LOCATOR = "home.areas.locate"
    call_command("load_demo", stdout=StringIO())
    demo = PetitionPage.objects.order_by("pk").first()  # English; Spanish is its translation

    html = dashboard(admin_client, demo).content.decode()
    rows = area_table(admin_client, demo)

    assert [row[0] for row in rows] == ["606", "605", "604", "600", "601", "Other areas"]
    assert rows[-1][1] == "11"
    assert [area["area"] for area in map_data(html)["areas"]] == [row[0] for row in rows[:-1]]


# The locator's setting -------------------------------------------------------------


def locator_errors():
    return [m for m in run_checks() if m.id == "wagtail_petition.E005"]


def test_a_locator_that_does_not_import_is_an_error(settings, db):
    settings.WAGTAILPETITION_POSTAL_AREA_LOCATOR = "home.areas.nowhere"

    assert locator_errors()


def test_the_demos_locator_passes_the_checks(settings, db):
    settings.WAGTAILPETITION_POSTAL_AREA_LOCATOR = "home.areas.locate"

    assert not locator_errors()
