"""Organizers erase a person who asks to be forgotten, and petition_anonymise
removes signers' personal data some time after a petition closes. Rows stay,
so counts and milestones never change."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from wagtail.models import PageLogEntry

from tests.factories import PetitionPageFactory, UserFactory, admin_user_with, sign_many
from wagtail_petition.models import Milestone, Signature
from wagtail_petition.signing import sign

ERASE_URL = "/admin/petition-privacy/erase/"
OTTOLINE = "ottoline.vanderquill@example.org"


def sign_as_ottoline(petition, email=OTTOLINE, **fields):
    data = {
        "first_name": "Ottoline",
        "last_name": "Vanderquill",
        "postal_code": "SW1A 1AA",
        "comment": "Parks matter to me.",
        "opt_in": True,
        "source": "newsletter",
        # A keyed hash of her address: it links her signatures to each other.
        "ip_hash": "ottoline-address-hash",
        **fields,
    }
    return sign(petition, email=email, **data).signature


def rows(*petitions):
    """Every stored value of the petitions' signatures, in a comparable form."""
    return list(
        Signature.objects.filter(petition_id__in=[p.pk for p in petitions]).order_by("pk").values()
    )


def counted_rows(petition):
    return Signature.objects.filter(petition_id=petition.pk, status="counted").count()


@pytest.fixture
def eraser(client, db):
    user = admin_user_with("view_signature", "delete_signature")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def ottoline_and_others(db):
    """Ottoline signed two of three petitions, with differently typed addresses."""
    park, library, pool = PetitionPageFactory.create_batch(3)
    for petition in (park, library, pool):
        sign_many(petition, 3)
    sign_as_ottoline(park)
    sign_as_ottoline(library, email="  Ottoline.Vanderquill@EXAMPLE.org ")
    return park, library, pool


# Erasing a person --------------------------------------------------------------


def test_erasing_finds_the_address_however_it_was_written(eraser, db):
    park, library = PetitionPageFactory.create_batch(2)
    sign_as_ottoline(park, email="ottoline@googlemail.com")
    sign_as_ottoline(library, email="ottoline@\uff47\uff4d\uff41\uff49\uff4c.com")

    eraser.post(ERASE_URL, {"email": "Ottoline@gmail.com", "confirm": "1"})

    assert Signature.objects.filter(anonymised_at__isnull=False).count() == 2


def test_the_first_step_shows_where_the_person_signed_and_changes_nothing(
    eraser, ottoline_and_others
):
    park, library, pool = ottoline_and_others
    before = rows(park, library, pool)

    response = eraser.post(ERASE_URL, {"email": " OTTOLINE.vanderquill@example.ORG "})

    html = response.content.decode()
    assert response.status_code == 200
    assert "signed 2 times" in html
    assert f"{park.title}: 1 signature" in html
    assert f"{library.title}: 1 signature" in html
    assert pool.title not in html
    assert "Yes, erase" in html
    assert rows(park, library, pool) == before


def test_confirming_erases_the_person_everywhere_and_keeps_the_counts(eraser, ottoline_and_others):
    park, library, pool = ottoline_and_others
    others_before = [row for row in rows(park, library, pool) if row["first_name"] != "Ottoline"]
    counts_before = [(p.signature_count, counted_rows(p)) for p in (park, library, pool)]

    response = eraser.post(ERASE_URL, {"email": OTTOLINE.upper(), "confirm": "1"}, follow=True)

    assert "Erased the personal data of 2 signatures." in response.content.decode()
    everything = json.dumps(rows(park, library, pool), cls=DjangoJSONEncoder).lower()
    assert "ottoline" not in everything and "vanderquill" not in everything
    assert "sw1a" not in everything and "parks matter" not in everything
    erased = [row for row in rows(park, library, pool) if row["anonymised_at"]]
    assert len(erased) == 2
    assert all(row["status"] == "counted" and row["source"] == "newsletter" for row in erased)
    assert not any(row["opt_in"] for row in erased)
    assert [row for row in rows(park, library, pool) if not row["anonymised_at"]] == others_before
    assert [(p.signature_count, counted_rows(p)) for p in (park, library, pool)] == counts_before
    assert "<strong>4</strong> signatures" in eraser.get(park.url).content.decode()


def test_erasing_is_recorded_per_petition_without_the_address(eraser, ottoline_and_others):
    park, library, pool = ottoline_and_others

    eraser.post(ERASE_URL, {"email": OTTOLINE, "confirm": "1"})

    entries = PageLogEntry.objects.filter(action="wagtail_petition.erase_signer")
    assert sorted(entries.values_list("page_id", flat=True)) == sorted([park.pk, library.pk])
    assert all(e.data == {"signatures": 1} and e.user_id == eraser.user.pk for e in entries)
    every_entry = json.dumps(list(PageLogEntry.objects.values()), cls=DjangoJSONEncoder).lower()
    assert "ottoline" not in every_entry and "vanderquill" not in every_entry
    admin = UserFactory(is_superuser=True)
    eraser.force_login(admin)
    history = eraser.get(f"/admin/pages/{park.pk}/history/").content.decode()
    assert "Erased a signer&#x27;s personal data from 1 signature" in history
    assert "ottoline" not in history.lower()


