"""The count lives in its own row: page revisions never change it, and
petition_recount finds and repairs drift."""

from io import StringIO

from django.core.management import call_command
from wagtail.models import ReferenceIndex

from tests.factories import sign_many
from wagtail_petition.models import PetitionCounter, PetitionPage


def test_publishing_a_revision_between_signatures_leaves_the_count_alone(client, petition):
    stale_copy = PetitionPage.objects.get(pk=petition.pk)  # an editor opened the page
    sign_many(petition, 3)

    stale_copy.title = "Save the park, updated"
    stale_copy.save_revision().publish()
    sign_many(petition, 2)
    PetitionPage.objects.get(pk=petition.pk).save_revision().publish()

    assert PetitionPage.objects.get(pk=petition.pk).signature_count == 5
    html = client.get(petition.url).content.decode()
    assert "Save the park, updated" in html
    assert "<strong>5</strong> signatures" in html


def test_reading_the_count_does_not_count_signature_rows(petition, django_assert_num_queries):
    sign_many(petition, 3)

    with django_assert_num_queries(1) as captured:
        assert petition.signature_count == 3

    sql = captured.captured_queries[0]["sql"]
    assert "COUNT(" not in sql.upper() and "wagtail_petition_petitioncounter" in sql


def recount(*args):
    out = StringIO()
    call_command("petition_recount", *args, stdout=out)
    return out.getvalue()


def test_recount_reports_and_fixes_a_counter_changed_by_hand(petition):
    sign_many(petition, 4)
    PetitionCounter.add(3, petition_id=petition.pk)  # by hand: no signature behind it

    report = recount()
    assert f"Petition {petition.pk}: counter 7, counted signatures 4 (drift +3)" in report
    assert petition.signature_count == 7  # a report alone repairs nothing

    fixed = recount("--fix")
    assert "Fixed 1 counter(s)." in fixed
    assert petition.signature_count == 4
    assert "Every counter matches its signatures." in recount()


def test_recount_finds_signatures_whose_counter_rows_are_missing(petition):
    sign_many(petition, 2)
    PetitionCounter.objects.all().delete()

    assert "counter 0, counted signatures 2 (drift -2)" in recount()
    recount("--fix")
    assert petition.signature_count == 2


def test_signing_leaves_no_trace_in_wagtails_reference_index(petition):
    before = ReferenceIndex.objects.count()

    sign_many(petition, 3)

    assert ReferenceIndex.objects.count() == before  # a page's "usage" is not its signers
