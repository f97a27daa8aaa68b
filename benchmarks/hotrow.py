"""The counter's hot row: OS processes calling ``sign()`` in a loop, all on one
petition against each on a petition of its own. If the counter were the
bottleneck, the first would be slower than the second. Also measured: the time
from a sign's counter UPDATE to its commit, waits for the row lock included."""

import multiprocessing
import statistics
import time

from django.db import connection

PROCESSES = 8


def sign_loop(petition_id, seconds, barrier, results):
    """One signer process: sign ``petition_id`` until ``seconds`` pass; put
    (signs, [counter hold times in s]) on ``results``."""
    from wagtail_petition.models import PetitionCounter, PetitionPage
    from wagtail_petition.signing import sign

    petition = PetitionPage.objects.get(pk=petition_id)
    counter_table = PetitionCounter._meta.db_table
    held_since = []

    def note_counter_update(execute, sql, params, many, context):
        if sql.startswith("UPDATE") and counter_table in sql:
            held_since.append(time.perf_counter())
        return execute(sql, params, many, context)

    signs, holds = 0, []
    barrier.wait()
    deadline = time.perf_counter() + seconds
    with connection.execute_wrapper(note_counter_update):
        while time.perf_counter() < deadline:
            held_since.clear()
            sign(
                petition,
                email=f"hot-{petition_id}-{time.time_ns()}@example.org",
                first_name="Sam",
                last_name="Signer",
                postal_code="60614",
            )
            holds.append(time.perf_counter() - held_since[0])
            signs += 1
    connection.close()
    results.put((signs, holds))


def run(petition_ids, seconds):
    """``PROCESSES`` processes, the n-th signing ``petition_ids[n % len]``:
    (signs, signs per second, median counter hold in ms)."""
    context = multiprocessing.get_context("fork")
    connection.close()  # each child opens its own
    barrier, results = context.Barrier(PROCESSES + 1), context.Queue()
    workers = [
        context.Process(
            target=sign_loop,
            args=(petition_ids[n % len(petition_ids)], seconds, barrier, results),
        )
        for n in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    barrier.wait()
    began = time.perf_counter()
    outcomes = [results.get(timeout=seconds + 120) for _ in workers]
    elapsed = time.perf_counter() - began
    for worker in workers:
        worker.join(timeout=60)
    signs = sum(signs for signs, _ in outcomes)
    holds = [hold for _, worker_holds in outcomes for hold in worker_holds]
    return signs, signs / elapsed, statistics.median(holds) * 1000


def bench_hot_row(hot, spread, *, rounds, seconds, table, met):
    """Print the hot row's table: ``hot``, one petition, against ``spread``,
    one petition per process, in interleaved rounds. Returns the signs made on
    ``hot``."""
    cases = {"one petition": [hot.pk], f"{PROCESSES} petitions": [p.pk for p in spread]}
    runs = {name: [] for name in cases}
    for _ in range(rounds):
        for name, ids in cases.items():
            runs[name].append(run(ids, seconds))
    rows = []
    for name, results in runs.items():
        rates = [rate for _, rate, _ in results]
        hold = statistics.median(hold for _, _, hold in results)
        rows.append(
            [
                name,
                f"{statistics.median(rates):.0f}",
                " / ".join(f"{rate:.0f}" for rate in rates),
                f"{hold:.2f}",
            ]
        )
    table(
        f"The counter's hot row: {PROCESSES} processes calling sign() (signs/s)",
        ["case", "per s (median)", "rounds", "counter UPDATE to commit, ms (median)"],
        rows,
    )
    one, spread_rate = (statistics.median(r[1] for r in runs[name]) for name in cases)
    table(
        "The counter's hot row: ratio",
        ["ratio", "value", "no contention shows when", "met"],
        [
            [
                f"one petition / {PROCESSES} petitions",
                f"{one / spread_rate:.2f}",
                "≥ 0.9",
                met(one / spread_rate >= 0.9),
            ]
        ],
    )
    return sum(signs for signs, _, _ in runs["one petition"])
