"""A petition page any shared cache may serve: on a site that includes
``wagtail_petition.urls`` (the example site does), an anonymous visitor's page
carries nothing of theirs, and the fast path's POSTs refuse other sites' pages
in place of a CSRF token."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.factories import PetitionPageFactory, SignatureFactory, call_script
from wagtail_petition.models import CallReport, Signature


def sign_url(petition):
    return f"/petitions/{petition.pk}/sign/"


def assert_shared(response, seconds=60):
    assert response.status_code == 200
    assert response["Cache-Control"] == f"public, max-age=0, s-maxage={seconds}"
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


def assert_not_shared(response):
    assert "public" not in response.get("Cache-Control", "")


def test_an_anonymous_visitors_page_is_the_same_for_everyone(client, petition):
    response = client.get(petition.url)

    assert_shared(response)
    html = response.content.decode()
    assert f'action="{sign_url(petition)}"' in html
    assert f'data-petition-count-url="/petitions/{petition.pk}/count/"' in html


def test_a_page_is_never_kept_past_its_deadline(client, db):
    petition = PetitionPageFactory(deadline=timezone.now() + dt.timedelta(seconds=30))

    seconds = int(client.get(petition.url)["Cache-Control"].rpartition("=")[2])

    assert 0 < seconds <= 30


def test_the_lifetime_is_a_setting_and_zero_turns_shared_caching_off(client, petition, settings):
    settings.WAGTAILPETITION_PAGE_CACHE_SECONDS = 300
    assert_shared(client.get(petition.url), seconds=300)

    settings.WAGTAILPETITION_PAGE_CACHE_SECONDS = 0
    assert_not_shared(client.get(petition.url))


def test_the_visitors_own_views_are_private(client, petition):
    client.post(sign_url(petition), SignatureFactory(first_name="Ada"))

    for query in ("?signed=1", "?called=x"):
        response = client.get(petition.url + query)
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_a_page_that_read_the_visitors_session_is_not_shared(client, petition):
    PageViewRestriction.objects.create(page=petition, restriction_type="login")
    editor = User.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(editor)

    response = client.get(petition.url)

    assert response.status_code == 200
    assert_not_shared(response)


@pytest.mark.urls("tests.urls_zero_config")
def test_without_the_fast_path_the_page_keeps_its_token_and_is_not_shared(client, petition):
    response = client.get(petition.url)

    assert_not_shared(response)
    html = response.content.decode()
    assert "csrfmiddlewaretoken" in html
    assert f'action="{petition.url}"' in html
    assert f'data-petition-count-url="{petition.url}count/"' in html


# The fast path's POSTs ------------------------------------------------------------

SAME_SITE = [
    {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"},
    {"HTTP_ORIGIN": "http://testserver"},  # a browser from before Sec-Fetch-Site
    {},  # not a browser: no header says where it comes from
]
CROSS_SITE = [
    {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://attacker.example"},
    {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://evil.testserver"},
    {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "null"},  # a sandboxed frame
    {"HTTP_ORIGIN": "https://attacker.example"},
]


@pytest.mark.parametrize("headers", SAME_SITE)
def test_signing_on_the_fast_path_stores_and_thanks(client, petition, headers):
    response = client.post(sign_url(petition), SignatureFactory(first_name="Ada"), **headers)

    assert response.status_code == 303
    assert response["Location"] == f"{petition.url}?signed=1#petition-thanks"
    assert Signature.objects.filter(petition_id=petition.pk).count() == 1
    assert "Thank you, Ada!" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_another_sites_page_cannot_sign_for_its_visitors(client, petition, headers):
    response = client.post(sign_url(petition), SignatureFactory(), **headers)
    as_json = client.post(
        sign_url(petition), SignatureFactory(), HTTP_ACCEPT="application/json", **headers
    )

    assert response.status_code == as_json.status_code == 403
    assert "sent from another website" in response.content.decode()
    assert not Signature.objects.exists()
    assert petition.signature_count == 0


def test_a_trusted_origin_may_post(client, petition, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.campaign.example"]
    headers = {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://go.campaign.example"}

    assert client.post(sign_url(petition), SignatureFactory(), **headers).status_code == 303


def test_form_errors_on_the_fast_path_are_shown_next_to_the_field(client, petition):
    response = client.post(sign_url(petition), SignatureFactory(email="not-an-email"))

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert not Signature.objects.exists()


def test_the_fast_path_answers_only_live_petitions_and_only_posts(client, petition):
    draft = PetitionPageFactory()
    draft.unpublish()

    assert client.get(sign_url(petition)).status_code == 405
    assert client.post(sign_url(draft), SignatureFactory()).status_code == 404
    assert client.get(f"/petitions/{draft.pk}/count/").status_code == 404
    assert client.post("/petitions/0/sign/", SignatureFactory()).status_code == 404
    assert not Signature.objects.exists()


def test_a_private_petition_takes_nothing_on_the_fast_path(client, petition):
    PageViewRestriction.objects.create(
        page=petition, restriction_type="password", password="secret"
    )

    assert client.post(sign_url(petition), SignatureFactory()).status_code == 403
    assert client.get(f"/petitions/{petition.pk}/count/").status_code == 403
    assert not Signature.objects.exists()


def test_the_fast_path_count_is_the_pages_count(client, petition):
    client.post(sign_url(petition), SignatureFactory())

    response = client.get(f"/petitions/{petition.pk}/count/")

    assert response.json()["count"] == 1
    assert response["Cache-Control"].startswith("public")


def test_a_call_report_on_the_fast_path(client, db):
    petition = PetitionPageFactory(body=[call_script()])
    block_id = petition.body[0].id
    url = f"/petitions/calls/{petition.pk}/"

    refused = client.post(
        url, {"block_id": block_id, "outcome": "spoke"}, HTTP_SEC_FETCH_SITE="cross-site"
    )
    response = client.post(url, {"block_id": block_id, "outcome": "spoke"})

    assert refused.status_code == 403
    assert response.status_code == 303
    assert CallReport.objects.get().outcome == "spoke"
    html = client.get(response["Location"]).content.decode()
    assert "Thank you for calling!" in html
