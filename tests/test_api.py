"""The public read API (petitions/api/v1/): the live, public petitions as JSON for
dashboards, partner sites and journalists, cacheable, readable from any site,
described by its OpenAPI schema, and never with a signer's data."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from tests.factories import HomePageFactory, PetitionPageFactory, sign_many
from wagtail_petition.models import PetitionPage, PetitionSettings
from wagtail_petition.signing import sign

LIST = "/petitions/api/v1/petitions.json"
SCHEMA = "/petitions/api/v1/openapi.json"

SUMMARY_KEYS = {
    "id", "title", "language", "url", "api_url", "translations", "summary", "signature_count",
    "goal", "deadline", "state", "first_published_at", "milestones",
}  # fmt: skip
DETAIL_KEYS = SUMMARY_KEYS | {"targets", "location", "text_changed_at", "links"}


def detail_url(petition) -> str:
    return f"/petitions/api/v1/petitions/{petition.pk}.json"


def get_json(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def listed(client, **params) -> list[dict]:
    return get_json(client, LIST, **params)["items"]


def ids(items) -> list[int]:
    return [item["id"] for item in items]


def pause_signing():
    PetitionSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"signing_paused": True}
    )


def edit(petition, **changes):
    """Edit the live petition as an editor does, and publish the edit."""
    page = PetitionPage.objects.get(pk=petition.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


# The list and the detail -------------------------------------------------------


def test_the_list_gives_each_live_petition_its_count_goal_state_and_milestones(client, db):
    park = PetitionPageFactory(title="Save the park")
    library = PetitionPageFactory(title="Open the library on Sundays")
    sign_many(park, 3)
    sign_many(library, 26)

    data = get_json(client, LIST)

    assert data["count"] == 2 and data["next"] is None and data["previous"] is None
    first, second = data["items"]  # most signatures first
    assert set(first) == set(second) == SUMMARY_KEYS
    assert (first["id"], first["title"]) == (library.pk, "Open the library on Sundays")
    assert first["url"] == library.full_url
    assert first["summary"] == "Keep the park green."
    assert (first["signature_count"], first["goal"], first["state"]) == (26, 50, "open")
    assert [m["threshold"] for m in first["milestones"]] == [25, 10]  # newest first
    assert all(m["reached_at"] for m in first["milestones"])
    assert first["first_published_at"] and first["deadline"] is None
    assert (second["id"], second["signature_count"], second["goal"]) == (park.pk, 3, 10)
    assert second["milestones"] == []
    assert get_json(client, first["api_url"])["id"] == library.pk


def test_a_petitions_record_adds_targets_location_text_change_and_links(client, petition):
    sign_many(petition, 12)
    edit(petition, location="Lakeport, IL, USA", summary="Keep the whole park green.")

    data = get_json(client, detail_url(petition))

    assert set(data) == DETAIL_KEYS
    assert (data["id"], data["signature_count"], data["goal"]) == (petition.pk, 12, 25)
    assert data["summary"] == "Keep the whole park green."
    assert data["targets"] == [{"name": "Mayor Alex Rivera", "role": "Mayor of Lakeport"}]
    assert data["location"] == "Lakeport, IL, USA"
    assert [m["threshold"] for m in data["milestones"]] == [10]
    assert data["text_changed_at"] is not None
    links = data["links"]
    assert links["page"] == data["url"] == petition.full_url
    assert links["embed"] == petition.full_url + "embed/"
    assert links["share_image"].startswith(petition.full_url + "share-image/?v=")
    assert links["text_changes"] == petition.full_url + "changes/"
    for link in ("embed", "share_image", "text_changes"):
        assert client.get(links[link]).status_code == 200, link


def test_a_petition_whose_text_never_changed_says_so(client, petition):
    data = get_json(client, detail_url(petition))

    assert data["text_changed_at"] is None and data["links"]["text_changes"] is None


def test_a_fixed_goal_is_the_goal(client, db):
    petition = PetitionPageFactory(fixed_goal=1000)
    sign_many(petition, 2)

    assert get_json(client, detail_url(petition))["goal"] == 1000


def test_a_petition_past_its_deadline_is_closed(client, db):
    deadline = timezone.now() - timedelta(days=1)
    closed = PetitionPageFactory(deadline=deadline)
    still_open = PetitionPageFactory(deadline=timezone.now() + timedelta(days=1))

    items = {item["id"]: item for item in listed(client)}

    assert items[closed.pk]["state"] == "closed"
    assert items[still_open.pk]["state"] == "open"
    assert get_json(client, detail_url(closed))["deadline"].startswith(f"{deadline:%Y-%m-%d}")
    assert ids(listed(client, state="closed")) == [closed.pk]
    assert ids(listed(client, state="open")) == [still_open.pk]
    assert listed(client, state="paused") == []


def test_while_signing_is_paused_open_petitions_are_paused(client, db):
    closed = PetitionPageFactory(deadline=timezone.now() - timedelta(days=1))
    petition = PetitionPageFactory()
    pause_signing()

    assert get_json(client, detail_url(petition))["state"] == "paused"
    assert ids(listed(client, state="paused")) == [petition.pk]
    assert ids(listed(client, state="closed")) == [closed.pk]
    assert listed(client, state="open") == []


# What is never there -----------------------------------------------------------


def test_drafts_private_petitions_and_other_sites_petitions_are_absent(client, petition):
    draft = PetitionPageFactory()
    draft.unpublish()
    private = PetitionPageFactory()
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    section = HomePageFactory()
    PageViewRestriction.objects.create(
        page=section, restriction_type="password", password="members"
    )
    in_private_section = PetitionPageFactory(parent=section)
    other_home = Page.get_first_root_node().add_child(instance=Page(title="Other", slug="other"))
    Site.objects.create(hostname="other.example", root_page=other_home)
    elsewhere = PetitionPageFactory(parent=other_home)

    assert ids(listed(client)) == [petition.pk]
    for hidden in (draft, private, in_private_section, elsewhere):
        response = client.get(detail_url(hidden))
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
    # Logged in with access, still absent: the answers are cached for everyone.
    client.force_login(get_user_model().objects.create_superuser("editor", "ed@example.org", "pw"))
    assert ids(listed(client)) == [petition.pk]
    # Each site's API lists its own petitions.
    assert ids(listed(Client(HTTP_HOST="other.example"))) == [elsewhere.pk]


def test_no_signers_data_in_any_answer(client, petition):
    secrets = {
        "first_name": "Zebulon",
        "last_name": "Quackenbush",
        "email": "zebulon.quackenbush@example.org",
        "postal_code": "K1A0B1",
        "comment": "Tell nobody my dog's name is Biscuit",
    }
    sign(petition, opt_in=True, source="newsletter", **secrets)
    sign_many(petition, 10)

    for url in (LIST, detail_url(petition), SCHEMA):
        body = client.get(url).content.decode()
        for personal in secrets.values():
            assert personal not in body, (url, personal)
        assert "@example.org" not in body


# Caching and other sites ---------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, "detail", SCHEMA])
def test_answers_are_public_cacheable_and_readable_from_any_site(client, petition, settings, url):
    settings.WAGTAILPETITION_API_MAX_AGE = 120
    url = detail_url(petition) if url == "detail" else url

    response = client.get(url, headers={"Origin": "https://dashboard.example"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=120"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]  # scripts may revalidate
    assert response["ETag"].startswith('"')
    assert "Set-Cookie" not in response
    assert "Cookie" not in response.get("Vary", "")


def test_the_default_max_age_is_a_minute(client, db):
    assert client.get(LIST)["Cache-Control"] == "public, max-age=60"


def test_a_matching_if_none_match_gets_304_until_the_count_moves(petition):
    client = Client()
    etag = client.get(detail_url(petition))["ETag"]

    unchanged = client.get(detail_url(petition), headers={"If-None-Match": etag})
    sign_many(petition, 1)
    changed = client.get(detail_url(petition), headers={"If-None-Match": etag})

    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged["ETag"] == etag
    assert unchanged["Cache-Control"] == "public, max-age=60"
    assert unchanged["Access-Control-Allow-Origin"] == "*"
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert json.loads(changed.content)["signature_count"] == 1
    assert client.get(LIST, headers={"If-None-Match": etag}).status_code == 200


def test_only_get_head_and_the_cors_preflight_are_answered(client, petition):
    preflight = client.options(
        LIST,
        headers={
            "Origin": "https://partner.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    head = client.head(detail_url(petition))

    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    assert head.status_code == 200 and head.content == b"" and head["ETag"]
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(detail_url(petition))
        assert response.status_code == 405, method
        assert "POST" not in response["Allow"]


# Paging, order and bad input -------------------------------------------------------


def test_the_list_pages_with_limit_and_offset_and_orders_by_count_or_newest(client, db):
    petitions = [PetitionPageFactory() for _ in range(5)]
    for n, petition in enumerate(petitions):
        sign_many(petition, n)
    by_count = [p.pk for p in reversed(petitions)]

    first = get_json(client, LIST, limit=2)
    second = get_json(client, first["next"])
    last = get_json(client, second["next"])
    newest = listed(client, order="newest", limit=100)

    assert first["count"] == second["count"] == 5
    assert ids(first["items"] + second["items"] + last["items"]) == by_count
    assert last["next"] is None and get_json(client, last["previous"]) == second
    assert "limit=2" in first["next"] and "offset=2" in first["next"]
    assert ids(newest) == [p.pk for p in reversed(petitions)]
    assert ids(listed(client, order="newest", state="open", offset=4)) == [petitions[0].pk]


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=101", "limit=ten", "offset=-1", "state=secret", "order=random"],
)
def test_bad_parameters_get_a_clear_4xx(client, db, query):
    response = client.get(f"{LIST}?{query}")

    assert response.status_code == 422
    (problem,) = json.loads(response.content)["detail"]
    assert problem["loc"][-1] == query.partition("=")[0]  # names the parameter
    assert response["Access-Control-Allow-Origin"] == "*"


def test_an_unknown_petition_is_a_404(client, db):
    home = HomePageFactory()

    for url in ("/petitions/api/v1/petitions/987654.json", detail_url(home)):
        response = client.get(url)
        assert response.status_code == 404
        assert json.loads(response.content) == {"detail": "Not Found"}


def test_the_list_runs_a_few_queries_however_many_petitions_it_holds(
    client, db, django_assert_max_num_queries
):
    for _ in range(30):
        sign_many(PetitionPageFactory(), 11)
    client.get(LIST)  # Wagtail's site root paths, cached across requests

    with django_assert_max_num_queries(10):
        items = listed(client, limit=100)

    assert len(items) == 30
    assert all(len(item["milestones"]) == 1 for item in items)


def test_a_petitions_record_runs_a_bounded_number_of_queries(
    client, petition, django_assert_max_num_queries
):
    sign_many(petition, 30)
    client.get(detail_url(petition))

    with django_assert_max_num_queries(12):
        get_json(client, detail_url(petition))


# The schema --------------------------------------------------------------------------


def resolved(schema, node):
    """``node`` of the OpenAPI schema with its ``$ref`` followed."""
    if "$ref" in node:
        name = node["$ref"].rpartition("/")[2]
        return schema["components"]["schemas"][name]
    return node


def test_the_openapi_schema_describes_both_endpoints_as_they_answer(client, petition):
    sign_many(petition, 12)
    schema = get_json(client, SCHEMA)
    answers = {
        "/petitions/api/v1/petitions.json": get_json(client, LIST),
        "/petitions/api/v1/petitions/{petition_id}.json": get_json(client, detail_url(petition)),
    }

    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == set(answers)
    for path, answer in answers.items():
        operation = schema["paths"][path]
        assert set(operation) == {"get"}
        described = resolved(schema, operation["get"]["responses"]["200"]["content"]
                             ["application/json"]["schema"])  # fmt: skip
        assert set(described["properties"]) == set(answer)
        assert set(described["required"]) == set(answer)
    listing = resolved(schema, schema["paths"][LIST]["get"]["responses"]["200"]["content"]
                       ["application/json"]["schema"])  # fmt: skip
    item = resolved(schema, listing["properties"]["items"]["items"])
    assert set(item["properties"]) == set(answers[LIST]["items"][0]) == SUMMARY_KEYS
    detail = schema["components"]["schemas"]["PetitionDetailOut"]
    links = resolved(schema, detail["properties"]["links"])
    assert set(links["properties"]) == set(answers[path]["links"])
    milestone = resolved(schema, item["properties"]["milestones"]["items"])
    assert set(milestone["properties"]) == set(answers[LIST]["items"][0]["milestones"][0])
    parameters = {p["name"] for p in schema["paths"][LIST]["get"]["parameters"]}
    assert parameters == {"state", "order", "limit", "offset"}


# The page's link to its record -----------------------------------------------------


def test_a_petition_page_links_its_record_in_its_head(client, petition):
    html = client.get(petition.url).content.decode()

    link = (
        f'<link rel="alternate" type="application/json" '
        f'href="http://testserver{detail_url(petition)}" title="{petition.title}">'
    )
    assert link in html
    assert get_json(client, detail_url(petition))["id"] == petition.pk


@pytest.mark.urls("tests.urls_zero_config")
def test_without_the_urlconf_there_is_no_api_and_no_link(client, petition):
    html = client.get(petition.url).content.decode()

    assert 'type="application/json"' not in html
    assert "/api/v1/" not in html
    assert client.get(LIST).status_code == 404
    assert client.get(detail_url(petition)).status_code == 404
