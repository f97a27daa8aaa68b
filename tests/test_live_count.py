"""A petition's live count (JSON at count/): the live count, cheap to cache, with no personal
data; and a petition page whose cost does not grow with its signatures."""

import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import PetitionPageFactory, SignatureFactory, sign_many
from wagtail_petition.signing import sign


def count_json(client, petition, **headers):
    return client.get(f"{petition.url}count/", headers=headers)


def test_count_json_gives_the_count_goal_and_latest_milestones(client, petition):
    sign_many(petition, 26)

    response = count_json(client, petition)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert (data["count"], data["count_display"], data["goal"]) == (26, "26", 50)
    assert data["count_text"] == "26 signatures"
    assert data["goal_text"] == "Let's get to 50"
    assert [m["threshold"] for m in data["milestones"]] == [25, 10]


def test_count_json_holds_no_personal_data(client, petition):
    sign(petition, first_name="Zelda", last_name="Fitzgerald", email="zelda@example.org",
         postal_code="60601", comment="Secret")  # fmt: skip

    body = count_json(client, petition).content.decode()

    for personal in ("Zelda", "Fitzgerald", "zelda@example.org", "60601", "Secret"):
        assert personal not in body


def test_count_json_may_be_cached_publicly_and_revalidated(client, petition, settings):
    settings.WAGTAILPETITION_COUNT_MAX_AGE = 10

    response = count_json(client, petition)

    assert response["Cache-Control"] == "public, max-age=10, stale-while-revalidate=30"
    assert response["Access-Control-Allow-Origin"] == "*"  # readable from any site
    assert "Access-Control-Allow-Credentials" not in response
    assert response["ETag"].startswith('"')
    assert "Set-Cookie" not in response
    assert "Cookie" not in response.get("Vary", "")


def test_a_matching_if_none_match_gets_304_until_the_count_moves(petition):
    client = Client()
    etag = count_json(client, petition)["ETag"]

    unchanged = count_json(client, petition, if_none_match=etag)
    sign_many(petition, 1)
    changed = count_json(client, petition, if_none_match=etag)

    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged["ETag"] == etag and "max-age" in unchanged["Cache-Control"]
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert json.loads(changed.content)["count"] == 1


def test_only_a_live_petition_has_a_count(client, petition):
    petition.unpublish()

    assert count_json(client, petition).status_code == 404


def test_the_page_refreshes_its_count_with_a_script_from_the_static_files(client, petition):
    html = client.get(petition.url).content.decode()

    assert f'data-petition-count-url="/petitions/{petition.pk}/count/"' in html  # fast path
    assert 'data-petition-refresh="10"' in html
    assert '<script src="/static/wagtail_petition/js/petition.js" defer></script>' in html


def render_queries(client, petition):
    client.get(petition.url)  # warm Wagtail's caches (site root paths)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(petition.url).status_code == 200
    return len(queries)


def test_a_petition_page_costs_the_same_with_thousands_of_signatures(client, db, settings):
    settings.WAGTAILPETITION_GOAL_LADDER = [10 * n for n in range(1, 400)]  # many milestones
    empty = PetitionPageFactory()
    busy = PetitionPageFactory()
    for data in SignatureFactory.build_batch(3000):
        sign(busy, opt_in=False, source="", **data)

    assert busy.signature_count == 3000
    assert render_queries(client, busy) == render_queries(client, empty)