def test_an_address_nobody_signed_with_gets_a_clear_answer(eraser, ottoline_and_others):
    before = rows(*ottoline_and_others)

    for step in ({}, {"confirm": "1"}):
        response = eraser.post(ERASE_URL, {"email": "nobody@example.org", **step})
        assert response.status_code == 200
        assert "No signatures found for nobody@example.org" in response.content.decode()

    assert rows(*ottoline_and_others) == before
    assert not PageLogEntry.objects.filter(action="wagtail_petition.erase_signer").exists()


def test_an_empty_address_is_asked_for_again(eraser, db):
    response = eraser.post(ERASE_URL, {"email": "  "})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_only_users_who_may_delete_signatures_can_erase(client, ottoline_and_others):
    before = rows(*ottoline_and_others)
    client.force_login(admin_user_with("view_signature", "change_signature"))

    assert "Erase a signer" not in client.get("/admin/").content.decode()
    assert client.get(ERASE_URL).status_code == 403
    response = client.post(ERASE_URL, {"email": OTTOLINE, "confirm": "1"})
    assert response.status_code == 403
    assert rows(*ottoline_and_others) == before

    client.force_login(admin_user_with("delete_signature"))
    assert "Erase a signer" in client.get("/admin/").content.decode()
    assert client.get(ERASE_URL).status_code == 200


# Retention -----------------------------------------------------------------------


def anonymise(*args):
    out = StringIO()
    call_command("petition_anonymise", *args, stdout=out)
    return out.getvalue()


def closed_petition(days_ago, signatures=12):
    petition = PetitionPageFactory(deadline=timezone.now() - timedelta(days=days_ago))
    sign_many(petition, signatures)
    return petition


@pytest.fixture
def retention(settings, db):
    settings.WAGTAILPETITION_RETENTION_DAYS = 365
    old = closed_petition(days_ago=400)
    sign_as_ottoline(old)
    recent = closed_petition(days_ago=30)
    still_open = PetitionPageFactory(deadline=timezone.now() + timedelta(days=5))
    no_deadline = PetitionPageFactory()
    for petition in (still_open, no_deadline):
        sign_many(petition, 4)
    return old, [recent, still_open, no_deadline]


def milestones(petition):
    return list(Milestone.objects.filter(petition_id=petition.pk).values_list())


def test_retention_removes_personal_data_of_long_closed_petitions_only(retention):
    old, untouched = retention
    old_before = rows(old)
    untouched_before = rows(*untouched)
    stamps_before = milestones(old)
    assert stamps_before  # 10 reached

    report = anonymise()

    assert f'Petition {old.pk} "{old.title}": anonymised 13 signature(s).' in report
    assert "Anonymised 13 signature(s)." in report
    after = rows(old)
    for row, original in zip(after, old_before, strict=True):
        assert row["first_name"] == row["last_name"] == row["email"] == row["comment"] == ""
        assert row["postal_code"] == original["postal_code"][:3]
        assert not row["opt_in"] and row["anonymised_at"]
        for kept in ("id", "status", "source", "created_at", "petition_id"):
            assert row[kept] == original[kept]
    stored = json.dumps(after, cls=DjangoJSONEncoder)
    assert not [
        original[field]
        for original in old_before
        for field in ("first_name", "last_name", "email", "email_normalised")
        if original[field] in stored
    ]
    assert old.signature_count == counted_rows(old) == 13
    assert milestones(old) == stamps_before
    assert rows(*untouched) == untouched_before


def test_a_run_stopped_midway_is_resumed_by_running_again(retention):
    old, untouched = retention

    first = anonymise("--limit", "5", "--batch-size", "2")

    assert "Anonymised 5 signature(s)." in first
    assert "8 signature(s) left. Run the command again to continue." in first
    first_stamps = {row["id"]: row["anonymised_at"] for row in rows(old) if row["anonymised_at"]}
    assert len(first_stamps) == 5

    second = anonymise("--batch-size", "2")

    assert "Anonymised 8 signature(s)." in second and "left" not in second
    assert all(row["anonymised_at"] for row in rows(old))
    assert {row["id"]: row["anonymised_at"] for row in rows(old) if row["id"] in first_stamps} == (
        first_stamps
    )
    assert old.signature_count == 13
    assert "Nothing to anonymise" in anonymise()


def test_a_dry_run_reports_per_petition_and_changes_nothing(retention):
    old, untouched = retention
    older = closed_petition(days_ago=1000, signatures=2)
    before = rows(old, older, *untouched)

    report = anonymise("--dry-run")

    assert f'Petition {old.pk} "{old.title}": would anonymise 13 signature(s).' in report
    assert f'Petition {older.pk} "{older.title}": would anonymise 2 signature(s).' in report
    assert "Nothing was changed." in report
    assert rows(old, older, *untouched) == before


def test_without_a_retention_period_nothing_happens_unless_days_are_given(retention, settings):
    old, untouched = retention
    settings.WAGTAILPETITION_RETENTION_DAYS = None
    before = rows(old, *untouched)

    assert "No retention period is set" in anonymise()
    assert rows(old, *untouched) == before

    anonymise("--days", "20")
    recent, still_open, no_deadline = untouched
    assert all(row["anonymised_at"] for row in rows(old, recent))
    assert not any(row["anonymised_at"] for row in rows(still_open, no_deadline))


def test_the_postal_code_prefix_kept_follows_the_setting(retention, settings):
    old, _untouched = retention
    settings.WAGTAILPETITION_RETENTION_POSTAL_CODE_PREFIX = 0

    anonymise()

    assert {row["postal_code"] for row in rows(old)} == {""}
