"""After its deadline a petition says it is closed and refuses signatures."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.utils import timezone

from tests.factories import PetitionPageFactory, SignatureFactory, sign_many
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


def test_a_closed_petition_says_when_it_closed_with_how_many_and_heads_for_no_goal(client, db):
    petition = PetitionPageFactory(deadline=timezone.now() + timedelta(days=1))
    sign_many(petition, 12)
    with time_machine.travel(datetime(2026, 12, 31, 12, 0, tzinfo=UTC)):
        petition.deadline = datetime(2026, 12, 24, 17, 0, tzinfo=UTC)
        petition.save_revision().publish()

        html = client.get(petition.url).content.decode()
        count = client.get(f"{petition.url}count/").json()

    assert "Closed on Dec. 24, 2026 with <strong>12</strong> signatures" in html
    assert "Let&#x27;s get to" not in html and "Let's get to" not in html
    assert "<progress" not in html
    assert count["count_text"] == "Closed on Dec. 24, 2026 with 12 signatures"
    assert count["goal"] is None and count["goal_text"] == ""
