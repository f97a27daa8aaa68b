"""Editors compose a petition in the Wagtail admin."""

import re

from django.utils.html import escape
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from tests.factories import PetitionPageFactory, site_root
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


def listblock(items):
    """Form data for a ListBlock, as the admin's editor posts it."""
    data = {"count": len(items)}
    for i, item in enumerate(items):
        data[str(i)] = {"value": item, "deleted": "", "order": str(i), "id": ""}
    return data


def call_script_form_data(number):
    return {
        "heading": "Call the Mayor",
        "intro": "",
        "target": "",
        "phone_lines": listblock([{"label": "Mayor's Office", "number": number}]),
        "script": "Hi, my name is {first_name}.",
        "talking_points": listblock([]),
        "office_hours": {"time_zone": "", "periods": listblock([])},
    }


def add_petition_with_call_script(admin_client, number):
    data = nested_form_data(
        {
            "title": "Fix the bus shelter",
            "slug": "bus-shelter",
            "summary": "",
            "location": "",
            "targets": streamfield([]),
            "body": streamfield([("call_script", call_script_form_data(number))]),
            "thank_you_message": rich_text(""),
            "consent_text": rich_text(""),
            "postal_code_field": "optional",
            "action-publish": "publish",
        }
    )
    return admin_client.post(
        f"/admin/pages/add/wagtail_petition/petitionpage/{site_root().pk}/", data
    )


def test_an_editor_adding_a_call_script_sees_a_bad_phone_number_refused(admin_client, db):
    response = add_petition_with_call_script(admin_client, "555-01")

    assert response.status_code == 200
    assert "Enter a valid phone number, such as +1 312 555 0142." in response.content.decode()
    assert not PetitionPage.objects.exists()


def test_an_editors_phone_number_is_stored_in_e164_and_shown_as_a_tel_link(admin_client, db):
    response = add_petition_with_call_script(admin_client, "(312) 555-0142")

    assert response.status_code == 302
    petition = PetitionPage.objects.get()
    assert petition.body[0].value["phone_lines"][0]["number"] == "+13125550142"
    html = admin_client.get(petition.url).content.decode()
    assert 'href="tel:+13125550142">(312) 555-0142</a>' in html


def test_the_call_script_block_has_a_preview_in_the_block_picker(admin_client, db):
    block = PetitionPage._meta.get_field("body").stream_block.child_blocks["call_script"]

    response = admin_client.get(f"/admin/block-preview/?id={block.definition_prefix}")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Call the Mayor&#x27;s office" in html
    assert 'href="tel:+13125550142">(312) 555-0142</a>' in html
    assert "wagtail_petition/css/petition.css" in html


def test_a_petition_takes_no_child_pages_so_none_can_hide_its_live_count(admin_client, db):
    petition = PetitionPageFactory()

    response = admin_client.get(f"/admin/pages/{petition.pk}/add_subpage/")

    assert response.status_code in (302, 403)
    assert "add_subpage" not in response.get("Location", "")
    assert admin_client.get(f"{petition.url}count/")["Content-Type"] == "application/json"
