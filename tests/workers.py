"""Code run in child processes by the concurrency tests.

Importing this module sets Django up. The tests start their processes from a
fork server that imports it first (``set_forkserver_preload``), so Django is set
up once there, with no database connection open, and each process forked from
it opens its own connection."""

import django
from django.apps import apps

if not apps.ready:  # in the test process itself, pytest-django did it
    django.setup()


def record_events(events_path):
    """Append a line to ``events_path`` for each signal the app sends in this
    process: the signal's name, and a milestone's threshold. Lines this short
    are appended whole, even by several processes at once."""
    from wagtail_petition import signals

    def record(sender, signal, **kwargs):
        name = next(n for n in EVENTS if getattr(signals, n) is signal)
        milestone = kwargs.get("milestone")
        with open(events_path, "a") as events:
            events.write(f"{name} {milestone.threshold if milestone else ''}\n")

    for name in EVENTS:
        getattr(signals, name).connect(record, weak=False)


EVENTS = ("signature_created", "signature_counted", "milestone_reached")


def sign_over_http(database, path, signers, barrier, results, events_path):
    """Wait at ``barrier`` for the other signers, post each ``(email, address)``
    of ``signers`` to ``path`` on ``database`` (the parent's connection
    settings), record the signals sent in ``events_path``, and put ``(error,
    statuses)`` on ``results``."""
    import traceback

    from django.db import connection
    from django.test import Client

    connection.settings_dict.update(database)
    record_events(events_path)
    client = Client()
    statuses, error = [], ""
    try:
        barrier.wait(timeout=120)
        for email, address in signers:
            response = client.post(
                path,
                {"first_name": "Sam", "last_name": "Signer", "email": email, "postal_code": ""},
                # Each signer from an address of their own, as in real life: one
                # address signing many times is held back by the rate limits.
                REMOTE_ADDR=address,
            )
            statuses.append(response.status_code)
    except Exception:
        error = traceback.format_exc()
    finally:
        connection.close()
    results.put((error, statuses))
