"""Link previews: a petition page's Open Graph and Twitter card tags, and the
share image they name, generated from the title and the count or picked by
an editor."""

from html.parser import HTMLParser
from io import BytesIO
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.files.images import ImageFile
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Site

from tests.factories import HomePageFactory, PetitionPageFactory, sign_many
from wagtail_petition.models import PetitionSettings

REQUIRED = [
    "og:type",
    "og:title",
    "og:description",
    "og:url",
    "og:site_name",
    "og:image",
    "og:image:width",
    "og:image:height",
    "og:image:alt",
    "twitter:card",
    "twitter:title",
    "twitter:description",
    "twitter:image",
    "twitter:image:alt",
]


class MetaTags(HTMLParser):
    """The <meta property|name=... content=...> tags of a page, by name."""

    def __init__(self):
        super().__init__()
        self.tags = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        key = attrs.get("property") or attrs.get("name")
        if tag == "meta" and key and "content" in attrs:
            self.tags.setdefault(key, attrs["content"])


def meta_tags(client, petition) -> dict:
    response = client.get(petition.url)
    assert response.status_code == 200
    parser = MetaTags()
    parser.feed(response.content.decode())
    return parser.tags


def image_path(url: str) -> str:
    """What the test client asks for: the absolute URL's path and query."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def fetch_image(client, url):
    response = client.get(image_path(url))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    return response


def opened(response) -> PillowImage.Image:
    image = PillowImage.open(BytesIO(response.content))
    image.load()
    return image


def set_colours(**colours):
    PetitionSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults=colours
    )


def test_a_petition_page_carries_every_link_preview_tag(client, petition):
    tags = meta_tags(client, petition)

    assert set(REQUIRED) <= set(tags), set(REQUIRED) - set(tags)
    assert tags["og:type"] == "website"
    assert tags["og:title"] == tags["twitter:title"] == petition.title
    assert tags["og:description"] == tags["twitter:description"] == "Keep the park green."
    assert tags["og:url"] == petition.full_url
    assert tags["og:site_name"]
    assert tags["twitter:card"] == "summary_large_image"
    for key in ("og:url", "og:image", "twitter:image"):
        assert urlsplit(tags[key]).scheme in ("http", "https"), key
        assert urlsplit(tags[key]).netloc, key
    assert "?" not in tags["og:url"]
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["twitter:image"] == tags["og:image"]
    assert petition.title in tags["og:image:alt"]
    assert tags["twitter:image:alt"] == tags["og:image:alt"]


def test_the_search_description_wins_and_long_descriptions_are_cut(client, db):
    petition = PetitionPageFactory(summary="word " * 60)
    tags = meta_tags(client, petition)
    assert len(tags["og:description"]) <= 200
    assert tags["og:description"].endswith("…")

    petition.search_description = "Sign for a greener Lakeport."
    petition.save_revision().publish()
    assert meta_tags(client, petition)["og:description"] == "Sign for a greener Lakeport."


def test_the_generated_image_is_a_1200x630_png_in_the_sites_colours(client, petition):
    set_colours(share_background="#112233", share_text="#fefefe", share_accent="#ff8800")

    image = opened(fetch_image(client, meta_tags(client, petition)["og:image"]))

    assert image.format == "PNG"
    assert image.size == (1200, 630)
    assert image.convert("RGB").getpixel((0, 0)) == (0x11, 0x22, 0x33)
    assert image.convert("RGB").getpixel((1199, 629)) == (0x11, 0x22, 0x33)


def test_new_colours_give_a_new_image_url_and_image(client, petition):
    before = meta_tags(client, petition)["og:image"]

    set_colours(share_background="#fafafa", share_text="#111111")
    after = meta_tags(client, petition)["og:image"]

    assert after != before
    assert opened(fetch_image(client, after)).convert("RGB").getpixel((0, 0)) == (250, 250, 250)


def test_a_milestone_changes_the_image_url_and_the_image(client, petition):
    sign_many(petition, 9)
    before = meta_tags(client, petition)["og:image"]
    old_png = fetch_image(client, before).content

    sign_many(petition, 1)  # the 10th signature stamps the first milestone
    after = meta_tags(client, petition)["og:image"]

    assert after != before
    assert fetch_image(client, after).content != old_png


def test_between_milestones_the_cached_image_is_served_not_redrawn(client, petition):
    sign_many(petition, 2)
    url = meta_tags(client, petition)["og:image"]
    first = fetch_image(client, url).content

    sign_many(petition, 3)  # 5: no milestone crossed
    assert meta_tags(client, petition)["og:image"] == url
    assert fetch_image(client, url).content == first  # still "2 signatures": not redrawn

    cache.clear()  # the cached bytes gone, the same URL draws the count anew
    assert fetch_image(client, url).content != first


def test_the_versioned_image_is_cached_for_long_and_answers_conditional_gets(client, petition):
    url = meta_tags(client, petition)["og:image"]
    response = fetch_image(client, url)

    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "max-age=31536000" in cache_control
    assert "immutable" in cache_control
    assert response.has_header("ETag")

    again = client.get(image_path(url), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize("query", ["", "?v=0123456789abcdef", "?v=%3Cscript%3E"])
def test_a_stale_or_missing_version_still_gets_the_current_image_briefly(client, petition, query):
    current = fetch_image(client, meta_tags(client, petition)["og:image"]).content

    response = fetch_image(client, petition.url + "share-image/" + query)

    assert response.content == current
    assert "max-age=300" in response["Cache-Control"]
    assert "immutable" not in response["Cache-Control"]


def test_an_editor_picked_image_is_shared_as_a_rendition(client, petition, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    picture = BytesIO()
    PillowImage.new("RGB", (1600, 1000), "#2a9d8f").save(picture, "PNG")
    image = get_image_model().objects.create(
        title="Children in the park",
        description="Children playing on the park's lawn",
        file=ImageFile(picture, name="park.png"),
    )
    petition.share_image = image
    petition.save_revision().publish()

    tags = meta_tags(client, petition)

    assert "share-image/" not in tags["og:image"]
    rendition = image.get_rendition("fill-1200x630")
    assert urlsplit(tags["og:image"]).path == rendition.url
    assert urlsplit(tags["og:image"]).netloc
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["og:image:alt"] == tags["twitter:image:alt"] == image.description


def test_reading_the_milestones_for_the_image_costs_the_page_no_query(client, petition):
    sign_many(petition, 12)
    client.get(petition.url)  # Wagtail's own caches (site root paths) warmed

    with CaptureQueriesContext(connection) as captured:
        tags = meta_tags(client, petition)

    assert tags["og:image"]
    milestone_reads = [q for q in captured if "wagtail_petition_milestone" in q["sql"]]
    assert len(milestone_reads) == 1  # the timeline's, shared with the head


@pytest.mark.urls("tests.urls_zero_config")
def test_link_previews_work_on_a_zero_configuration_install(client, petition):
    tags = meta_tags(client, petition)

    assert set(REQUIRED) <= set(tags)
    assert opened(fetch_image(client, tags["og:image"])).size == (1200, 630)


def test_a_sites_own_base_template_can_call_the_tag_on_any_page(rf, petition):
    template = engines["django"].from_string(
        "{% load wagtail_petition_tags %}{% petition_meta page %}"
    )
    home = HomePageFactory()
    plain_page = petition.page_ptr  # a plain Page, as from a query

    parser = MetaTags()
    parser.feed(template.render({"page": plain_page}, rf.get(petition.url)))
    assert set(REQUIRED) <= set(parser.tags)
    assert template.render({"page": home}, rf.get(home.url)).strip() == ""
    assert template.render({}, rf.get("/")).strip() == ""
