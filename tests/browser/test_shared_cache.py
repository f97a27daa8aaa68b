"""Signing in a real browser from a petition page that Varnish served from its
cache, with JavaScript on and off; and another site's page, which cannot sign
for its visitors."""

import pytest

from tests.browser.test_signing import fill_form
from wagtail_petition.models import Signature

pytestmark = [pytest.mark.browser, pytest.mark.varnish, pytest.mark.django_db(transaction=True)]


def cached(page, url):
    """Open ``url`` once the cache holds it; the response's X-Cache header."""
    # Another visitor's GET fills the cache; the VCL keys it by the first
    # language of Accept-Language, which a browser at "en-US" shares.
    page.request.get(url, headers={"Accept-Language": "en-GB,en;q=0.8"})
    return page.goto(url).headers["x-cache"]


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_signing_from_the_cached_page(browser, petition, varnish, javascript):
    context = browser.new_context(locale="en-US", java_script_enabled=javascript)
    page = context.new_page()

    assert cached(page, varnish + petition.url) == "HIT"
    fill_form(page, first_name="Ada")
    page.get_by_role("button", name="Sign", exact=True).click()

    page.get_by_role("heading", name="Thank you, Ada!").wait_for()
    assert page.url.endswith("?signed=1#petition-thanks")
    assert Signature.objects.filter(petition_id=petition.pk, first_name="Ada").count() == 1
    context.close()


ATTACKER = "http://attacker.test/"


@pytest.mark.parametrize("how", ["form", "fetch"])
def test_another_sites_page_cannot_sign_for_its_visitor(page, petition, live_server, how):
    """A page elsewhere posts to the sign URL, by a form or by a script; the
    visitor's browser says where it comes from, and nothing is stored."""
    action = f"{live_server.url}/petitions/{petition.pk}/sign/"
    fields = "".join(
        f'<input name="{name}" value="{value}">'
        for name, value in {"first_name": "Mallory", "email": "forged@attacker.example"}.items()
    )
    page.route(
        ATTACKER,
        lambda route: route.fulfill(
            content_type="text/html",
            body=f'<form method="post" action="{action}">{fields}<button>Win</button></form>',
        ),
    )
    page.goto(ATTACKER)

    if how == "form":
        with page.expect_navigation():
            page.get_by_role("button", name="Win").click()
        assert page.locator("body").inner_text().startswith("This form was sent from another")
    else:
        status = page.evaluate(
            """async (action) => (await fetch(action, {method: "POST", mode: "cors",
                 body: new FormData(document.querySelector("form"))}).catch(() => null))""",
            action,
        )
        assert status is None  # refused, and no CORS header lets the script read why

    assert not Signature.objects.filter(email="forged@attacker.example").exists()
    assert petition.signature_count == 9  # the fixture's, no more
