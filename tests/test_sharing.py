"""Sharing after signing, and what it tells organizers: share links that carry
the channel (``source``) and the signer's referral code (``ref``), a signer
told how many people their link brought, and the petition's dashboard and
signatures listing showing where signatures came from."""

import csv
import html
import io
import re
from urllib.parse import parse_qs, unquote, urlsplit

import openpyxl
import pytest
from django.test import Client

from tests.factories import (
    SignatureFactory,
    admin_user_with,
    masked_referral_codes,
)
from wagtail_petition.models import Signature
from wagtail_petition.sharing import CODE_PATTERN
from wagtail_petition.signing import sign

AS_SCRIPT = {"HTTP_ACCEPT": "application/json"}
LISTING = "/admin/signatures/"


def post(client, petition, query="", **data):
    return client.post(petition.url + query, SignatureFactory(**data))


def thank_you(client, petition, **data) -> str:
    response = post(client, petition, **data)
    assert response.status_code == 303
    return client.get(response["Location"]).content.decode()


def share_links(page: str) -> dict[str, dict]:
    """The share panel's links, by channel: the query of the petition URL each
    one shares (``source`` and ``ref``), read from within the sharing site's URL."""
    panel = page[page.index('class="petition-share"') :]
    panel = panel[: panel.index("</section>")]
    hrefs = [
        html.unescape(h)
        for h in re.findall(r'(?:href|value|data-petition-share-url)="([^"]+)"', panel)
    ]
    links = {}
    for href in hrefs:
        shared = unquote(href)
        found = re.search(r"https?://[^?\s]+\?(source=[\w-]+(?:&ref=\w+)?)", shared)
        if found:
            query = {k: v[0] for k, v in parse_qs(found.group(1)).items()}
            links[query["source"]] = query
    return links


@pytest.fixture
def organizer(client, db):
    client.force_login(admin_user_with("view_signature", "export_signature"))
    return client


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


# Share links -------------------------------------------------------------------


def test_every_share_link_names_its_channel_and_the_signers_code(client, petition):
    page = thank_you(client, petition, first_name="Ada")
    code = Signature.objects.get().referral_code

    links = share_links(page)

    assert set(links) == {"email", "whatsapp", "facebook", "bluesky", "link", "share"}
    for channel, query in links.items():
        assert query == {"source": channel, "ref": code}
    assert "Share…" in page and "Copy link" in page
    # Both buttons need the browser's help: hidden until the script finds it.
    assert re.search(r"<button [^>]*data-petition-share-url=[^>]* hidden>", page)
    assert re.search(r"<button [^>]*data-petition-copy=[^>]* hidden>", page)
    assert 'role="status"' in page


def test_a_new_signature_gets_a_short_random_code_kept_for_its_share_links(client, petition):
    thank_you(client, petition, email="ada@example.org")
    thank_you(Client(), petition, email="bea@example.org")

    ada, bea = Signature.objects.order_by("pk")
    assert CODE_PATTERN.fullmatch(ada.referral_code)
    assert CODE_PATTERN.fullmatch(bea.referral_code)
    assert ada.referral_code != bea.referral_code
    assert len(ada.referral_code) == 8 and ada.referral_code == ada.referral_code.lower()


def test_the_json_answer_shares_with_the_signers_code(client, petition):
    response = client.post(petition.url, SignatureFactory(), **AS_SCRIPT)

    code = Signature.objects.get().referral_code
    links = share_links(response.json()["thanks_html"])
    assert links["share"] == {"source": "share", "ref": code}


# Referrals ---------------------------------------------------------------------


def test_a_visitor_from_a_share_link_is_credited_to_its_signer(petition):
    ada = sign(petition, email="ada@example.org", first_name="Ada").signature
    visitor = Client()

    page = visitor.get(petition.url, {"source": "whatsapp", "ref": ada.referral_code})
    # The form keeps ?source= and ?ref= in hidden fields, which it posts.
    hidden = dict(
        re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page.content.decode())
    )
    assert hidden == {"source": "whatsapp", "ref": ada.referral_code}
    post(visitor, petition, email="bea@example.org", **hidden)

    bea = Signature.objects.get(email="bea@example.org")
    assert (bea.source, bea.referred_by) == ("whatsapp", ada.referral_code)
    assert bea.referral_code not in ("", None, ada.referral_code)


@pytest.mark.urls("tests.urls_zero_config")
def test_referrals_work_without_the_apps_urls(petition):
    ada = Client()
    thank_you(ada, petition, email="ada@example.org")
    code = Signature.objects.get().referral_code

    post(Client(), petition, email="bea@example.org", source="link", ref=code)

    assert Signature.objects.get(email="bea@example.org").referred_by == code
    page = ada.get(f"{petition.url}?signed=1").content.decode()
    assert "Your link has brought 1 person so far." in page
    assert share_links(page)["email"] == {"source": "email", "ref": code}


@pytest.mark.parametrize(
    "ref",
    ["abc", "ABCDEFGH!", "x" * 500, "0o1l1i0o", "<script>", "abcdefgh\x00", "abcdefghj"],
)
def test_a_malformed_ref_is_ignored_without_an_error(client, petition, ref):
    response = post(client, petition, ref=ref)
    page = Client().get(petition.url, {"ref": ref})

    assert response.status_code == 303
    assert Signature.objects.get().referred_by == ""
    assert page.status_code == 200
    assert b'name="ref"' in page.content
    assert b'name="ref" value=' not in page.content


