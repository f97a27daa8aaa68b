"""Bad input gets a clear answer next to the field and stores nothing."""

import pytest

from tests.factories import SignatureFactory
from wagtail_petition.models import PetitionCounter, Signature


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "", "This field is required."),
        ("email", "not-an-email", "Enter a valid email address."),
        ("first_name", "A" * 10_000, "Ensure this value has at most 100 characters"),
        ("last_name", "Love\x00lace", "Null characters are not allowed."),
        ("comment", "x" * 1001, "Ensure this value has at most 1000 characters"),
        ("postal_code", "<60601>", "Enter a postal code using only letters"),
    ],
)
def test_a_bad_field_gets_an_error_next_to_it_and_nothing_is_stored(
    client, petition, field, value, message
):
    data = {**SignatureFactory(first_name="Grace", last_name="Hopper"), field: value}

    response = client.post(petition.url, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}' in html
    assert f'href="#id_{field}"' in html  # the error summary links to the field
    assert 'aria-invalid="true"' in html
    kept = "Hopper" if field == "first_name" else "Grace"
    assert f'value="{kept}"' in html  # what the visitor typed is kept
    assert not Signature.objects.exists()
    assert PetitionCounter.count_for(petition_id=petition.pk) == 0


def test_a_required_postal_code_must_be_given(client, petition):
    petition.postal_code_field = "required"
    petition.save_revision().publish()

    response = client.post(petition.url, SignatureFactory(postal_code=""))

    assert '<ul class="errorlist" id="id_postal_code_error">' in response.content.decode()
    assert not Signature.objects.exists()


def test_an_empty_post_is_answered_with_errors_not_a_crash(client, petition):
    response = client.post(petition.url, {})

    assert response.status_code == 200
    assert response.content.decode().count('class="errorlist"') == 3
    assert not Signature.objects.exists()


def test_a_postal_code_is_tidied(client, petition):
    client.post(petition.url, SignatureFactory(postal_code="  sw1a   1aa "))

    assert Signature.objects.get().postal_code == "SW1A 1AA"
