"""Organizers follow their petitions in the admin: the petitions report and its
exports, each petition's dashboard with signatures per day, and a panel on the
admin's home page; all for users who may view signatures, and no one else."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from itertools import pairwise

import factory
import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    HomePageFactory,
    PetitionPageFactory,
    SignatureFactory,
    UserFactory,
    call_script,
    site_root,
)
from wagtail_petition.charts import axis_ticks, layout_chart
from wagtail_petition.models import CallReport, Signature
from wagtail_petition.signing import sign

NOW = datetime(2025, 6, 15, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
REPORT = "/admin/reports/petitions/"


class AdminUserFactory(UserFactory):
    """A user of the Wagtail admin, given ``permissions`` ("app_label.codename")
    on top of admin access, through a group of their own."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def permissions(user, create, extracted, **kwargs):
        group = Group.objects.create(name=f"Group of {user.username}")
        for name in ["wagtailadmin.access_admin", *(extracted or [])]:
            app_label, codename = name.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        user.groups.add(group)


def sign_at(petition, moments, status=Signature.Status.COUNTED):
    """Sign ``petition`` once at each moment, in order, through ``signing.sign()``."""
    moments = sorted(moments)
    for moment, signer in zip(moments, SignatureFactory.build_batch(len(moments)), strict=True):
        sign(petition, created_at=moment, status=status, **signer)


class TableReader(HTMLParser):
    """The text of each table row's cells, one list per ``<tr>``."""

    def __init__(self):
        super().__init__()
        self.rows, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html):
    reader = TableReader()
    reader.feed(html)
    return reader.rows


def report_rows(html):
    """The rows of the report's table."""
    start = html.index('id="listing-results"')
    return table_rows(html[start : html.index("</table>", start)])


def per_day_table(html):
    """The chart's table: {day: signatures}."""
    cells = re.findall(
        r'<time datetime="(\d{4}-\d\d-\d\d)">[^<]*</time></th>\s*<td>([\d,]+)</td>', html
    )
    return {date.fromisoformat(day): int(n.replace(",", "")) for day, n in cells}


def bars(html):
    return re.findall(r'<rect class="petition-chart__bar"', html)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def campaign(db, frozen):
    """Three petitions as an organization has them, and a page that is no petition:

    - "park": live, 235 signatures spread over 30 days (milestones up to 100),
      and 3 held back in the last hour, which do not count;
    - "bus": closed two days ago, a fixed goal of 500, 40 signatures 10 days ago;
    - "library": unpublished, nobody signed yet.
    """
    park = PetitionPageFactory(title="Save the park")
    moments = [
        NOW - timedelta(days=d, minutes=30 + 131 * i) for d in range(30) for i in range(5 + d % 7)
    ]
    sign_at(park, moments)
    sign_at(park, [NOW - timedelta(minutes=m) for m in (5, 10, 15)], Signature.Status.HELD)

    bus = PetitionPageFactory(
        title="Fix the bus shelter", fixed_goal=500, deadline=NOW - timedelta(days=2)
    )
    sign_at(bus, [NOW - timedelta(days=10, hours=h) for h in range(40)])

    library = PetitionPageFactory(title="Open the library on Sundays")
    library.unpublish()
    HomePageFactory(title="About us")
    return {"park": park, "bus": bus, "library": library, "park_moments": sorted(moments)}


def since(moments, delta):
    return sum(1 for moment in moments if moment >= NOW - delta)


# The report ------------------------------------------------------------------------


def test_the_report_lists_every_petition_with_its_figures(admin_client, campaign):
    park_moments = campaign["park_moments"]

    response = admin_client.get(REPORT)

    assert response.status_code == 200
    rows = report_rows(response.content.decode())
    assert rows[0][:5] == ["Petition", "Status", "Signatures", "Goal", "Latest milestone"]
    assert rows[0][6:] == ["Last 24 hours", "Last 7 days", "Deadline"]
    body = rows[1:]
    assert [row[0] for row in body] == [
        "Save the park",
        "Fix the bus shelter",
        "Open the library on Sundays",
    ]
    park, bus, library = body
    assert park[1:5] == ["Live", "235", "500", "100"]
    assert park[6:8] == [
        str(since(park_moments, timedelta(hours=24))),
        str(since(park_moments, timedelta(days=7))),
    ]
    assert bus[1:5] == ["Closed", "40", "500", "25"]
    assert bus[6:8] == ["0", "0"]
    assert library[1:5] == ["Unpublished", "0", "10", ""]
    dashboard = reverse("wagtail_petition_dashboard", args=[campaign["park"].pk])
    assert f'href="{dashboard}"' in response.content.decode()


