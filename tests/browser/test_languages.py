"""The petition in Spanish, in a real browser: the page reads in Spanish, passes
the accessibility audit, and a sign there moves the English page's count."""

import pytest

from tests.browser.conftest import audit, screenshot
from tests.browser.test_signing import fill_form
from tests.factories import PetitionPageFactory, translate
from wagtail_petition.models import Signature

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def petitions(i18n):
    english = PetitionPageFactory(title="Light the river path", location="Lakeport, IL, USA")
    spanish = translate(
        english,
        i18n,
        title="Iluminemos el camino del río",
        summary="El camino del río está a oscuras por la noche.",
        location="Lakeport, IL, EE. UU.",
    )
    return english, spanish


def count_text(page) -> str:
    return " ".join(page.locator(".petition-progress__count").inner_text().split())


def test_a_sign_on_the_spanish_page_moves_the_english_count(page, live_server, petitions):
    english, spanish = petitions
    page.goto(live_server.url + spanish.url)
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", name="Iluminemos el camino del río").is_visible()
    assert count_text(page) == "0 firmas"
    audit(page, "the Spanish petition")

    page.get_by_label("Nombre", exact=True).fill("Ana")
    page.get_by_label("Apellido", exact=True).fill("Ruiz")
    page.get_by_label("Correo electrónico", exact=True).fill("ana@example.org")
    page.get_by_label("Código postal", exact=True).fill("60601")
    page.get_by_role("button", name="Firmar", exact=True).click()
    page.get_by_role("heading", name="¡Gracias, Ana!").wait_for()
    assert count_text(page) == "1 firma"
    screenshot(page, "petition-in-spanish")
    audit(page, "the Spanish thank-you")

    page.goto(live_server.url + english.url)
    assert count_text(page) == "1 signature"
    # The same address on the English page counts once.
    fill_form(page, first_name="Ana", email="ana@example.org")
    page.get_by_role("button", name="Sign", exact=True).click()
    page.get_by_role("heading", name="Thank you, Ana!").wait_for()
    assert count_text(page) == "1 signature"
    assert list(Signature.objects.values_list("language", flat=True)) == ["es"]
