"""A petition in two languages is one petition: with Wagtail's
internationalisation on, its English and Spanish pages share one counter, one
timeline of milestones and one duplicate check; each signature records the
language it was made in, and organizers see signatures by language."""

import csv
import io
import re
from urllib.parse import unquote

import pytest
from django.test import Client

from tests.factories import (
    PetitionPageFactory,
    SignatureFactory,
    UserFactory,
    site_root,
    translate,
)
from wagtail_petition.models import Milestone, PetitionCounter, Signature, TextChange


@pytest.fixture
def petition(i18n):
    site_root()
    return PetitionPageFactory(title="Save the park")


@pytest.fixture
def spanish(petition, i18n):
    return translate(petition, i18n, title="Salvemos el parque")


def sign(page, **fields):
    response = Client().post(page.url, SignatureFactory(**fields))
    assert response.status_code == 303, response.content.decode()[:500]
    return response


def count_on(page) -> str:
    """The count line of the page, as text."""
    html = Client().get(page.url).content.decode()
    line = html.split('class="petition-progress__count">', 1)[1].split("</p>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", "", line).split())


def test_the_spanish_page_is_in_spanish_at_its_own_address(petition, spanish):
    assert spanish.url.startswith("/es/")
    html = Client().get(spanish.url).content.decode()
    assert '<html lang="es">' in html
    assert "Salvemos el parque" in html
    assert "Firmar" in html


def test_a_sign_in_spanish_moves_the_english_count(petition, spanish):
    sign(spanish, email="ana@example.org")
    sign(petition, email="ben@example.org")

    assert petition.signature_count == spanish.signature_count == 2
    assert PetitionCounter.count_for(petition_id=spanish.pk) == 0  # no count of its own
    assert count_on(petition) == "2 signatures"
    assert count_on(spanish) == "2 firmas"
    signatures = Signature.objects.order_by("pk")
    assert [(s.petition_id, s.language) for s in signatures] == [
        (petition.pk, "es"),
        (petition.pk, "en"),
    ]


def test_an_address_signing_both_languages_counts_once(petition, spanish):
    sign(petition, email="ana@example.org")
    sign(spanish, email="Ana@Example.org")

    assert petition.signature_count == 1
    assert Signature.objects.count() == 1


def test_a_milestone_is_stamped_once_for_both_languages(petition, spanish):
    for n in range(10):
        sign(spanish if n % 2 else petition, email=f"signer{n}@example.org")

    assert list(Milestone.objects.values_list("petition_id", "threshold")) == [(petition.pk, 10)]
    assert "10 signatures reached" in Client().get(petition.url).content.decode()
    assert "10 firmas alcanzadas" in Client().get(spanish.url).content.decode()


def test_the_live_count_of_the_fast_path_speaks_the_pages_language(petition, spanish):
    sign(petition, email="ana@example.org")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    data = client.get(f"/petitions/{spanish.pk}/count/").json()

    assert (data["count"], data["count_text"]) == (1, "1 firma")
    assert client.get(f"/petitions/{petition.pk}/count/").json()["count_text"] == "1 signature"


def test_confirming_on_the_spanish_page_counts_for_the_petition(
    petition, spanish, mailoutbox, django_capture_on_commit_callbacks
):
    PetitionPageFactory._meta.model.objects.filter(pk__in=[petition.pk, spanish.pk]).update(
        require_confirmation=True
    )
    spanish.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        sign(spanish, email="ana@example.org")
    [email] = mailoutbox
    assert "Salvemos el parque" in email.body
    [link] = re.findall(r"http://\S+/es/\S+\?confirm=\S+", email.body)

    response = Client().post(spanish.url, {"confirmation_token": unquote(link.split("=", 1)[1])})

    assert response.status_code == 303
    assert petition.signature_count == 1
    assert Signature.objects.get().status == Signature.Status.COUNTED


def test_a_text_change_is_recorded_on_the_translation_that_changed(petition, spanish):
    sign(spanish, email="ana@example.org")
    spanish.summary = "Mantengamos el parque verde y abierto."
    spanish.save_revision().publish()

    assert list(TextChange.objects.values_list("petition_id", flat=True)) == [spanish.pk]
    petition.summary = "Keep the park green and open."
    petition.save_revision().publish()
    # Nobody signed the English text yet: no change to record there.
    assert list(TextChange.objects.values_list("petition_id", flat=True)) == [spanish.pk]


# Organizers --------------------------------------------------------------------


@pytest.fixture
def organizer(i18n):
    client = Client()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_the_report_lists_the_petition_once_and_its_dashboard_by_language(
    petition, spanish, organizer
):
    sign(spanish, email="ana@example.org")
    sign(spanish, email="ben@example.org")
    sign(petition, email="cleo@example.org")

    report = organizer.get("/admin/reports/petitions/").content.decode()
    assert f"/admin/reports/petitions/{petition.pk}/" in report
    assert f"/admin/reports/petitions/{spanish.pk}/" not in report

    # The Spanish page's dashboard is the petition's.
    dashboard = organizer.get(f"/admin/reports/petitions/{spanish.pk}/")
    assert dashboard.context["petition"].pk == petition.pk
    rows = [(row["label"], row["count"]) for row in dashboard.context["languages"]]
    assert rows == [("Spanish", 2), ("English", 1)]
    assert "Signatures by language" in dashboard.content.decode()


def test_the_listing_filters_and_exports_by_language(petition, spanish, organizer):
    sign(spanish, email="ana@example.org")
    sign(petition, email="ben@example.org")

    listing = organizer.get("/admin/signatures/", {"language": "es"})
    assert [s.email for s in listing.context["object_list"]] == ["ana@example.org"]
    export = organizer.get("/admin/signatures/", {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(export.getvalue().decode())))
    assert {row["Email"]: row["Language"] for row in rows} == {
        "ana@example.org": "es",
        "ben@example.org": "en",
    }


def test_the_api_lists_the_petition_once_with_its_translations(petition, spanish):
    sign(spanish, email="ana@example.org")

    [item] = Client().get("/petitions/api/v1/petitions.json").json()["items"]
    assert (item["id"], item["language"], item["signature_count"]) == (petition.pk, "en", 1)
    assert [(t["id"], t["language"]) for t in item["translations"]] == [(spanish.pk, "es")]
    assert item["translations"][0]["url"].endswith(spanish.url)

    record = Client().get(f"/petitions/api/v1/petitions/{spanish.pk}.json").json()
    assert (record["title"], record["language"], record["signature_count"]) == (
        "Salvemos el parque",
        "es",
        1,
    )
    assert [t["id"] for t in record["translations"]] == [petition.pk]


def test_without_internationalisation_a_page_is_its_own_petition(db, django_assert_num_queries):
    page = PetitionPageFactory()
    with django_assert_num_queries(0):
        assert page.original_petition_id == page.pk
        assert page.original_petition is page
        language = page.get_language_code()
    assert language == page.locale.language_code == "en"
