"""The petition on other sites: the embed widget, signing inside it without
cookies, its oEmbed description and the admin's copy-paste snippet."""

import json
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.urls import reverse
from wagtail.models import Site

from tests.factories import PetitionPageFactory, SignatureFactory, sign_many
from wagtail_petition.models import Signature

SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin"}
AS_SCRIPT = {"HTTP_ACCEPT": "application/json", **SAME_ORIGIN}
OEMBED = "/petitions/oembed/"


def embed_url(petition):
    return petition.url + "embed/"


def sign_in_embed(client, petition, **headers):
    url = f"/petitions/{petition.pk}/sign/?embed=1"
    return client.post(url, SignatureFactory(first_name="Ada"), **{**SAME_ORIGIN, **headers})


# The widget ------------------------------------------------------------------------


def test_the_widget_is_a_small_document_with_title_count_and_form(client, petition):
    sign_many(petition, 3)

    response = client.get(embed_url(petition))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en-us">' in html
    assert f"<title>{petition.title}</title>" in html
    assert f'<a href="{petition.url}" target="_blank" rel="noopener">{petition.title}' in html
    assert "<strong>3</strong> signatures" in html
    assert f'data-petition-count-url="/petitions/{petition.pk}/count/"' in html
    assert f'action="/petitions/{petition.pk}/sign/?embed=1"' in html
    assert "csrfmiddlewaretoken" not in html
    assert "wagtail_petition/css/embed.css" in html
    assert "style=" not in html and "<script>" not in html
    # Not the site's own layout.
    assert "Lakeport Action" not in html


def test_other_sites_may_frame_the_widget_as_the_setting_says(client, petition, settings):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ]

    policy = client.get(embed_url(petition))["Content-Security-Policy"]
    assert "frame-ancestors *" in policy
    assert "script-src 'self';" in policy and "form-action 'self'" in policy
    assert "object-src 'none'" in policy and "default-src 'self'" in policy
    assert "X-Frame-Options" not in client.get(embed_url(petition)).headers
    # The page itself stays unframeable.
    page = client.get(petition.url)
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"

    settings.WAGTAILPETITION_EMBED_ORIGINS = [
        "https://partner.example",
        "https://*.allies.example",
    ]
    policy = client.get(embed_url(petition))["Content-Security-Policy"]
    assert "frame-ancestors https://partner.example https://*.allies.example" in policy


def test_static_files_on_another_host_are_allowed_by_the_widgets_policy(
    client, petition, settings
):
    settings.STATIC_URL = "https://cdn.example/static/"

    policy = client.get(embed_url(petition))["Content-Security-Policy"]

    assert "script-src 'self' https://cdn.example;" in policy
    assert "style-src 'self' https://cdn.example;" in policy


def test_the_widget_may_be_shared_by_caches_like_the_page(client, petition):
    response = client.get(embed_url(petition))

    assert "public" in response["Cache-Control"] and "s-maxage=60" in response["Cache-Control"]
    assert not response.cookies


# Signing inside the widget ---------------------------------------------------------------


def test_signing_in_the_widget_thanks_by_a_token_url_without_cookies(client, petition):
    response = sign_in_embed(client, petition)

    assert response.status_code == 303
    location = response["Location"]
    assert location.startswith(f"{petition.url}embed/?thanks=")
    signature = Signature.objects.get(petition_id=petition.pk, first_name="Ada")
    # The token names the petition and the signer's referral code, and no one.
    token = location.split("thanks=")[1].replace("%3A", ":")
    assert signing.loads(token, salt="wagtail_petition.embed.thanks") == {
        "p": petition.pk,
        "r": signature.referral_code,
    }
    assert "Ada" not in location

    client.cookies.clear()  # as in a frame whose cookies the browser blocks
    thanks = client.get(location)
    html = thanks.content.decode()
    assert "Thank you for signing!" in html
    assert "Ada" not in html
    assert "Share this petition" in html
    # The signer's share links carry their code, from the token.
    assert f"ref={signature.referral_code}" in html
    assert "Open the full petition" in html
    assert "petition-sign" not in html
    assert "<strong>1</strong> signature" in html
    assert "frame-ancestors *" in thanks["Content-Security-Policy"]
    assert "no-store" in thanks["Cache-Control"]


def test_a_petition_that_requires_confirmation_says_so_in_the_widget(client, db):
    petition = PetitionPageFactory(require_confirmation=True)

    location = sign_in_embed(client, petition)["Location"]

    assert "check your inbox" in client.get(location).content.decode()


