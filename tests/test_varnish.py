"""The petition behind a real shared cache: a throwaway Varnish running the VCL
that ``docs/deployment.md`` gives (``docs/varnish.vcl``) in front of the live
server. The crowd's GETs are cache hits, a signer still reaches Django, and
publishing purges."""

import pytest
import requests

from tests.factories import SignatureFactory
from wagtail_petition.models import Signature

pytestmark = [pytest.mark.varnish, pytest.mark.django_db(transaction=True)]


def get(url, **headers):
    """A GET as a browser sends it: with its languages (the site's pages say
    Vary: Accept-Language, and the VCL keeps the first primary tag of it)."""
    headers.setdefault("Accept-Language", "en-US,en;q=0.9")
    return requests.get(url, headers=headers, timeout=30)


def test_the_crowds_second_get_is_a_cache_hit_and_a_signer_still_signs(petition, varnish):
    page = varnish + petition.url
    first, second = get(page), get(page, **{"Accept-Language": "en-GB,en;q=0.9"})

    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("MISS", "HIT")
    assert second.text == first.text
    assert "Set-Cookie" not in second.headers

    visitor = requests.Session()
    signed = visitor.post(
        f"{varnish}/petitions/{petition.pk}/sign/",
        SignatureFactory(first_name="Ada"),
        headers={"Origin": varnish, "Sec-Fetch-Site": "same-origin"},
        allow_redirects=False,
        timeout=30,
    )
    assert signed.status_code == 303
    thanks = visitor.get(varnish + signed.headers["Location"], timeout=30)
    assert "Thank you, Ada!" in thanks.text  # the signer's own page, past the cache
    assert thanks.headers["X-Cache"] == "MISS"
    assert "no-store" in thanks.headers["Cache-Control"]
    assert get(page).headers["X-Cache"] == "HIT"  # and the crowd's copy is untouched
    assert Signature.objects.filter(petition_id=petition.pk, first_name="Ada").count() == 1


def test_another_sites_form_is_refused_through_the_cache(petition, varnish):
    refused = requests.post(
        f"{varnish}/petitions/{petition.pk}/sign/",
        SignatureFactory(),
        headers={"Origin": "https://attacker.example", "Sec-Fetch-Site": "cross-site"},
        timeout=30,
    )

    assert refused.status_code == 403
    assert not Signature.objects.exists()


def test_publishing_purges_the_page_its_counts_embed_and_changes(petition, varnish, settings):
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": varnish,
        }
    }
    urls = [
        varnish + petition.url,
        varnish + petition.url + "?source=newsletter",
        f"{varnish}{petition.url}count/",
        f"{varnish}/petitions/{petition.pk}/count/",
        f"{varnish}{petition.url}embed/",
        f"{varnish}{petition.url}changes/",
    ]
    for url in urls:
        get(url)
        assert get(url).headers["X-Cache"] == "HIT"

    petition.title = "Save the park, now"
    petition.save_revision().publish()

    after = [get(url) for url in urls]
    assert [response.headers["X-Cache"] for response in after] == ["MISS"] * len(urls)
    assert "Save the park, now" in after[0].text
    assert "Save the park, now" in after[1].text