def test_a_repeat_attempt_gets_an_answer_of_the_same_shape_and_stores_nothing(petition):
    first = thank_you(Client(), petition, first_name="Sam", email="sam@example.org")
    again = thank_you(Client(), petition, first_name="Sam", email="sam@example.org")

    stored = set(Signature.objects.values_list("referral_code", flat=True))
    again_code = share_links(again)["link"]["ref"]
    # A code like any other, in the same places, but stored nowhere.
    assert CODE_PATTERN.fullmatch(again_code)
    assert again_code not in stored
    assert share_links(first)["link"]["ref"] in stored
    # Nothing else tells the first signature from the attempt that stored nothing.
    assert masked_referral_codes(again.encode()) == masked_referral_codes(first.encode())
    assert Signature.objects.count() == 1


def test_the_signer_sees_how_many_people_their_link_brought(client, petition):
    thank_you(client, petition, first_name="Ada", email="ada@example.org")
    code = Signature.objects.get().referral_code
    thanks_url = f"{petition.url}?signed=1"
    assert "Your link has brought" not in client.get(thanks_url).content.decode()

    post(Client(), petition, ref=code, email="bea@example.org")
    assert "Your link has brought 1 person so far." in client.get(thanks_url).content.decode()

    post(Client(), petition, ref=code, email="carl@example.org")
    sign(petition, email="held@example.org", referred_by=code, status=Signature.Status.HELD)
    page = client.get(thanks_url)
    assert "Your link has brought 2 people so far." in page.content.decode()  # held ones not
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    # The anonymous page, which caches may share, says nothing of it.
    assert "Your link has brought" not in client.get(petition.url).content.decode()


# The organizers' view ----------------------------------------------------------


@pytest.fixture
def spread(petition):
    """Ada signed first; 3 came by her WhatsApp link, 1 by her email link, one
    more from a newsletter, 2 came directly and one held from WhatsApp."""
    ada = sign(petition, email="ada@example.org", first_name="Ada", last_name="Lovelace")
    code = ada.signature.referral_code
    signers = [
        ("whatsapp", code),
        ("whatsapp", code),
        ("whatsapp", code),
        ("email", code),
        ("newsletter", ""),
        ("", ""),
    ]
    for source, ref in signers:
        sign(petition, source=source, referred_by=ref, **SignatureFactory())
    sign(petition, source="whatsapp", status=Signature.Status.HELD, **SignatureFactory())
    return ada.signature


def test_the_dashboard_shows_where_signatures_came_from(organizer, petition, spread):
    page = organizer.get(f"/admin/reports/petitions/{petition.pk}/").content.decode()

    section = page[page.index("Where signatures came from") :]
    rows = re.findall(
        r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th>\s*<td>(\d+)</td>\s*<td>(\d+)%</td>',
        section,
    )
    table = [(name.strip(), int(n), int(share)) for _, name, n, share in rows]
    assert table == [
        ("whatsapp", 3, 43),
        ("Direct / unknown", 2, 29),
        ("email", 1, 14),
        ("newsletter", 1, 14),
    ]
    links = {name.strip(): html.unescape(url) for url, name, _, _ in rows}
    assert parse_qs(urlsplit(links["whatsapp"]).query) == {
        "petition": [str(petition.pk)],
        "status": ["counted"],
        "source": ["whatsapp"],
    }
    referrers = section[section.index("Top referrers") :]
    assert re.search(
        rf"Ada Lovelace</th>\s*<td><code>{spread.referral_code}</code></td>\s*<td><a [^>]*>4</a>",
        referrers,
    )


def test_the_source_links_list_the_signatures_they_count(organizer, petition, spread):
    page = organizer.get(f"/admin/reports/petitions/{petition.pk}/").content.decode()
    links = {
        name.strip(): html.unescape(url)
        for url, name in re.findall(r'<th scope="row"><a href="([^"]+)">([^<]+)</a>', page)
    }

    whatsapp = csv_rows(organizer.get(links["whatsapp"] + "&export=csv"))
    direct = csv_rows(organizer.get(links["Direct / unknown"] + "&export=csv"))

    assert len(whatsapp) == 3 and {row["Source"] for row in whatsapp} == {"whatsapp"}
    assert len(direct) == 2 and {row["Source"] for row in direct} == {""}
    newsletter = csv_rows(organizer.get(LISTING, {"source": "newsletter", "export": "csv"}))
    assert [row["Source"] for row in newsletter] == ["newsletter"]
    listing = organizer.get(LISTING, {"source": "newsletter"})
    assert listing.status_code == 200 and "newsletter" in listing.content.decode()


def test_the_dashboard_needs_the_view_permission(client, petition, spread):
    client.force_login(admin_user_with())
    response = client.get(f"/admin/reports/petitions/{petition.pk}/")

    assert response.status_code in (302, 403)
    assert "Ada Lovelace" not in response.content.decode()


def test_exports_carry_source_and_referral_codes(organizer, petition, spread):
    rows = csv_rows(organizer.get(LISTING, {"export": "csv", "referred_by": spread.referral_code}))
    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(organizer.get(LISTING, {"export": "xlsx"}).streaming_content))
    )
    header, *values = list(workbook.active.iter_rows(values_only=True))

    assert len(rows) == 4
    assert {row["Referred by"] for row in rows} == {spread.referral_code}
    assert all(CODE_PATTERN.fullmatch(row["Referral code"]) for row in rows)
    assert {"Source", "Referred by", "Referral code"} <= set(header)
    own_code = header.index("Referral code")
    assert spread.referral_code in {row[own_code] for row in values}
