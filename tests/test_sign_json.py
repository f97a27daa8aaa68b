"""The sign form posted by the page's script: the same endpoint answers in JSON."""

from datetime import timedelta

from django.utils import timezone

from tests.factories import PetitionPageFactory, SignatureFactory, call_script, sign_many
from wagtail_petition.models import Signature

AS_SCRIPT = {"HTTP_ACCEPT": "application/json"}


def post_as_script(client, petition, **data):
    return client.post(petition.url, SignatureFactory(**data), **AS_SCRIPT)


def test_a_signature_gets_the_thank_you_the_new_count_and_milestones(client, db):
    petition = PetitionPageFactory(body=[("paragraph", "<p>Why it matters.</p>"), call_script()])
    sign_many(petition, 9)

    response = post_as_script(client, petition, first_name="Ada", last_name="Byron")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "Accept" in response["Vary"]
    data = response.json()
    assert data["url"] == f"{petition.url}?signed=1#petition-thanks"
    assert "Thank you, Ada!" in data["thanks_html"]
    assert 'class="call-script"' in data["thanks_html"]
    assert '<strong class="call-script__filled">Ada</strong>' in data["thanks_html"]
    assert data["count"]["count"] == 10
    assert data["count"]["count_text"] == "10 signatures"
    assert "10 signatures reached" in data["milestones_html"]
    assert Signature.objects.filter(petition_id=petition.pk, first_name="Ada").exists()
    # The session keeps the thank-you state for a reload of data["url"].
    assert "Thank you, Ada!" in client.get(data["url"]).content.decode()


def test_an_invalid_email_gets_400_with_the_form_its_errors_and_what_was_typed(client, petition):
    response = post_as_script(client, petition, first_name="Ada", email="ada-at-example")

    assert response.status_code == 400
    data = response.json()
    assert data["errors"]["email"][0]["message"] == "Enter a valid email address."
    html = data["form_html"]
    assert 'id="petition-form-errors" role="alert" tabindex="-1"' in html
    assert '<a href="#id_email">Email: Enter a valid email address.</a>' in html
    assert 'value="Ada"' in html and 'value="ada-at-example"' in html
    assert 'aria-invalid="true"' in html
    assert not Signature.objects.exists()


def test_a_closed_petition_gets_403_with_its_notice(client, db):
    petition = PetitionPageFactory(deadline=timezone.now() - timedelta(days=1))

    response = post_as_script(client, petition)

    assert response.status_code == 403
    assert "This petition is closed" in response.json()["closed_html"]
    assert not Signature.objects.exists()


def test_a_browsers_own_submission_still_gets_the_redirect(client, petition):
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

    response = client.post(petition.url, SignatureFactory(), HTTP_ACCEPT=browser_accept)

    assert response.status_code == 303
    assert response["Location"] == f"{petition.url}?signed=1#petition-thanks"