def test_the_reports_queries_do_not_grow_with_the_number_of_petitions(admin_client, campaign):
    with CaptureQueriesContext(connection) as three:
        admin_client.get(REPORT)
    for _ in range(4):
        sign_at(PetitionPageFactory(), [NOW - timedelta(hours=1)])

    with CaptureQueriesContext(connection) as seven:
        response = admin_client.get(REPORT)

    assert len(report_rows(response.content.decode())) == 1 + 7
    assert len(seven) == len(three)


def test_the_report_exports_its_rows_as_csv(admin_client, campaign):
    park_moments = campaign["park_moments"]

    response = admin_client.get(REPORT + "?export=csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="petitions-2025-06-15.csv"' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()
    rows = {row["Petition"]: row for row in csv.DictReader(io.StringIO(text))}
    assert set(rows) == {"Save the park", "Fix the bus shelter", "Open the library on Sundays"}
    assert rows["Save the park"] == {
        "Petition": "Save the park",
        "Status": "Live",
        "Signatures": "235",
        "Goal": "500",
        "Latest milestone": "100",
        "Milestone reached": str(park_moments[99]),
        "Last 24 hours": str(since(park_moments, timedelta(hours=24))),
        "Last 7 days": str(since(park_moments, timedelta(days=7))),
        "Deadline": "",
    }
    assert rows["Fix the bus shelter"]["Status"] == "Closed"
    assert rows["Fix the bus shelter"]["Deadline"] == str(NOW - timedelta(days=2))
    assert rows["Open the library on Sundays"]["Signatures"] == "0"


def test_the_report_exports_as_xlsx(admin_client, campaign):
    response = admin_client.get(REPORT + "?export=xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header, first, *rest = workbook.active.iter_rows(values_only=True)
    assert header[:3] == ("Petition", "Status", "Signatures")
    assert first[:4] == ("Save the park", "Live", 235, 500)
    assert len(rest) == 2


def test_the_report_export_neutralises_a_title_that_reads_as_a_formula(admin_client, db):
    PetitionPageFactory(title="@SUM(1+1)*cmd")

    csv_text = b"".join(admin_client.get(REPORT + "?export=csv").streaming_content).decode()
    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(admin_client.get(REPORT + "?export=xlsx").streaming_content))
    )
    _header, first = workbook.active.iter_rows(values_only=True)

    assert next(csv.DictReader(io.StringIO(csv_text)))["Petition"] == "'@SUM(1+1)*cmd"
    assert first[0] == "'@SUM(1+1)*cmd"


# A petition's dashboard ----------------------------------------------------------------


def dashboard(client, petition):
    return client.get(reverse("wagtail_petition_dashboard", args=[petition.pk]))


def test_the_dashboard_charts_the_last_30_days_with_empty_days_as_zero(admin_client, frozen):
    petition = PetitionPageFactory()
    signed = {40: 2, 29: 3, 10: 1, 0: 4}  # days ago: signatures
    sign_at(
        petition,
        [NOW - timedelta(days=d, hours=1 + i) for d, n in signed.items() for i in range(n)],
    )

    html = dashboard(admin_client, petition).content.decode()

    assert len(bars(html)) == 30
    days = per_day_table(html)
    assert list(days) == [TODAY - timedelta(days=d) for d in range(29, -1, -1)]
    assert {TODAY - timedelta(days=d): n for d, n in signed.items() if d < 30} == {
        day: n for day, n in days.items() if n
    }
    assert sum(1 for n in days.values() if n == 0) == 27
    assert "8 signatures in all; the busiest day was June 15, 2025, with 4." in html


