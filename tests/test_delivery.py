"""The delivery pack: the petition as a PDF for its targets, with the signers
who agreed to be listed, downloaded from the dashboard or emailed to the
targets; and the sign form's checkbox that lets a signer be listed."""

import csv
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader
from wagtail.models import PageLogEntry

from tests.factories import (
    PetitionPageFactory,
    SignatureFactory,
    admin_user_with,
    call_script,
)
from wagtail_petition import delivery
from wagtail_petition.models import Signature
from wagtail_petition.privacy import erase_signer
from wagtail_petition.signing import sign

TARGETS = [
    (
        "target",
        {"name": "Mayor Alex Rivera", "role": "Mayor of Lakeport", "email": "mayor@lakeport.test"},
    ),
    ("target", {"name": "City Council", "role": "", "email": "council@lakeport.test"}),
    ("target", {"name": "Parks Board", "role": "", "email": ""}),
]
BODY = [
    ("demands", {"heading": "Our demands", "demands": ["Keep the park green", "Plant trees"]}),
    ("paragraph", "<p>The park is where the neighbourhood meets.</p>"),
    call_script(script="Hi, my name is {first_name} and I ask to save the park."),
]


@pytest.fixture
def organizer(client, db):
    client.force_login(
        admin_user_with("view_signature", "export_signature", email="organizer@example.org")
    )
    return client


@pytest.fixture
def petition(db):
    return PetitionPageFactory(title="Save Lakeport Park", targets=TARGETS, body=BODY)


def signer(petition, first_name, email, *, listed=True, **fields):
    defaults = {"last_name": "Lovelace", "postal_code": "60601", "comment": "", "opt_in": False}
    return sign(
        petition,
        first_name=first_name,
        email=email,
        source="",
        list_publicly=listed,
        **{**defaults, **fields},
    ).signature


def bulk_listed(petition, n, start=0):
    """``n`` counted, listed signatures, stored at once (not counted by the counter)."""
    Signature.objects.bulk_create(
        Signature(
            petition_id=petition.pk,
            first_name=f"Signer{i}",
            last_name="Example",
            email=f"s{i}@example.org",
            email_normalised=f"s{i}@example.org",
            postal_code="60601",
            status=Signature.Status.COUNTED,
            list_publicly=True,
        )
        for i in range(start, start + n)
    )


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def download(client, petition):
    response = client.get(f"/admin/reports/petitions/{petition.pk}/delivery-pack/")
    assert response.status_code == 200
    return response


# The pack ----------------------------------------------------------------------


def test_the_pack_has_the_petition_its_count_milestones_and_the_listed_signers(
    organizer, petition
):
    signer(petition, "Ada", "ada@example.org", postal_code="SW1A 1AA", comment="For my kids.")
    signer(petition, "Grace", "grace@example.org", last_name="Hopper", comment="Trees matter.")
    signer(petition, "Zed", "zed@example.org", listed=False, comment="Private thoughts.")
    for data in SignatureFactory.build_batch(8):
        sign(petition, source="", opt_in=False, **data)

    response = download(organizer, petition)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="petition-save-')
    text = "\n".join(pdf_pages(b"".join(response.streaming_content)))
    assert "Save Lakeport Park" in text
    assert "To: Mayor Alex Rivera, Mayor of Lakeport; City Council; Parks Board" in text
    assert "Keep the park green" in text and "Plant trees" in text
    assert "The park is where the neighbourhood meets." in text
    assert "11 people signed this petition." in text
    assert "2 of them agreed to be listed by name." in text
    assert "10 signatures reached on" in text
    assert "Ada Lovelace" in text and "Grace Hopper" in text
    assert "SW1" in text and "SW1A" not in text  # the area, not the whole code
    assert "For my kids." in text and "Trees matter." in text
    # Never an email, an unlisted signer, a call script or a target's address.
    assert "@" not in text
    assert "Zed" not in text and "Private thoughts." not in text
    assert "Hi, my name is" not in text


def test_the_pack_says_when_nobody_asked_to_be_listed(organizer, petition):
    signer(petition, "Zed", "zed@example.org", listed=False)

    text = "\n".join(pdf_pages(b"".join(download(organizer, petition).streaming_content)))

    assert "1 person signed this petition." in text
    assert "No signer asked to be listed." in text
    assert "Zed" not in text


def test_an_erased_signer_is_no_longer_listed(organizer, petition):
    signer(petition, "Ada", "ada@example.org")
    erase_signer("ada@example.org")

    assert Signature.objects.get().list_publicly is False
    text = "\n".join(pdf_pages(b"".join(download(organizer, petition).streaming_content)))
    assert "Ada" not in text and "0 of them agreed to be listed" in text


