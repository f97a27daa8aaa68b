"""After its deadline a petition says it is closed and refuses signatures."""

from datetime import timedelta

from django.utils import timezone

from tests.factories import PetitionPageFactory, SignatureFactory
from wagtail_petition.models import Signature


def closed_petition():
    return PetitionPageFactory(deadline=timezone.now() - timedelta(minutes=1))


def test_a_closed_petition_shows_no_form_and_says_it_is_closed(client, db):
    petition = closed_petition()

    html = client.get(petition.url).content.decode()

    assert "This petition is closed" in html
    assert 'name="email"' not in html


def test_a_closed_petition_refuses_a_post_and_says_so(client, db):
    petition = closed_petition()

    response = client.post(petition.url, SignatureFactory())

    assert response.status_code == 403
    assert "This petition is closed" in response.content.decode()
    assert not Signature.objects.exists()
    assert petition.signature_count == 0


def test_a_petition_before_its_deadline_takes_signatures(client, db):
    petition = PetitionPageFactory(deadline=timezone.now() + timedelta(days=1))

    response = client.post(petition.url, SignatureFactory())

    assert response.status_code == 303
    assert petition.signature_count == 1