def test_the_chart_starts_at_a_young_petitions_first_signature(admin_client, frozen):
    petition = PetitionPageFactory()
    sign_at(petition, [NOW - timedelta(days=5), NOW - timedelta(hours=2)])

    html = dashboard(admin_client, petition).content.decode()

    assert len(bars(html)) == 6
    assert per_day_table(html) == {TODAY - timedelta(days=d): int(d in (0, 5)) for d in range(6)}


def test_a_closed_petitions_chart_ends_at_its_deadline(admin_client, frozen):
    petition = PetitionPageFactory(deadline=NOW - timedelta(days=50))
    sign_at(petition, [NOW - timedelta(days=d) for d in (90, 60, 52, 51)])

    html = dashboard(admin_client, petition).content.decode()

    days = per_day_table(html)
    assert len(days) == len(bars(html)) == 30
    assert max(days) == TODAY - timedelta(days=50)
    assert sum(days.values()) == 3


def test_the_chart_counts_days_in_the_sites_time_zone(admin_client, frozen, settings):
    settings.TIME_ZONE = "America/Chicago"  # 12:00 UTC is 7 a.m. there
    petition = PetitionPageFactory()
    # 03:00 UTC on June 15 is still the evening of June 14 in Chicago.
    sign_at(petition, [datetime(2025, 6, 15, 3, 0, tzinfo=UTC), NOW - timedelta(hours=1)])

    html = dashboard(admin_client, petition).content.decode()

    assert per_day_table(html) == {date(2025, 6, 14): 1, date(2025, 6, 15): 1}


def test_the_chart_is_an_accessible_svg_that_a_strict_csp_allows(admin_client, frozen):
    petition = PetitionPageFactory()
    sign_at(petition, [NOW - timedelta(hours=1)])

    html = dashboard(admin_client, petition).content.decode()

    chart = html[html.index('<figure class="petition-chart">') : html.index("</details>")]
    assert '<svg class="petition-chart__svg"' in chart
    assert 'role="img" aria-labelledby="petition-chart-title petition-chart-desc"' in chart
    assert '<title id="petition-chart-title">Signatures per day from June 15, 2025' in chart
    assert "<table" in chart
    assert "style=" not in chart
    assert "<script" not in chart
    assert "wagtail_petition/css/admin.css" in html


def test_the_dashboard_shows_count_goal_milestones_and_links(admin_client, frozen):
    petition = PetitionPageFactory(title="Save the park")
    sign_at(petition, [NOW - timedelta(hours=h) for h in range(1, 13)])

    html = dashboard(admin_client, petition).content.decode()

    assert "Dashboard: Save the park" in html
    summary = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Signatures 12 Goal 25 Status Live" in summary
    assert "10 signatures reached" in html
    signatures = reverse("petition_signatures:index") + f"?petition={petition.pk}"
    assert f'href="{signatures}"' in html
    assert f'href="/admin/pages/{petition.pk}/edit/"' in html


def test_a_petition_nobody_signed_says_so(admin_client, petition):
    html = dashboard(admin_client, petition).content.decode()

    assert "No signatures yet." in html
    assert "No milestone reached yet." in html
    assert not bars(html)


def test_the_dashboard_counts_call_outcomes_over_all_call_scripts(admin_client, db):
    petition = PetitionPageFactory(body=[call_script(), call_script(heading="Call the Council")])
    mayor, council = (block.id for block in petition.body)
    for block_id, outcome in [
        (mayor, "spoke"), (mayor, "spoke"), (mayor, "voicemail"), (council, "spoke"),
        (council, "skipped"),
    ]:  # fmt: skip
        CallReport.objects.create(page=petition, block_id=block_id, outcome=outcome)

    html = dashboard(admin_client, petition).content.decode()

    assert "No calls reported yet." not in html
    outcomes = dict(row for row in table_rows(html) if len(row) == 2)
    assert outcomes["Outcome"] == "Reports"
    assert outcomes["Spoke to someone"] == "3"
    assert outcomes["Left a voicemail"] == "1"
    assert outcomes["Line busy / no answer"] == "0"
    assert outcomes["Skip"] == "1"


def test_without_call_reports_the_dashboard_says_so(admin_client, db):
    petition = PetitionPageFactory(body=[call_script()])

    assert "No calls reported yet." in dashboard(admin_client, petition).content.decode()


