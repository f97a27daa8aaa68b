"""The progress and milestone tags work on any page, not only a petition."""

from django.template import Context, Template
from wagtail.models import Page

from tests.factories import HomePageFactory, PetitionPageFactory, sign_many


def test_a_home_page_lists_its_petitions_with_their_progress(client, db):
    home = HomePageFactory()
    petition = PetitionPageFactory(parent=home, title="Plant more trees")
    sign_many(petition, 11)

    html = client.get(home.url).content.decode()

    assert "Plant more trees" in html
    assert "<strong>11</strong> signatures" in html
    assert 'max="25" value="11"' in html


def test_the_tags_take_a_plain_page_and_render_outside_a_petition_template(petition):
    sign_many(petition, 10)
    plain_page = Page.objects.get(pk=petition.pk)  # not the specific PetitionPage

    html = Template(
        "{% load wagtail_petition_tags %}"
        "{% petition_progress page %}{% petition_milestones page %}"
    ).render(Context({"page": plain_page}))

    assert "<strong>10</strong> signatures" in html
    assert "10 signatures reached" in html


def test_the_timeline_can_be_shortened(petition):
    sign_many(petition, 60)

    html = Template(
        "{% load wagtail_petition_tags %}{% petition_milestones page limit=1 %}"
    ).render(Context({"page": petition}))

    assert "50 signatures reached" in html
    assert "25 signatures reached" not in html


def test_no_timeline_is_shown_before_the_first_milestone(petition):
    html = Template("{% load wagtail_petition_tags %}{% petition_milestones page %}").render(
        Context({"page": petition})
    )

    assert html.strip() == ""
