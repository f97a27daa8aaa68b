"""Organizers see, filter, export, hold and restore signatures in the Wagtail
admin; editors without the signatures permissions see no personal data."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, PageLogEntry

from tests.factories import PetitionPageFactory, UserFactory, sign_many
from wagtail_petition.models import Milestone, Signature
from wagtail_petition.signing import sign

LISTING = "/admin/signatures/"


def user_with(*codenames, edit_pages=True):
    """A Wagtail admin user who may edit pages, with the given wagtail_petition
    permissions."""
    group = Group.objects.create(name=f"group-{'-'.join(codenames) or 'editors'}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    group.permissions.add(*Permission.objects.filter(codename__in=codenames))
    if edit_pages:
        for codename in ("add_page", "change_page", "publish_page"):
            GroupPagePermission.objects.create(
                group=group,
                page=Page.get_first_root_node(),
                permission=Permission.objects.get(codename=codename),
            )
    user = UserFactory()
    user.groups.add(group)
    return user


def signer(petition, first_name="Ada", email="ada@example.org", **fields):
    defaults = {"last_name": "Lovelace", "postal_code": "60601", "comment": "", "opt_in": False}
    return sign(petition, first_name=first_name, email=email, source="", **{**defaults, **fields})


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def organizer(client, db):
    client.force_login(user_with("view_signature", "export_signature", "change_signature"))
    return client


# Permissions -----------------------------------------------------------------


def test_an_editor_without_the_signatures_permissions_sees_no_personal_data(client, petition):
    signature = signer(petition, first_name="Zelda", email="zelda@example.org").signature
    client.force_login(user_with())

    dashboard = client.get("/admin/").content.decode()
    explorer = client.get(f"/admin/pages/{petition.get_parent().pk}/").content.decode()
    editor = client.get(f"/admin/pages/{petition.pk}/edit/")

    assert editor.status_code == 200  # they may still edit the petition page
    for html in (dashboard, explorer, editor.content.decode()):
        assert LISTING not in html
        assert "zelda@example.org" not in html and "Zelda" not in html
    for url in (
        LISTING,
        f"{LISTING}?export=csv",
        f"{LISTING}?export=xlsx",
        f"{LISTING}inspect/{signature.pk}/",
    ):
        assert client.get(url).status_code == 403, url


def test_an_organizer_sees_the_menu_item_the_listing_and_a_signature(organizer, petition):
    signature = signer(petition, first_name="Zelda", email="zelda@example.org").signature

    dashboard = organizer.get("/admin/").content.decode()
    listing = organizer.get(LISTING).content.decode()
    inspect = organizer.get(f"{LISTING}inspect/{signature.pk}/").content.decode()

    assert f'"url": "{LISTING}"' in dashboard  # the sidebar menu item
    assert "zelda@example.org" in listing and "Zelda Lovelace" in listing
    assert "zelda@example.org" in inspect and "60601" in inspect
    assert "First counted at" in inspect


def test_viewing_does_not_allow_exporting(client, petition):
    signer(petition)
    client.force_login(user_with("view_signature"))

    listing = client.get(LISTING).content.decode()

    assert "ada@example.org" in listing
    assert "Download CSV" not in listing
    assert client.get(f"{LISTING}?export=csv").status_code == 403


def test_signatures_cannot_be_added_edited_or_deleted_even_by_a_superuser(admin_client, petition):
    signature = signer(petition).signature

    listing = admin_client.get(LISTING).content.decode()

    assert "Add signature" not in listing
    for url in (
        f"{LISTING}new/",
        f"{LISTING}edit/{signature.pk}/",
        f"{LISTING}delete/{signature.pk}/",
    ):
        assert admin_client.get(url).status_code == 404


def test_a_petition_page_offers_its_signatures_to_organizers_only(client, organizer, petition):
    sign_many(petition, 3)
    link = f"{LISTING}?petition={petition.pk}"

    header = organizer.get(f"/admin/pages/{petition.pk}/edit/").content.decode()
    explorer = organizer.get(f"/admin/pages/{petition.get_parent().pk}/").content.decode()

    assert link in header and "Signatures (3)" in header
    assert link in explorer
    client.force_login(user_with())
    assert link not in client.get(f"/admin/pages/{petition.pk}/edit/").content.decode()


# Filtering and export --------------------------------------------------------


def test_filters_and_search_narrow_the_listing_and_the_export(organizer, petition, db):
    other = PetitionPageFactory()
    signer(petition, first_name="Ada", email="ada@example.org", postal_code="60601")
    signer(petition, first_name="Grace", email="grace@example.org", postal_code="10001")
    old = signer(petition, first_name="Alan", email="alan@example.org").signature
    Signature.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    signer(other, first_name="Edsger", email="edsger@example.org")

    def names(query):
        rows = csv_rows(organizer.get(f"{LISTING}?{query}&export=csv"))
        return sorted(row["First name"] for row in rows)

    assert names(f"petition={petition.pk}") == ["Ada", "Alan", "Grace"]
    assert names(f"petition={other.pk}") == ["Edsger"]
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert names(f"petition={petition.pk}&created_at_from={since}") == ["Ada", "Grace"]
    assert names("q=10001") == ["Grace"]
    assert names("q=edsger@example") == ["Edsger"]
    listing = organizer.get(f"{LISTING}?petition={other.pk}").content.decode()
    assert "edsger@example.org" in listing and "ada@example.org" not in listing


def test_the_status_filter_shows_held_signatures(organizer, petition):
    signer(petition, first_name="Ada", email="ada@example.org")
    held = signer(petition, first_name="Bot", email="bot@example.org").signature
    Signature.objects.filter(pk=held.pk).update(status=Signature.Status.HELD)

    rows = csv_rows(organizer.get(f"{LISTING}?status=held&export=csv"))

    assert [row["First name"] for row in rows] == ["Bot"]


def test_the_csv_export_has_every_field_and_is_streamed(organizer, petition):
    signer(petition, comment="For my kids.", opt_in=True)

    response = organizer.get(f"{LISTING}?export=csv")

    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="signatures.csv"'
    [row] = csv_rows(response)
    assert row["Petition"] == petition.title
    assert (row["First name"], row["Last name"], row["Email"]) == (
        "Ada",
        "Lovelace",
        "ada@example.org",
    )
    assert (row["Postal code"], row["Comment"], row["Wants updates"]) == (
        "60601",
        "For my kids.",
        "True",
    )
    assert row["Status"] == "counted"


def test_spreadsheet_formulas_in_signatures_are_neutralised(organizer, petition):
    formula = '=HYPERLINK("http://evil.example/","Click")'
    signer(petition, first_name=formula, last_name="+1-2", comment="@SUM(A1)")

    [row] = csv_rows(organizer.get(f"{LISTING}?export=csv"))
    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(organizer.get(f"{LISTING}?export=xlsx").streaming_content))
    )
    header, values = list(workbook.active.iter_rows(values_only=True))

    assert row["First name"] == "'" + formula
    assert row["Last name"] == "'+1-2"
    assert row["Comment"] == "'@SUM(A1)"
    cells = dict(zip(header, values, strict=True))
    assert cells["First name"] == "'" + formula
    assert cells["Email"] == "ada@example.org"


def test_a_petition_title_that_reads_as_a_formula_is_neutralised_in_the_export(organizer, db):
    petition = PetitionPageFactory(title='=HYPERLINK("http://evil.example/","Open")')
    signer(petition)

    [row] = csv_rows(organizer.get(f"{LISTING}?export=csv"))
    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(organizer.get(f"{LISTING}?export=xlsx").streaming_content))
    )
    header, values = list(workbook.active.iter_rows(values_only=True))

    assert row["Petition"] == "'" + petition.title
    assert dict(zip(header, values, strict=True))["Petition"] == "'" + petition.title


# Hold and restore ------------------------------------------------------------


def bulk(client, action, signatures, confirm=True):
    url = f"/admin/bulk/wagtail_petition/signature/{action}/?" + "&".join(
        f"id={s.pk}" for s in signatures
    )
    return client.post(url, {}) if confirm else client.get(url)


def test_holding_drops_the_count_and_clears_milestones_restoring_brings_them_back(
    organizer, petition
):
    sign_many(petition, 26)
    late = list(Signature.objects.order_by("-created_at")[:2])
    first_25 = Milestone.objects.get(threshold=25).reached_at

    confirm = bulk(organizer, "hold", late, confirm=False)
    assert confirm.status_code == 200
    assert petition.signature_count == 26  # asking for confirmation changes nothing

    bulk(organizer, "hold", late)

    assert petition.signature_count == 24 == Signature.objects.filter(status="counted").count()
    assert Signature.objects.filter(status="held").count() == 2  # nothing deleted
    assert sorted(Milestone.objects.values_list("threshold", flat=True)) == [10]

    bulk(organizer, "restore", late)

    assert petition.signature_count == 26 == Signature.objects.filter(status="counted").count()
    assert sorted(Milestone.objects.values_list("threshold", flat=True)) == [10, 25]
    assert Milestone.objects.get(threshold=25).reached_at > first_25


@pytest.mark.parametrize(
    "codenames", [(), ("change_signature",), ("view_signature",)], ids=["none", "change", "view"]
)
def test_the_hold_and_restore_pages_show_nothing_without_both_permissions(
    client, petition, codenames
):
    signature = signer(petition, first_name="Zelda", email="zelda@example.org").signature
    client.force_login(user_with(*codenames))

    for action in ("hold", "restore"):
        response = bulk(client, action, [signature], confirm=False)
        html = response.content.decode()
        assert response.status_code == 403
        assert "Zelda" not in html and "Save the park" not in html

    assert bulk(client, "hold", [signature]).status_code == 403
    assert Signature.objects.get().status == "counted"


def test_holding_and_restoring_are_recorded_in_the_petitions_history(organizer, petition):
    sign_many(petition, 3)
    organizer.force_login(organizer_user := user_with("view_signature", "change_signature"))
    admin = UserFactory(is_superuser=True)

    bulk(organizer, "hold", Signature.objects.all()[:2])
    bulk(organizer, "restore", Signature.objects.filter(status="held")[:1])

    entries = PageLogEntry.objects.filter(page=petition, action__startswith="wagtail_petition.")
    assert sorted((e.action, e.data["signatures"], e.user_id) for e in entries) == [
        ("wagtail_petition.hold_signatures", 2, organizer_user.pk),
        ("wagtail_petition.restore_signatures", 1, organizer_user.pk),
    ]
    organizer.force_login(admin)
    history = organizer.get(f"/admin/pages/{petition.pk}/history/").content.decode()
    assert "Held 2 signatures" in history and "Restored 1 signature" in history


def test_holding_needs_the_change_permission(client, petition):
    sign_many(petition, 2)
    client.force_login(user_with("view_signature"))

    bulk(client, "hold", Signature.objects.all())

    assert not Signature.objects.filter(status="held").exists()
    assert petition.signature_count == 2


def test_the_export_runs_the_same_queries_for_many_rows_as_for_one(organizer, petition):
    def export_queries():
        with CaptureQueriesContext(connection) as queries:
            rows = csv_rows(organizer.get(f"{LISTING}?export=csv"))
        return len(rows), len(queries)

    signer(petition)
    one = export_queries()
    sign_many(petition, 40)
    many = export_queries()

    assert (one[0], many[0]) == (1, 41)
    assert many[1] == one[1]