def test_only_petitions_have_a_dashboard(admin_client, db):
    about = HomePageFactory()

    assert dashboard(admin_client, about).status_code == 404
    missing = admin_client.get(reverse("wagtail_petition_dashboard", args=[999_999]))
    assert missing.status_code == 404


def test_petition_pages_link_to_their_dashboard_in_the_page_explorer(admin_client, petition):
    about = HomePageFactory()
    url = reverse("wagtail_petition_dashboard", args=[petition.pk])

    listing = admin_client.get(f"/admin/pages/{site_root().pk}/").content.decode()
    edit = admin_client.get(f"/admin/pages/{petition.pk}/edit/").content.decode()

    assert listing.count(f'href="{url}"') == 1
    assert f'href="{url}"' in edit
    assert f"reports/petitions/{about.pk}/" not in listing


# The home panel --------------------------------------------------------------------


def test_the_home_panel_lists_live_petitions_with_todays_signatures(admin_client, campaign):
    html = admin_client.get("/admin/").content.decode()

    assert "Live petitions" in html
    panel = html[html.index('id="live-petitions-section"') :]
    panel = panel[: panel.index("</section>")]
    rows = table_rows(panel)
    today = sum(1 for moment in campaign["park_moments"] if moment.date() == TODAY)
    assert rows == [["Petition", "Signatures", "Today"], ["Save the park", "235", str(today)]]
    url = reverse("wagtail_petition_dashboard", args=[campaign["park"].pk])
    assert f'href="{url}"' in panel


# Who may see it ------------------------------------------------------------------------


def test_a_user_who_may_view_signatures_sees_it_all(client, campaign):
    client.force_login(AdminUserFactory(permissions=["wagtail_petition.view_signature"]))

    home = client.get("/admin/").content.decode()

    assert REPORT in home
    assert "Live petitions" in home
    assert client.get(REPORT).status_code == 200
    assert client.get(REPORT + "?export=csv").status_code == 200
    assert dashboard(client, campaign["park"]).status_code == 200


def test_other_admin_users_see_none_of_it(client, campaign):
    client.force_login(AdminUserFactory())

    home = client.get("/admin/")

    assert home.status_code == 200
    assert REPORT not in home.content.decode()
    assert "Live petitions" not in home.content.decode()
    assert client.get(REPORT).status_code == 403
    assert client.get(REPORT + "?export=csv").status_code == 403
    assert client.get(REPORT + "?export=xlsx").status_code == 403
    assert dashboard(client, campaign["park"]).status_code == 403


# Chart geometry ---------------------------------------------------------------------


def test_the_axis_climbs_in_round_steps_to_the_busiest_day():
    assert axis_ticks(0) == [0, 1]
    assert axis_ticks(3) == [0, 1, 2, 3]
    assert axis_ticks(7) == [0, 2, 4, 6, 8]
    assert axis_ticks(23) == [0, 10, 20, 30]
    assert axis_ticks(1_000) == [0, 500, 1_000]


def test_bars_stand_on_the_baseline_side_by_side_and_scale_to_the_axis():
    values = [0, 3, 8, 1, 0, 0, 2, 5, 6, 4]
    days = [(TODAY - timedelta(days=len(values) - 1 - i), n) for i, n in enumerate(values)]

    chart = layout_chart(days, width=500, height=200, margins=(10, 10, 30, 40), max_labels=4)

    assert [bar.day for bar in chart.bars] == [day for day, _ in days]
    assert all(round(bar.y + bar.height, 2) == chart.bottom for bar in chart.bars)
    assert chart.bars[0].height == 0
    tallest = chart.bars[2]
    assert tallest.y == next(tick.y for tick in chart.ticks if tick.value == 8) == chart.top
    assert chart.bars[1].height == pytest.approx(tallest.height * 3 / 8, abs=0.01)
    assert chart.bars[0].x >= chart.left and chart.bars[-1].x + chart.bars[-1].width <= chart.right
    assert all(a.x + a.width < b.x for a, b in pairwise(chart.bars))
    assert [bar.day for bar in chart.bars if bar.labelled] == [days[i][0] for i in (0, 3, 6, 9)]
    assert (chart.total, chart.peak.value) == (29, 8)
