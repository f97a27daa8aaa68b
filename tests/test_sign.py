"""A visitor signs a petition: the form, the thank-you state and duplicates."""

import datetime as dt

import time_machine
from django.contrib.sessions.models import Session
from django.core import signing
from django.test import Client

from tests.factories import SignatureFactory, masked_referral_codes
from wagtail_petition import session
from wagtail_petition.models import PetitionCounter, Signature


def post_signature(client, petition, **data):
    return client.post(petition.url, SignatureFactory(**data))


def test_the_page_shows_the_petition_and_an_empty_form(client, petition):
    response = client.get(petition.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "To:" in html and "Mayor Alex Rivera" in html
    assert petition.title in html
    assert "The park is where the neighbourhood meets." in html
    for name in ("first_name", "last_name", "email", "postal_code", "comment", "opt_in"):
        assert f'name="{name}"' in html
    assert 'name="opt_in" id="id_opt_in"' in html  # not pre-checked
    assert "<strong>0</strong> signatures" in html


def test_a_valid_signature_is_stored_counted_and_thanked(client, petition):
    response = post_signature(
        client, petition, first_name="Ada", email="ada@example.org", comment="For my kids."
    )

    assert response.status_code == 303
    assert response["Location"] == f"{petition.url}?signed=1#petition-thanks"
    signature = Signature.objects.get()
    assert (signature.petition_id, signature.first_name, signature.email) == (
        petition.pk,
        "Ada",
        "ada@example.org",
    )
    assert signature.comment == "For my kids."
    assert signature.opt_in is False
    assert signature.status == Signature.Status.COUNTED
    assert petition.signature_count == 1

    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you, Ada!" in thanks
    assert "<strong>1</strong> signature" in thanks
    assert 'name="email"' not in thanks  # the form gives way to the thank-you
    assert "Share this petition" in thanks
    # The link to share is the petition's, marked as shared by link by this signer.
    code = Signature.objects.get().referral_code
    assert f'value="{petition.full_url}?source=link&amp;ref={code}" readonly' in thanks


def test_opting_in_is_stored(client, petition):
    post_signature(client, petition, opt_in="on")

    assert Signature.objects.get().opt_in is True


def test_the_source_code_of_the_link_is_kept(client, petition):
    form_html = client.get(petition.url + "?source=newsletter-nov").content.decode()
    assert 'name="source" value="newsletter-nov"' in form_html

    post_signature(client, petition, source="newsletter-nov")

    assert Signature.objects.get().source == "newsletter-nov"


def test_an_odd_source_code_is_dropped_without_bothering_the_signer(client, petition):
    response = post_signature(client, petition, source="<script>alert(1)</script>")

    assert response.status_code == 303
    assert Signature.objects.get().source == ""


def test_the_thank_you_state_needs_this_browsers_own_signature(client, petition):
    html = client.get(f"{petition.url}?signed=1").content.decode()

    assert "Thank you" not in html
    assert 'name="email"' in html


def test_signing_again_with_the_same_email_changes_nothing_and_looks_the_same(petition):
    first, second = Client(), Client()
    signer = {"first_name": "Ada", "last_name": "Lovelace"}

    first_response = post_signature(first, petition, email="ada@example.org", **signer)
    first_thanks = first.get(first_response["Location"])
    second_response = post_signature(second, petition, email="  ADA@Example.ORG ", **signer)
    second_thanks = second.get(second_response["Location"])

    assert Signature.objects.count() == 1
    assert PetitionCounter.count_for(petition_id=petition.pk) == 1
    assert second_response.status_code == first_response.status_code == 303
    assert second_response["Location"] == first_response["Location"]
    # The same, but for the random referral code in the share links.
    assert masked_referral_codes(second_thanks.content) == masked_referral_codes(
        first_thanks.content
    )


def test_the_count_shows_on_the_page_after_several_signatures(client, petition):
    for _ in range(3):
        post_signature(Client(), petition)

    assert "<strong>3</strong> signatures" in client.get(petition.url).content.decode()


def test_postal_code_and_comment_can_be_left_out_of_the_form(client, petition):
    petition.postal_code_field = "hidden"
    petition.show_comment_field = False
    petition.save_revision().publish()

    html = client.get(petition.url).content.decode()
    response = post_signature(client, petition, postal_code="99999", comment="ignored")

    assert 'name="postal_code"' not in html and 'name="comment"' not in html
    assert response.status_code == 303
    signature = Signature.objects.get()
    assert (signature.postal_code, signature.comment) == ("", "")


def test_the_editor_previews_the_thank_you_state(admin_client, petition):
    response = admin_client.get(f"/admin/pages/{petition.pk}/view_draft/?mode=signed")

    assert response.status_code == 200
    assert "Thank you, Alex!" in response.content.decode()


def assert_private(response):
    """No shared cache may keep the response, whatever it does with Vary."""
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_every_answer_that_depends_on_the_visitor_is_private(client, petition):
    assert_private(post_signature(client, petition, email="not-an-email"))  # form errors
    signed = post_signature(client, petition)
    assert_private(signed)  # the redirect
    assert_private(client.get(signed["Location"]))  # the thank-you state
    as_json = {"HTTP_ACCEPT": "application/json"}
    assert_private(client.post(petition.url, SignatureFactory(), **as_json))
    assert_private(client.post(petition.url, SignatureFactory(email="x"), **as_json))
    petition.deadline = petition.first_published_at
    petition.save_revision().publish()
    assert_private(post_signature(client, petition))  # closed


def test_signing_writes_no_session_and_replaces_an_earlier_signers_state(client, petition):
    post_signature(client, petition, first_name="Grace", email="grace@example.org")
    # The next visitor of a shared computer signs the same petition.
    post_signature(client, petition, first_name="Ada")

    assert "sessionid" not in client.cookies
    assert not Session.objects.exists()
    html = client.get(f"{petition.url}?signed=1").content.decode()
    assert "Thank you, Ada!" in html
    assert "Grace" not in html


def test_a_forged_or_edited_state_cookie_shows_no_thank_you(client, petition):
    post_signature(client, petition, first_name="Ada")
    value = client.cookies[session.COOKIE_NAME].value
    client.cookies[session.COOKIE_NAME] = value.replace(":", ":x", 1)

    html = client.get(f"{petition.url}?signed=1").content.decode()

    assert "Ada" not in html
    assert 'action="' in html  # the sign form, as for anyone


def test_what_a_signer_typed_is_kept_only_for_a_day(client, petition, settings):
    settings.WAGTAILPETITION_SIGNED_STATE_MAX_AGE = 24 * 60 * 60
    with time_machine.travel(dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC), tick=False):
        post_signature(client, petition, first_name="Ada")
    with time_machine.travel(dt.datetime(2026, 11, 27, 11, 0, tzinfo=dt.UTC), tick=False):
        assert "Thank you, Ada!" in client.get(f"{petition.url}?signed=1").content.decode()
    with time_machine.travel(dt.datetime(2026, 11, 27, 12, 1, tzinfo=dt.UTC), tick=False):
        html = client.get(f"{petition.url}?signed=1").content.decode()
        grace = post_signature(client, petition, first_name="Grace", email="other@example.org")

    assert "Ada" not in html
    assert grace.status_code == 303
    state = signing.loads(grace.cookies[session.COOKIE_NAME].value, salt=session.SALT)
    assert "Ada" not in str(state)  # dropped when rewritten
    assert state["signed"][str(petition.pk)]["signer"]["first_name"] == "Grace"
