"""The goal climbs a ladder and each threshold reached is stamped once, with its moment."""

import re
from itertools import islice

from django.utils import timezone

from tests.factories import PetitionPageFactory, sign_many
from wagtail_petition.goals import default_ladder
from wagtail_petition.models import Milestone, PetitionCounter


def timeline(html):
    return re.findall(r'petition-milestones__what">([^<]+)<', html)


def test_the_automatic_ladder_follows_the_reference_page_then_1_5_steps_without_end():
    assert list(islice(default_ladder(), 14)) == [
        10, 25, 50, 100, 500, 1_000, 5_000, 10_000, 50_000, 100_000, 500_000, 1_000_000,
        5_000_000, 10_000_000,
    ]  # fmt: skip


def test_milestones_stamped_on_the_former_ladder_stay(client, petition):
    # 250 was a step of the ladder before this one; the timeline keeps it.
    sign_many(petition, 260)
    Milestone.objects.create(petition_id=petition.pk, threshold=250, reached_at=timezone.now())

    sign_many(petition, 240)

    stamps = Milestone.objects.filter(petition_id=petition.pk)
    assert sorted(stamps.values_list("threshold", flat=True)) == [10, 25, 50, 100, 250, 500]
    assert timeline(client.get(petition.url).content.decode())[:2] == [
        "500 signatures reached",
        "250 signatures reached",
    ]


def test_crossing_10_and_25_stamps_each_milestone_once(client, petition):
    before = timezone.now()
    sign_many(petition, 9)
    assert not Milestone.objects.exists()

    sign_many(petition, 1)
    sign_many(petition, 20)

    stamps = Milestone.objects.filter(petition_id=petition.pk)
    assert sorted(stamps.values_list("threshold", flat=True)) == [10, 25]
    assert all(m.reached_at >= before for m in stamps)
    assert stamps.get(threshold=10).reached_at <= stamps.get(threshold=25).reached_at


def test_the_timeline_shows_milestones_newest_first_with_their_moment(client, petition):
    sign_many(petition, 30)

    html = client.get(petition.url).content.decode()

    assert timeline(html) == ["25 signatures reached", "10 signatures reached"]
    stamp = Milestone.objects.get(threshold=25).reached_at
    assert f'datetime="{stamp.isoformat()}"' in html


def test_the_progress_bar_heads_for_the_next_step_of_the_ladder(client, petition):
    sign_many(petition, 12)

    html = client.get(petition.url).content.decode()

    assert "<strong>12</strong> signatures" in html
    assert 'max="25" value="12"' in html
    assert "Let's get to 25" in html


def test_a_fixed_goal_replaces_the_ladder_and_is_a_milestone_too(client, db):
    petition = PetitionPageFactory(fixed_goal=15)
    sign_many(petition, 14)
    assert 'max="15" value="14"' in client.get(petition.url).content.decode()

    sign_many(petition, 2)

    html = client.get(petition.url).content.decode()
    assert "Goal of 15 reached" in html
    assert timeline(html) == ["15 signatures reached", "10 signatures reached"]


def test_large_counts_are_grouped_for_reading(client, petition, settings):
    settings.WAGTAILPETITION_GOAL_LADDER = [2, 1_000_000]
    sign_many(petition, 3)

    html = client.get(petition.url).content.decode()

    assert "Let's get to 1,000,000" in html
    assert timeline(html) == ["2 signatures reached"]


def test_a_site_can_replace_the_ladder(client, petition, settings):
    settings.WAGTAILPETITION_GOAL_LADDER = [5, 20, 75]
    sign_many(petition, 6)

    html = client.get(petition.url).content.decode()

    assert 'max="20" value="6"' in html
    assert timeline(html) == ["5 signatures reached"]


def test_past_the_end_of_a_finite_ladder_the_count_stands_alone(client, petition, settings):
    settings.WAGTAILPETITION_GOAL_LADDER = [1, 2]
    sign_many(petition, 3)

    html = client.get(petition.url).content.decode()

    assert "<strong>3</strong> signatures" in html
    assert "<progress" not in html


def test_a_milestone_passed_unstamped_is_stamped_by_the_next_signature(petition):
    # Two signers committing at once may each see the count short of the other's
    # signature; the next signature then stamps what they passed.
    PetitionCounter.add(30, petition_id=petition.pk)
    assert not Milestone.objects.exists()

    sign_many(petition, 1)

    assert sorted(Milestone.objects.values_list("threshold", flat=True)) == [10, 25]
