"""Several OS processes sign one petition at once, on SQLite (a file database)
and on PostgreSQL alike: nothing is lost, and each event is announced once."""

import multiprocessing
from collections import Counter

import pytest
from django.db import connection

from tests.factories import PetitionPageFactory
from tests.workers import sign_over_http
from wagtail_petition.models import Milestone, PetitionCounter, Signature

PROCESSES = 8
SIGNATURES_EACH = 15
SHARED_EMAIL = "everyone@example.org"


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_processes_signing_at_once_lose_nothing_and_stamp_each_milestone_once(tmp_path):
    petition = PetitionPageFactory()
    events_path = tmp_path / "events.txt"
    # Fork each signer from a server that set Django up once (see tests.workers),
    # rather than start each from scratch: a second of CPU per process saved.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.workers"])
    barrier = context.Barrier(PROCESSES)
    results = context.Queue()
    workers = [
        context.Process(
            target=sign_over_http,
            args=(
                # The test database's settings: a child process starts from the
                # settings module, which names the site's database, not this one.
                dict(connection.settings_dict),
                petition.url,
                [
                    (f"p{n}-{i}@example.org", f"198.51.100.{n * 20 + i}")
                    for i in range(SIGNATURES_EACH)
                ]
                + [(SHARED_EMAIL, f"203.0.113.{n}")],
                barrier,
                results,
                str(events_path),
            ),
        )
        for n in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=180) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)

    assert [worker.exitcode for worker in workers] == [0] * PROCESSES
    assert [error for error, _ in outcomes if error] == []
    assert all(status == 303 for _, statuses in outcomes for status in statuses)
    expected = PROCESSES * SIGNATURES_EACH + 1  # the shared address counts once
    assert Signature.objects.filter(petition_id=petition.pk).count() == expected
    assert PetitionCounter.count_for(petition_id=petition.pk) == expected
    thresholds = list(
        Milestone.objects.filter(petition_id=petition.pk).values_list("threshold", flat=True)
    )
    assert sorted(thresholds) == [10, 25, 50, 100]
    # Each event announced once, in whichever process caused it.
    events = Counter(events_path.read_text().splitlines())
    assert events == {
        "signature_created ": expected,
        "signature_counted ": expected,
        "milestone_reached 10": 1,
        "milestone_reached 25": 1,
        "milestone_reached 50": 1,
        "milestone_reached 100": 1,
    }
