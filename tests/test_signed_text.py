"""The text each signer saw: every signature keeps the revision that was live
when it was made; a change to the text published after people signed is
recorded, announced on the page and shown as a diff; organizers see which
text each signer saw."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from tests.factories import PetitionPageFactory, SignatureFactory, call_script
from tests.test_live_count import render_queries
from tests.test_signatures_admin import LISTING, user_with
from wagtail_petition.models import PetitionPage, Signature
from wagtail_petition.records.texts import TextChange

DEMANDS = ("demands", {"heading": "Our demands", "demands": ["Keep the park green."]})


@pytest.fixture
def petition(db):
    return PetitionPageFactory(
        body=[
            ("paragraph", "<p>The park is where the neighbourhood meets.</p>"),
            DEMANDS,
            call_script(),
        ]
    )


def post_signature(client, petition, **data):
    data = SignatureFactory(**data)
    response = client.post(petition.url, data)
    assert response.status_code == 303
    return Signature.objects.get(email=data["email"])


def publish(petition, **changes):
    """Edit the live petition as an editor does, and publish the edit."""
    page = PetitionPage.objects.get(pk=petition.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    revision = page.save_revision()
    revision.publish()
    return revision


def change_demands(petition, *demands):
    body = [
        ("paragraph", "<p>The park is where the neighbourhood meets.</p>"),
        ("demands", {"heading": "Our demands", "demands": list(demands)}),
        call_script(),
    ]
    return publish(petition, body=body)


# A signature keeps the text it was made on -------------------------------------


def test_a_signature_records_the_revision_live_when_it_was_made(client, petition):
    first = post_signature(client, petition)
    revision = change_demands(petition, "Keep the park green.", "Plant a hundred trees.")
    second = post_signature(client, petition)

    assert first.revision_id == petition.live_revision_id
    assert second.revision_id == revision.pk != first.revision_id


def test_signing_again_before_confirming_keeps_the_text_seen_last(client, petition):
    petition.require_confirmation = True
    petition.save_revision().publish()
    first = post_signature(client, petition, email="ada@example.org")
    revision = change_demands(petition, "Plant a hundred trees.")

    post_signature(client, petition, email="ada@example.org")

    first.refresh_from_db()
    assert first.status == Signature.Status.PENDING
    assert first.revision_id == revision.pk


# Recording a change ------------------------------------------------------------


def test_changing_the_demands_after_signatures_records_the_change(client, petition):
    post_signature(client, petition)
    before = PetitionPage.objects.get(pk=petition.pk).live_revision_id

    revision = change_demands(petition, "Keep the park green.", "Plant a hundred trees.")

    change = TextChange.objects.get(petition=petition)
    assert change.previous_revision_id == before
    assert change.revision_id == revision.pk
    assert "Plant a hundred trees." not in change.text_before
    assert "Plant a hundred trees." in change.text_after
    assert change.text_after.splitlines()[:2] == [
        petition.title,
        "Mayor Alex Rivera, Mayor of Lakeport",
    ]
    assert "555" not in change.text_after  # the call script is not the text


def test_a_new_phone_number_or_script_is_no_change_of_the_text(client, petition):
    post_signature(client, petition)
    body = [
        ("paragraph", "<p>The park is where the neighbourhood meets.</p>"),
        DEMANDS,
        call_script(
            phone_lines=[{"label": "City Hall", "number": "+13125550199"}],
            script="Hello, I am {first_name}. Please save the park.",
        ),
    ]

    publish(petition, body=body)
    publish(petition, go_live_at=None)  # published again, nothing changed

    assert not TextChange.objects.exists()


def test_a_change_before_anyone_signed_is_not_recorded(client, petition):
    change_demands(petition, "Plant a hundred trees.")

    assert not TextChange.objects.exists()
    assert "was changed" not in client.get(petition.url).content.decode()


def test_a_scheduled_publish_records_the_change_when_it_goes_live(client, petition):
    post_signature(client, petition)
    page = PetitionPage.objects.get(pk=petition.pk)
    page.summary = "Keep the park green, and open."
    page.go_live_at = timezone.now() + timedelta(hours=1)
    revision = page.save_revision()
    revision.publish()
    assert not TextChange.objects.exists()  # only scheduled

    revision.refresh_from_db()
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = revision.approved_go_live_at.isoformat()
    revision.save()
    call_command("publish_scheduled")

    change = TextChange.objects.get()
    assert change.revision_id == revision.pk
    assert "Keep the park green, and open." in change.text_after


def test_republishing_after_unpublishing_compares_with_the_text_signed(client, petition):
    signature = post_signature(client, petition)
    PetitionPage.objects.get(pk=petition.pk).unpublish()

    change_demands(petition, "Plant a hundred trees.")

    assert TextChange.objects.get().previous_revision_id == signature.revision_id


# The page and the list of changes ----------------------------------------------


def test_the_page_says_when_the_text_changed_and_links_to_the_changes(client, petition):
    post_signature(client, petition)
    change_demands(petition, "Keep the park green.", "Plant a hundred trees.")
    change = TextChange.objects.get()

    html = client.get(petition.url).content.decode()

    assert "This petition's text was changed on" in html
    assert date_format(timezone.localtime(change.changed_at), "DATE_FORMAT") in html
    assert f'href="{petition.url}changes/"' in html


def test_the_changes_page_shows_what_was_removed_and_added(client, petition):
    post_signature(client, petition)
    change_demands(petition, "Keep the park green and open.", "Plant a hundred trees.")

    response = client.get(f"{petition.url}changes/")
    html = response.content.decode()

    assert response.status_code == 200
    added = '<ins><span class="petition-visually-hidden">[added: </span> and open'
    assert f"Keep the park green{added}" in html
    assert "Plant a hundred trees." in html
    assert "Signatures made before a change agreed to the earlier text." in html
    assert "style=" not in html and "<script>" not in html


def test_several_changes_are_listed_newest_first(client, petition):
    post_signature(client, petition)
    change_demands(petition, "Plant a hundred trees.")
    change_demands(petition, "Plant a thousand trees.")

    html = client.get(f"{petition.url}changes/").content.decode()

    assert TextChange.objects.count() == 2
    older, newer = TextChange.objects.order_by("changed_at")
    assert html.index(f'id="petition-change-{newer.pk}"') < html.index(
        f'id="petition-change-{older.pk}"'
    )


def test_a_petition_never_changed_says_so(client, petition):
    response = client.get(f"{petition.url}changes/")

    assert response.status_code == 200
    assert "has not changed since people started signing" in response.content.decode()


def test_publishing_purges_the_list_of_changes(petition):
    assert "changes/" in petition.get_cached_paths()


def test_a_changed_petitions_page_costs_no_more_than_an_unchanged_one(client, petition):
    before = render_queries(client, petition)
    post_signature(client, petition)
    change_demands(petition, "Plant a hundred trees.")
    client.cookies.clear()

    after = render_queries(client, petition)

    assert "was changed on" in client.get(petition.url).content.decode()
    assert after == before  # one indexed read of the latest change, made either way


# Organizers --------------------------------------------------------------------


@pytest.fixture
def organizer(client, db):
    client.force_login(user_with("view_signature", "export_signature", "change_signature"))
    return client


def test_the_listing_shows_the_text_each_signer_saw(organizer, petition):
    signature = post_signature(organizer, petition)
    revision = change_demands(petition, "Plant a hundred trees.")

    html = organizer.get(LISTING).content.decode()

    assert "Text signed" in html
    assert f"/admin/pages/{petition.pk}/revisions/{signature.revision_id}/view/" in html
    assert f"/revisions/{revision.pk}/view/" not in html  # nobody signed it yet


def test_the_link_to_the_revision_is_for_those_who_may_see_it(client, petition):
    signature = post_signature(client, petition)
    client.force_login(user_with("view_signature", edit_pages=False))

    html = client.get(LISTING).content.decode()

    assert "Text signed" in html
    assert f"/revisions/{signature.revision_id}/view/" not in html


def test_the_inspect_view_shows_the_revision_and_compares_it_with_the_live_one(
    organizer, petition
):
    signature = post_signature(organizer, petition)
    revision = change_demands(petition, "Plant a hundred trees.")

    html = organizer.get(f"{LISTING}inspect/{signature.pk}/").content.decode()

    assert f"Revision {signature.revision_id} of" in html
    assert f"/revisions/{signature.revision_id}/view/" in html
    assert f"/revisions/compare/{signature.revision_id}...live/" in html
    assert revision.pk != signature.revision_id


def test_the_export_has_the_revision_and_its_date(organizer, petition):
    signature = post_signature(organizer, petition)

    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(organizer.get(f"{LISTING}?export=csv").streaming_content).decode()
            )
        )
    )
    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(organizer.get(f"{LISTING}?export=xlsx").streaming_content))
    )
    sheet = list(workbook.active.values)

    assert rows[0]["Text signed (revision)"] == str(signature.revision_id)
    assert rows[0]["Text signed (revision of)"].startswith(
        str(signature.revision.created_at.date())
    )
    assert "Text signed (revision)" in sheet[0]
    assert signature.revision_id in sheet[1]


def test_the_listing_costs_the_same_with_many_signers(organizer, petition):
    def listing_queries():
        with CaptureQueriesContext(connection) as queries:
            assert organizer.get(LISTING).status_code == 200
        return len(queries)

    post_signature(organizer, petition)
    one = listing_queries()
    for _ in range(5):
        change_demands(petition, f"Plant {_} trees.")
        post_signature(organizer, petition)

    assert listing_queries() == one


def test_a_removed_demand_is_struck_through_and_read_out_as_removed(client, petition):
    post_signature(client, petition)
    change_demands(petition, "Plant a hundred trees.")

    html = client.get(f"{petition.url}changes/").content.decode()

    removed = '<del><span class="petition-visually-hidden">[removed: </span>Keep the park green'
    assert removed in html


@pytest.mark.urls("tests.urls_zero_config")
def test_the_notice_and_the_changes_work_without_the_apps_urls(client, petition):
    post_signature(client, petition)
    change_demands(petition, "Plant a hundred trees.")

    page = client.get(petition.url).content.decode()
    changes = client.get(f"{petition.url}changes/")

    assert f'href="{petition.url}changes/"' in page
    assert changes.status_code == 200 and "Plant a hundred trees." in changes.content.decode()


def test_scheduling_an_unpublished_petition_records_nothing_until_it_goes_live(client, petition):
    post_signature(client, petition)
    PetitionPage.objects.get(pk=petition.pk).unpublish()
    page = PetitionPage.objects.get(pk=petition.pk)
    page.summary = "Keep the park green, and open."
    page.go_live_at = timezone.now() + timedelta(hours=1)
    page.save_revision().publish()

    assert not TextChange.objects.exists()