def test_the_widgets_script_gets_the_widgets_thank_you(client, petition):
    data = sign_in_embed(client, petition, **AS_SCRIPT).json()

    assert data["url"].startswith(f"{petition.url}embed/?thanks=")
    assert "Thank you for signing!" in data["thanks_html"]
    assert "Open the full petition" in data["thanks_html"]
    assert data["milestones_html"] == ""
    assert data["count"]["count"] == 1


def test_form_errors_in_the_widget_come_back_in_the_widget(client, petition):
    url = f"/petitions/{petition.pk}/sign/?embed=1"
    response = client.post(url, SignatureFactory(email="nope"), **SAME_ORIGIN)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="petition-embed"' in html and "Enter a valid email address." in html
    assert f'action="/petitions/{petition.pk}/sign/?embed=1"' in html
    assert "frame-ancestors *" in response["Content-Security-Policy"]

    data = client.post(url, SignatureFactory(email="nope"), **AS_SCRIPT).json()
    assert f'action="/petitions/{petition.pk}/sign/?embed=1"' in data["form_html"]


def test_another_sites_page_still_cannot_sign_through_the_widgets_url(client, petition):
    response = sign_in_embed(client, petition, HTTP_SEC_FETCH_SITE="cross-site")

    assert response.status_code == 403
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    "make_token",
    [
        lambda petition: "garbage",
        lambda petition: signing.dumps({"p": 0, "r": ""}, salt="wagtail_petition.embed.thanks"),
        lambda petition: signing.dumps({"p": petition.pk, "r": ""}, salt="another.salt"),
        lambda petition: "",
    ],
    ids=["garbage", "another petition", "another salt", "empty"],
)
def test_a_bad_or_foreign_token_shows_the_widget_without_thanks(client, petition, make_token):
    response = client.get(embed_url(petition), {"thanks": make_token(petition)})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Thank you" not in html
    assert "petition-sign" in html


def test_an_expired_token_shows_the_widget_without_thanks(client, petition, time_machine):
    time_machine.move_to("2026-03-01 12:00", tick=False)
    location = sign_in_embed(client, petition)["Location"]
    time_machine.move_to("2026-03-02 13:00", tick=False)

    assert "Thank you" not in client.get(location).content.decode()


@pytest.mark.urls("tests.urls_zero_config")
def test_without_the_fast_path_the_widget_links_to_the_page_to_sign(client, petition):
    response = client.get(embed_url(petition))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<form" not in html and "csrfmiddlewaretoken" not in html
    assert f'href="{petition.url}#petition-sign" target="_blank" rel="noopener"' in html
    assert "Sign the petition" in html
    assert "frame-ancestors *" in response["Content-Security-Policy"]


def test_the_widget_answers_only_gets(client, petition):
    assert client.post(embed_url(petition)).status_code == 405


# oEmbed ---------------------------------------------------------------------------------


def oembed(client, url, **params):
    return client.get(OEMBED, {"url": url, **params})


def test_the_oembed_endpoint_describes_the_widget(client, petition):
    response = oembed(client, f"http://localhost{petition.url}", format="json")

    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "rich" and data["version"] == "1.0"
    assert data["title"] == petition.title
    assert data["provider_name"] == "localhost" and data["provider_url"] == "http://localhost/"
    assert data["html"].startswith(f'<iframe src="http://localhost{petition.url}embed/"')
    assert f'title="{petition.title}"' in data["html"] and 'loading="lazy"' in data["html"]
    assert "<script" not in data["html"]
    assert (data["width"], data["height"]) == (400, 640)
    assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]


def test_oembed_sizes_respect_maxwidth_and_maxheight(client, petition):
    url = f"http://localhost{petition.url}"

    data = oembed(client, url, maxwidth="300", maxheight="2000").json()

    assert (data["width"], data["height"]) == (300, 640)
    assert 'width="300" height="640"' in data["html"]
    assert oembed(client, url, maxwidth="wide").status_code == 400


def test_oembed_finds_pages_by_their_sites_host(client, petition):
    Site.objects.create(
        hostname="other.example", root_page=petition.get_parent(), site_name="Allies"
    )

    data = oembed(client, f"https://other.example/{petition.slug}/").json()

    assert data["provider_name"] == "Allies"