def test_many_signers_fill_many_pages_each_with_the_tables_heading(organizer, petition):
    bulk_listed(petition, 500)

    pages = pdf_pages(b"".join(download(organizer, petition).streaming_content))

    assert len(pages) >= 5
    for page in pages[2:]:
        assert "Name" in page and "Area" in page and "Comment" in page
    assert "Signer0 Example" in pages[0] + pages[1]
    assert "Signer499 Example" in pages[-1] and "500" in pages[-1]
    assert f"Save Lakeport Park, page {len(pages)}" in pages[-1]
    every = "\n".join(pages)
    assert all(f"Signer{i} Example" in every for i in range(500))


def test_signers_are_read_a_chunk_at_a_time(petition):
    bulk_listed(petition, 4500)

    with CaptureQueriesContext(connection) as queries:
        delivery.write_pack(petition, out := io.BytesIO())

    reads = [q["sql"] for q in queries if '"first_name"' in q["sql"] and "LIMIT" in q["sql"]]
    assert len(reads) == 3  # 2,000 + 2,000 + 500 rows, not one query per row nor one for all
    assert "Signer4499 Example" in pdf_pages(out.getvalue())[-1]


NAMES = ["Zoë Ångström", "Łukasz Żółć", "Δήμητρα Παπαδοπούλου", "王小明", "Amira 🌳"]


def test_names_in_any_script_never_break_the_pack(organizer, petition):
    for n, name in enumerate(NAMES):
        signer(petition, name, f"s{n}@example.org", last_name="", comment=f"{name} signs.")

    text = "\n".join(pdf_pages(b"".join(download(organizer, petition).streaming_content)))

    # DejaVu Sans draws Latin, Greek and Cyrillic names; others become boxes, not errors.
    assert "Zoë Ångström" in text and "Łukasz Żółć" in text and "Δήμητρα" in text
    assert "5 of them agreed to be listed by name." in text


def test_without_the_fonts_the_built_in_one_draws_western_names(organizer, petition, settings):
    settings.WAGTAILPETITION_DELIVERY_FONTS = ("/nonexistent/Regular.ttf", "/nonexistent/Bold.ttf")
    for n, name in enumerate(NAMES):
        signer(petition, name, f"s{n}@example.org", last_name="")

    text = "\n".join(pdf_pages(b"".join(download(organizer, petition).streaming_content)))

    assert "Zoë Ångström" in text
    assert "?ukasz" in text  # outside Latin-1: a question mark
    assert "5 of them agreed to be listed by name." in text


# The dashboard and permissions --------------------------------------------------


def test_the_dashboard_offers_the_pack_to_those_who_may_export(organizer, petition):
    signer(petition, "Ada", "ada@example.org")
    signer(petition, "Zed", "zed@example.org", listed=False)

    html = organizer.get(f"/admin/reports/petitions/{petition.pk}/").content.decode()

    assert "Delivery to the targets" in html
    assert "1 of 2 signers agreed to be listed." in html
    assert f'href="/admin/reports/petitions/{petition.pk}/delivery-pack/"' in html
    assert "Email to the targets" in html


@pytest.mark.parametrize(
    "url", ["delivery-pack/", "delivery-pack/email/"], ids=["download", "email"]
)
def test_the_pack_needs_the_export_permission(client, petition, url):
    signer(petition, "Ada", "ada@example.org")
    client.force_login(admin_user_with("view_signature"))

    assert client.get(f"/admin/reports/petitions/{petition.pk}/{url}").status_code == 403
    assert client.post(f"/admin/reports/petitions/{petition.pk}/{url}").status_code in (403, 405)
    assert mail.outbox == []
    dashboard = client.get(f"/admin/reports/petitions/{petition.pk}/").content.decode()
    assert "Delivery to the targets" not in dashboard and "delivery-pack" not in dashboard


def test_an_unknown_petition_is_a_404(organizer, db):
    assert organizer.get("/admin/reports/petitions/999999/delivery-pack/").status_code == 404


# Emailing the targets --------------------------------------------------------------


