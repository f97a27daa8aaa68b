"""Organizers export signatures with their signers as an OSDI document, from the
admin listing or ``petition_export_osdi``, to import them into Action Network
or another OSDI tool: counted signatures only by default, subscribed only on
confirmed consent, never an anonymised signer."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from tests.factories import PetitionPageFactory, sign_many
from tests.test_signatures_admin import signer, user_with
from wagtail_petition.models import Signature
from wagtail_petition.privacy import anonymise

LISTING = "/admin/signatures/"
SIGNED = datetime(2026, 3, 1, 9, 30, 15, tzinfo=UTC)
CONFIRMED = datetime(2026, 3, 1, 9, 42, 0, tzinfo=UTC)


@pytest.fixture
def organizer(client, db):
    client.force_login(user_with("view_signature", "export_signature"))
    return client


def document(response):
    return json.loads(b"".join(response.streaming_content))


def export(client, query=""):
    return document(client.get(f"{LISTING}?{query}&export=osdi"))


def emails(doc):
    return sorted(
        s["_embedded"]["osdi:person"]["email_addresses"][0]["address"]
        for s in doc["_embedded"]["osdi:signatures"]
    )


def confirm(signature, opt_in=True):
    Signature.objects.filter(pk=signature.pk).update(opt_in=opt_in, confirmed_at=CONFIRMED)


# The document ------------------------------------------------------------------


def test_a_signature_with_every_field_in_osdis_names(organizer, petition):
    signature = signer(
        petition,
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.org",
        postal_code="60601",
        comment="For my kids.",
    ).signature
    Signature.objects.filter(pk=signature.pk).update(
        source="newsletter-march", referred_by="k3yc0de", created_at=SIGNED, counted_at=CONFIRMED
    )
    confirm(signature)

    response = organizer.get(f"{LISTING}?export=osdi")
    doc = document(response)

    assert response["Content-Type"] == "application/hal+json"
    assert response["Content-Disposition"] == 'attachment; filename="signatures.osdi.json"'
    assert doc["total_records"] == 1
    assert doc["_embedded"]["osdi:signatures"] == [
        {
            "identifiers": [f"wagtail_petition:{signature.pk}"],
            "origin_system": "wagtail-petition",
            "created_date": "2026-03-01T09:30:15Z",
            "modified_date": "2026-03-01T09:42:00Z",
            "action_date": "2026-03-01T09:30:15Z",
            "comments": "For my kids.",
            "referrer_data": {"source": "newsletter-march", "referrer": "k3yc0de"},
            "_links": {
                "osdi:petition": {"href": petition.full_url, "title": petition.title},
            },
            "_embedded": {
                "osdi:person": {
                    "given_name": "Ada",
                    "family_name": "Lovelace",
                    "email_addresses": [
                        {"address": "ada@example.org", "primary": True, "status": "subscribed"}
                    ],
                    "postal_addresses": [{"primary": True, "postal_code": "60601"}],
                }
            },
        }
    ]


def test_empty_fields_are_left_out(organizer, petition):
    signer(petition, postal_code="", comment="")

    [resource] = export(organizer)["_embedded"]["osdi:signatures"]

    assert "comments" not in resource and "referrer_data" not in resource
    assert "postal_addresses" not in resource["_embedded"]["osdi:person"]


def test_an_email_is_subscribed_only_on_confirmed_consent(organizer, petition):
    confirm(signer(petition, email="consented@example.org", opt_in=True).signature)
    signer(petition, email="unconfirmed@example.org", opt_in=True)
    confirm(signer(petition, email="no-updates@example.org").signature, opt_in=False)

    statuses = {
        s["_embedded"]["osdi:person"]["email_addresses"][0]["address"]: s["_embedded"][
            "osdi:person"
        ]["email_addresses"][0]["status"]
        for s in export(organizer)["_embedded"]["osdi:signatures"]
    }

    assert statuses == {
        "consented@example.org": "subscribed",
        "unconfirmed@example.org": "unsubscribed",
        "no-updates@example.org": "unsubscribed",
    }


def test_formulas_are_not_neutralised_json_is_no_spreadsheet(organizer, petition):
    formula = '=HYPERLINK("http://evil.example/","Click")'
    signer(petition, first_name=formula, last_name="+1-2", comment="@SUM(A1)")

    [resource] = export(organizer)["_embedded"]["osdi:signatures"]

    assert resource["_embedded"]["osdi:person"]["given_name"] == formula
    assert resource["_embedded"]["osdi:person"]["family_name"] == "+1-2"
    assert resource["comments"] == "@SUM(A1)"


# What is exported --------------------------------------------------------------


def test_held_and_pending_signatures_are_left_out_unless_the_filter_asks(organizer, petition):
    signer(petition, email="counted@example.org")
    held = signer(petition, email="held@example.org").signature
    pending = signer(petition, email="pending@example.org").signature
    Signature.objects.filter(pk=held.pk).update(status=Signature.Status.HELD)
    Signature.objects.filter(pk=pending.pk).update(status=Signature.Status.PENDING)

    assert emails(export(organizer)) == ["counted@example.org"]
    assert emails(export(organizer, "status=held")) == ["held@example.org"]
    assert emails(export(organizer, "status=pending")) == ["pending@example.org"]
    # A status the filter does not know is ignored, as by the listing: counted only.
    assert emails(export(organizer, "status=everything")) == ["counted@example.org"]


def test_anonymised_signatures_are_never_exported(organizer, petition):
    signer(petition, email="kept@example.org")
    gone = signer(petition, email="gone@example.org").signature
    anonymise(Signature.objects.filter(pk=gone.pk))

    doc = export(organizer)

    assert emails(doc) == ["kept@example.org"]
    assert doc["total_records"] == 1


def test_the_listings_filters_and_search_narrow_the_export(organizer, petition):
    other = PetitionPageFactory(title="Other petition")
    signer(petition, first_name="Ada", email="ada@example.org", postal_code="60601")
    signer(petition, first_name="Grace", email="grace@example.org", postal_code="10001")
    old = signer(petition, first_name="Alan", email="alan@example.org").signature
    Signature.objects.filter(pk=old.pk).update(created_at=SIGNED - timedelta(days=30))
    signer(other, first_name="Edsger", email="edsger@example.org")
    since = (SIGNED - timedelta(days=7)).date().isoformat()

    assert emails(export(organizer, f"petition={other.pk}")) == ["edsger@example.org"]
    assert emails(export(organizer, f"petition={petition.pk}&created_at_from={since}")) == [
        "ada@example.org",
        "grace@example.org",
    ]
    assert emails(export(organizer, "q=10001")) == ["grace@example.org"]
    assert emails(export(organizer, "source=(none)&q=edsger")) == ["edsger@example.org"]


def test_the_listing_offers_the_osdi_download_with_its_filters(organizer, petition):
    signer(petition)

    html = organizer.get(f"{LISTING}?petition={petition.pk}").content.decode()

    assert "Download OSDI (JSON)" in html
    assert f"?petition={petition.pk}&amp;export=osdi" in html


@pytest.mark.parametrize(
    "codenames", [(), ("view_signature",)], ids=["no permission", "view only"]
)
def test_exporting_needs_the_export_permission(client, petition, codenames):
    signer(petition, email="zelda@example.org")
    client.force_login(user_with(*codenames))

    response = client.get(f"{LISTING}?export=osdi")

    assert response.status_code == 403
    assert b"zelda@example.org" not in response.content
    if codenames:
        assert "Download OSDI (JSON)" not in client.get(LISTING).content.decode()


def test_the_admin_export_is_streamed_with_the_same_queries_for_many_rows(organizer, db):
    petitions = [PetitionPageFactory(title=f"Petition {n}") for n in range(2)]

    def export_queries():
        with CaptureQueriesContext(connection) as queries:
            response = organizer.get(f"{LISTING}?export=osdi")
            doc = document(response)
        assert isinstance(response, StreamingHttpResponse)
        return doc["total_records"], len(queries)

    signer(petitions[0])
    one = export_queries()
    for petition in petitions:
        sign_many(petition, 20)
    many = export_queries()

    assert (one[0], many[0]) == (1, 41)
    # No query per signature or per petition: each row comes with its petition.
    assert many[1] == one[1]


# Action Network's CSV --------------------------------------------------------


def csv_rows(text):
    return list(csv.reader(io.StringIO(text)))


def test_the_action_network_csv_holds_only_consenting_counted_signers(organizer, petition):
    other = PetitionPageFactory(title="Other petition")
    confirm(signer(petition, first_name="Ada", email="ada@example.org", opt_in=True).signature)
    signer(petition, email="unconfirmed@example.org", opt_in=True)
    confirm(signer(petition, email="no-updates@example.org").signature, opt_in=False)
    held = signer(petition, email="held@example.org", opt_in=True).signature
    confirm(held)
    Signature.objects.filter(pk=held.pk).update(status=Signature.Status.HELD)
    confirm(signer(other, first_name="Edsger", email="edsger@example.org", opt_in=True).signature)

    response = organizer.get(f"{LISTING}?petition={petition.pk}&export=action-network")

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"] == (
        'attachment; filename="signatures.action-network.csv"'
    )
    assert csv_rows(b"".join(response.streaming_content).decode()) == [
        ["first_name", "last_name", "email", "zip_code"],
        ["Ada", "Lovelace", "ada@example.org", "60601"],
    ]
    listing = organizer.get(LISTING).content.decode()
    assert "Download for Action Network (CSV)" in listing
    assert "?export=action-network" in listing


def test_the_action_network_csv_neutralises_formulas(organizer, petition):
    formula = '=HYPERLINK("http://evil.example/","Click")'
    confirm(signer(petition, first_name=formula, last_name="+1-2", opt_in=True).signature)

    response = organizer.get(f"{LISTING}?export=action-network")
    rows = csv_rows(b"".join(response.streaming_content).decode())

    assert rows[1] == ["'" + formula, "'+1-2", "ada@example.org", "60601"]


def test_the_action_network_csv_needs_the_export_permission(client, petition):
    confirm(signer(petition, email="zelda@example.org", opt_in=True).signature)
    client.force_login(user_with("view_signature"))

    response = client.get(f"{LISTING}?export=action-network")

    assert response.status_code == 403
    assert b"zelda@example.org" not in response.content


# The command -------------------------------------------------------------------


def run(*args, stderr=None):
    stdout = io.StringIO()
    call_command("petition_export_osdi", *args, stdout=stdout, stderr=stderr or io.StringIO())
    return stdout.getvalue()


def test_the_command_writes_a_valid_document_to_a_file(petition, tmp_path):
    other = PetitionPageFactory(title="Other", slug="other-petition")
    confirm(signer(petition, email="ada@example.org", opt_in=True).signature)
    signer(other, email="edsger@example.org")
    stderr = io.StringIO()
    output = tmp_path / "signatures.json"

    run("--output", str(output), stderr=stderr)

    doc = json.loads(output.read_text(encoding="utf-8"))
    assert emails(doc) == ["ada@example.org", "edsger@example.org"]
    assert doc["total_records"] == 2
    assert "Exported 2 signature(s)" in stderr.getvalue()


def test_the_command_exports_the_petitions_named_by_id_or_slug(petition):
    other = PetitionPageFactory(title="Other", slug="other-petition")
    third = PetitionPageFactory(title="Third")
    signer(petition, email="ada@example.org")
    signer(other, email="edsger@example.org")
    signer(third, email="grace@example.org")

    assert emails(json.loads(run("--petition", str(petition.pk)))) == ["ada@example.org"]
    assert emails(json.loads(run("--petition", "other-petition"))) == ["edsger@example.org"]
    both = json.loads(run("--petition", str(third.pk), "--petition", "other-petition"))
    assert emails(both) == ["edsger@example.org", "grace@example.org"]


def test_an_unknown_petition_is_a_clear_error_and_writes_nothing(petition, tmp_path):
    signer(petition)
    output = tmp_path / "signatures.json"

    with pytest.raises(CommandError, match="No petition has the id or slug 'no-such-petition'"):
        run("--petition", "no-such-petition", "--output", str(output))
    with pytest.raises(CommandError, match="No petition has the id or slug '999999'"):
        run("--petition", "999999")

    assert not output.exists()


def test_a_slug_shared_by_two_petitions_asks_for_the_id(db):
    first = PetitionPageFactory(title="First", slug="same")
    second = PetitionPageFactory(title="Second", slug="same", parent=first)

    with pytest.raises(CommandError, match="Several petitions have the slug 'same'"):
        run("--petition", "same")
    assert json.loads(run("--petition", str(second.pk)))["total_records"] == 0


def test_the_command_filters_by_status_date_and_consent(petition):
    confirm(signer(petition, email="consented@example.org", opt_in=True).signature)
    old = signer(petition, email="old@example.org").signature
    Signature.objects.filter(pk=old.pk).update(created_at=SIGNED - timedelta(days=30))
    held = signer(petition, email="held@example.org").signature
    Signature.objects.filter(pk=held.pk).update(status=Signature.Status.HELD)
    gone = signer(petition, email="gone@example.org").signature
    anonymise(Signature.objects.filter(pk=gone.pk))
    since = (SIGNED - timedelta(days=7)).date().isoformat()

    assert emails(json.loads(run())) == ["consented@example.org", "old@example.org"]
    assert emails(json.loads(run("--status", "held"))) == ["held@example.org"]
    assert emails(json.loads(run("--status", "held", "--status", "counted"))) == [
        "consented@example.org",
        "held@example.org",
        "old@example.org",
    ]
    assert emails(json.loads(run("--since", since))) == ["consented@example.org"]
    assert emails(json.loads(run("--subscribed-only"))) == ["consented@example.org"]


@pytest.mark.parametrize("args", [["--since", "last week"], ["--since", "2026-02-30"]])
def test_a_bad_date_is_a_clear_error(db, args):
    with pytest.raises(CommandError, match="expected a date"):
        run(*args)


def test_the_command_streams_over_several_chunks(petition):
    sign_many(petition, 7)

    doc = json.loads(run("--chunk-size", "2"))

    assert doc["total_records"] == 7 == len(doc["_embedded"]["osdi:signatures"])
    ids = [s["identifiers"][0] for s in doc["_embedded"]["osdi:signatures"]]
    assert len(set(ids)) == 7
    with pytest.raises(CommandError, match="at least 1"):
        run("--chunk-size", "0")


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_progress_bar_on_a_terminal_only(petition, tmp_path):
    sign_many(petition, 3)
    terminal, pipe = Terminal(), io.StringIO()

    run("--output", str(tmp_path / "a.json"), stderr=terminal)
    run("--output", str(tmp_path / "b.json"), stderr=pipe)

    assert "3/3" in terminal.getvalue() and "signature" in terminal.getvalue()
    assert "3/3" not in pipe.getvalue()
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_the_command_writes_the_action_network_csv(petition, tmp_path):
    confirm(signer(petition, email="ada@example.org", opt_in=True).signature)
    signer(petition, email="unconfirmed@example.org", opt_in=True)
    output = tmp_path / "signatures.csv"

    run("--format", "action-network", "--output", str(output))

    assert csv_rows(output.read_text(encoding="utf-8")) == [
        ["first_name", "last_name", "email", "zip_code"],
        ["Ada", "Lovelace", "ada@example.org", "60601"],
    ]