@pytest.mark.parametrize(
    "url",
    [
        "",
        "not a url",
        "http://localhost/no-such-page/",
        "ftp://localhost/",
        "http://localhost:99999/",
        "http://elsewhere.example/{slug}/",
    ],
)
def test_oembed_is_404_for_anything_but_a_live_petition_of_this_site(client, petition, url):
    assert oembed(client, url.format(slug=petition.slug)).status_code == 404


def test_oembed_is_404_for_a_draft_and_the_home_page(client, petition):
    draft = PetitionPageFactory()
    draft.unpublish()

    assert oembed(client, f"http://localhost{draft.url_path[len('/home') :]}").status_code == 404
    assert oembed(client, "http://localhost/").status_code == 404


def test_oembed_xml_is_not_implemented(client, petition):
    response = oembed(client, f"http://localhost{petition.url}", format="xml")

    assert response.status_code == 501


def test_the_page_has_its_own_oembed_url(client, petition):
    data = client.get(petition.url + "oembed/", {"maxwidth": 350}).json()

    assert data["type"] == "rich" and data["width"] == 350
    assert client.get(petition.url + "oembed/", {"format": "xml"}).status_code == 501


def test_the_pages_head_links_to_its_oembed_description(client, petition):
    html = client.get(petition.url).content.decode()

    assert (
        '<link rel="alternate" type="application/json+oembed" '
        'href="http://testserver/petitions/oembed/?url=http%3A%2F%2Flocalhost%2F'
        f'{petition.slug}%2F&amp;format=json" title="{petition.title}">'
    ) in html


@pytest.mark.urls("tests.urls_zero_config")
def test_without_the_fast_path_the_discovery_link_is_the_pages_own(client, petition):
    html = client.get(petition.url).content.decode()

    assert (
        f'type="application/json+oembed" href="http://localhost{petition.url}oembed/?format=json"'
    ) in html
    assert client.get(petition.url + "oembed/").json()["type"] == "rich"


def test_wagtails_own_embed_finder_embeds_the_petition(live_server, transactional_db):
    from wagtail.embeds.finders.oembed import OEmbedFinder

    petition = PetitionPageFactory()
    server = urlsplit(live_server.url)
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = server.hostname, server.port
    site.save()
    page_url = live_server.url + petition.url
    finder = OEmbedFinder(
        providers=[{"endpoint": live_server.url + OEMBED, "urls": [rf"^{live_server.url}/.+$"]}]
    )

    result = finder.find_embed(page_url, max_width=320)

    assert result["type"] == "rich"
    assert result["title"] == petition.title
    assert f'<iframe src="{page_url}embed/"' in result["html"]
    assert 'width="320"' in result["html"]


# The admin ----------------------------------------------------------------------------------


def test_editors_find_the_embed_snippet_on_the_dashboard(admin_client, petition):
    response = admin_client.get(reverse("wagtail_petition_dashboard", args=[petition.pk]))

    html = response.content.decode()
    assert "Embed on another site" in html
    assert '<label class="w-field__label" for="petition-embed-html">' in html
    assert (
        '<textarea class="petition-dashboard__code" id="petition-embed-html" rows="6" readonly>'
        f"&lt;iframe src=&quot;http://localhost{petition.url}embed/&quot;"
    ) in html
    assert (
        f'id="petition-embed-url" type="url" value="http://localhost{petition.url}" readonly'
        in html
    )


def test_oembed_json_is_valid_json_with_escaped_html(client, db):
    petition = PetitionPageFactory(title='Stop "the" <tower>')

    data = json.loads(oembed(client, f"http://localhost{petition.url}").content)

    assert 'title="Stop &quot;the&quot; &lt;tower&gt;"' in data["html"]


def test_the_page_editor_tells_where_to_find_the_embed_code(admin_client, petition):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[petition.pk]))

    html = response.content.decode()
    assert "Embed on another site" in html
    assert "copy the embed code from its dashboard" in html


def test_a_closed_petition_says_so_in_the_widget(client, db):
    from datetime import timedelta

    from django.utils import timezone

    petition = PetitionPageFactory(deadline=timezone.now() - timedelta(days=1))

    assert "This petition is closed" in client.get(embed_url(petition)).content.decode()
    response = sign_in_embed(client, petition)
    assert response.status_code == 403
    assert 'class="petition-embed"' in response.content.decode()
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert not Signature.objects.exists()


def test_a_partner_tracks_its_signers_with_a_source_code(client, petition):
    html = client.get(embed_url(petition), {"source": "allies"}).content.decode()

    assert 'name="source" value="allies"' in html
