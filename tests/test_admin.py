"""Editors compose a petition in the Wagtail admin."""

import re

from django.utils.html import escape
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from tests.factories import site_root
from wagtail_petition.models import PetitionPage

EDITOR_FIELDS = [
    "targets", "summary", "body", "location", "fixed_goal", "deadline", "thank_you_message",
    "postal_code_field", "show_comment_field", "consent_text",
]  # fmt: skip


def test_the_editor_sees_the_petition_fields_in_their_tabs(admin_client, petition):
    html = admin_client.get(f"/admin/pages/{petition.pk}/edit/").content.decode()

    tabs = re.findall(r'role="tab"[^>]*>\s*(\w+)', html)
    assert tabs[:3] == ["Content", "Petition", "Promote"]
    for field in EDITOR_FIELDS:
        help_text = str(PetitionPage._meta.get_field(field).help_text)
        assert escape(help_text) in html, field


def test_an_editor_creates_and_publishes_a_petition(admin_client, db):
    parent = site_root()
    data = nested_form_data(
        {
            "title": "Light the riverside path",
            "slug": "light-the-path",
            "summary": "Dark paths are unsafe paths.",
            "location": "Lakeport, IL, USA",
            "targets": streamfield([("target", {"name": "Councillor Lee", "role": ""})]),
            "body": streamfield(
                [
                    ("heading", "Why is this important?"),
                    ("paragraph", rich_text("<p>People walk home here at night.</p>")),
                ]
            ),
            "thank_you_message": rich_text("<p>Thanks for lighting the way.</p>"),
            "consent_text": rich_text(""),
            "postal_code_field": "required",
            "show_comment_field": "on",
            "action-publish": "publish",
        }
    )

    response = admin_client.post(
        f"/admin/pages/add/wagtail_petition/petitionpage/{parent.pk}/", data
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    petition = PetitionPage.objects.get(slug="light-the-path")
    assert petition.live
    assert Page.objects.get(pk=petition.pk).get_parent().pk == parent.pk
    public = admin_client.get(petition.url).content.decode()
    assert "Councillor Lee" in public
    assert "People walk home here at night." in public
    assert "Light the riverside path" in public