def test_the_pack_is_emailed_to_each_target_with_an_address_and_logged(
    organizer, petition, admin_client, django_capture_on_commit_callbacks
):
    signer(petition, "Ada", "ada@example.org", comment="For my kids.")
    url = f"/admin/reports/petitions/{petition.pk}/delivery-pack/email/"

    confirm = organizer.get(url).content.decode()
    assert "Mayor Alex Rivera &lt;mayor@lakeport.test&gt;" in confirm
    assert "Parks Board" in confirm  # named among those without an address
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = organizer.post(url)

    assert response.status_code == 302
    assert response["Location"] == f"/admin/reports/petitions/{petition.pk}/"
    assert sorted(message.to for message in mail.outbox) == [
        ["council@lakeport.test"],
        ["mayor@lakeport.test"],
    ]
    for message in mail.outbox:
        assert message.subject == "Petition: Save Lakeport Park"
        assert message.reply_to == ["organizer@example.org"]
        assert "signed by 1 person" in message.body
        [(filename, content, mimetype)] = message.attachments
        assert filename.endswith(".pdf") and mimetype == "application/pdf"
        assert "Ada Lovelace" in "\n".join(pdf_pages(content))
    shown = organizer.get(response["Location"]).content.decode()
    assert "The delivery pack is being emailed to: Mayor Alex Rivera" in shown
    [entry] = PageLogEntry.objects.filter(page=petition, action=delivery.EMAIL_DELIVERY_PACK)
    assert entry.data["recipients"] == [
        "Mayor Alex Rivera <mayor@lakeport.test>",
        "City Council <council@lakeport.test>",
    ]
    history = admin_client.get(f"/admin/pages/{petition.pk}/history/").content.decode()
    assert "Emailed the delivery pack to Mayor Alex Rivera" in history


def test_without_target_addresses_nothing_is_sent(
    organizer, db, django_capture_on_commit_callbacks
):
    petition = PetitionPageFactory()  # its target has no address
    url = f"/admin/reports/petitions/{petition.pk}/delivery-pack/email/"

    assert "No target of this petition has an email address" in organizer.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer.post(url, follow=True)

    assert "No target of this petition has an email address." in response.content.decode()
    assert mail.outbox == []
    assert not PageLogEntry.objects.filter(action=delivery.EMAIL_DELIVERY_PACK).exists()


# The sign form and the target's address ---------------------------------------------


def test_the_sign_form_asks_to_list_and_stores_the_answer(client, petition):
    html = client.get(petition.url).content.decode()
    assert "List my name and area on the petition delivered to the target" in html
    assert 'name="list_publicly" id="id_list_publicly"' in html  # not pre-checked

    client.post(petition.url, SignatureFactory(email="ada@example.org", list_publicly="on"))
    client.post(petition.url, SignatureFactory(email="bob@example.org"))

    assert dict(Signature.objects.values_list("email", "list_publicly")) == {
        "ada@example.org": True,
        "bob@example.org": False,
    }


def test_a_petition_may_not_ask_to_list(client, db):
    petition = PetitionPageFactory(ask_to_list_signers=False)

    assert 'name="list_publicly"' not in client.get(petition.url).content.decode()
    client.post(petition.url, SignatureFactory(list_publicly="on"))
    assert Signature.objects.get().list_publicly is False


def test_a_targets_address_is_never_on_the_page_nor_in_the_signed_text(client, petition):
    html = client.get(petition.url).content.decode()

    assert "Mayor Alex Rivera" in html
    assert "lakeport.test" not in html
    assert "lakeport.test" not in petition.get_petition_text()
    assert "Mayor Alex Rivera, Mayor of Lakeport" in petition.get_petition_text()


def test_the_filename_names_the_petition_and_the_day(petition):
    assert delivery.pack_filename(petition) == (
        f"petition-save-lakeport-park-{timezone.localdate():%Y-%m-%d}.pdf"
    )


def test_a_management_command_writes_the_pack_to_a_file(petition, tmp_path):
    signer(petition, "Ada", "ada@example.org")
    output = tmp_path / "pack.pdf"

    call_command("petition_delivery_pack", str(petition.pk), str(output), stdout=io.StringIO())

    assert "Ada Lovelace" in "\n".join(pdf_pages(output.read_bytes()))
    with pytest.raises(CommandError, match="No petition page"):
        call_command("petition_delivery_pack", "999999", str(output))


def test_the_signatures_export_says_who_agreed_to_be_listed(organizer, petition):
    signer(petition, "Ada", "ada@example.org")
    signer(petition, "Zed", "zed@example.org", listed=False)

    response = organizer.get(f"/admin/signatures/?petition={petition.pk}&export=csv")

    rows = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    assert {row["First name"]: row["Agrees to be listed"] for row in rows} == {
        "Ada": "True",
        "Zed": "False",
    }
