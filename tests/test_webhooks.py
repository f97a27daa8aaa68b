"""Webhooks: petition events posted to the organizers' endpoints, signed the
Standard Webhooks way, retried until delivered, logged in the admin.

The receiver is a real HTTP server in a thread; the worker tests run
``manage.py db_worker`` (django_tasks_db) as an OS process on the test database.
"""

import base64
import hashlib
import hmac
import json
import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page

from tests.conftest import tasks_on
from tests.factories import PetitionPageFactory, SignatureFactory, UserFactory, call_script
from tests.webhook_receiver import Receiver
from wagtail_petition import webhooks
from wagtail_petition.models import WebhookDelivery, WebhookEndpoint
from wagtail_petition.privacy import erase_signer

ROOT = Path(__file__).resolve().parent.parent
ALL_EVENTS = [
    "signature.counted",
    "signature.status_changed",
    "milestone.reached",
    "signer.erased",
    "call.reported",
]


# A receiver ------------------------------------------------------------------


@pytest.fixture
def receiver():
    receiver = Receiver()
    receiver.start()
    yield receiver
    receiver.stop()


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    settings.WAGTAILPETITION_RATE_LIMITS = None


def verify(secret, headers, body, tolerance=300):
    """Standard Webhooks verification, as a receiver writes it from the spec:
    the key is the base64 part of "whsec_...", the signed content
    "{webhook-id}.{webhook-timestamp}.{body}", the header a space-separated
    list of "v1,<base64 HMAC-SHA256>"."""
    key = base64.b64decode(secret.split("_", 1)[1])
    content = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.{body}".encode()
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    if abs(time.time() - int(headers["webhook-timestamp"])) > tolerance:
        return False
    return any(
        version == "v1" and hmac.compare_digest(signature, expected)
        for version, _, signature in (
            item.partition(",") for item in headers["webhook-signature"].split(" ")
        )
    )


def endpoint_for(receiver, **fields):
    fields.setdefault("events", ALL_EVENTS)
    return WebhookEndpoint.objects.create(name="CRM", url=receiver.url, **fields)


def sign(petition, capture, **fields):
    with capture(execute=True):
        response = Client().post(petition.url, SignatureFactory(**fields))
    assert response.status_code in (200, 303)


def user_with(*codenames):
    group = Group.objects.create(name=f"group-{'-'.join(codenames) or 'none'}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    group.permissions.add(*Permission.objects.filter(codename__in=codenames))
    GroupPagePermission.objects.create(
        group=group,
        page=Page.get_first_root_node(),
        permission=Permission.objects.get(codename="change_page"),
    )
    user = UserFactory()
    user.groups.add(group)
    return user


# Events and bodies -------------------------------------------------------------


def test_the_signature_matches_the_specs_example():
    # The example of the Standard Webhooks specification.
    assert (
        webhooks.sign(
            base64.b64decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            '{"test": 2432232314}',
        )
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_a_counted_signature_reaches_the_receiver_signed(
    db, receiver, django_capture_on_commit_callbacks
):
    petition = PetitionPageFactory(title="Keep the pool open")
    endpoint = endpoint_for(receiver)
    assert endpoint.secret.startswith("whsec_")
    assert len(base64.b64decode(endpoint.secret[6:])) == 24

    sign(petition, django_capture_on_commit_callbacks, email="ada@example.org")

    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    assert headers["content-type"] == "application/json"
    assert verify(endpoint.secret, headers, body)
    assert not verify("whsec_" + base64.b64encode(b"x" * 24).decode(), headers, body)
    event = json.loads(body)
    assert event["type"] == "signature.counted"
    assert event["timestamp"]
    assert event["data"]["petition"] == {
        "id": petition.pk,
        "title": "Keep the pool open",
        "url": petition.get_full_url(),
        "count": 1,
    }
    assert event["data"]["signature"]["status"] == "counted"
    assert "email" not in event["data"]["signature"]
    assert "ada@example.org" not in body
    delivery = WebhookDelivery.objects.get()
    assert str(delivery.event_id) == headers["webhook-id"]
    assert delivery.payload == body
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert delivery.attempts == 1
    assert delivery.last_status_code == 200


def test_personal_data_goes_only_to_endpoints_allowed(
    db, receiver, django_capture_on_commit_callbacks
):
    other = Receiver()
    other.start()
    try:
        petition = PetitionPageFactory()
        endpoint_for(receiver, send_personal_data=True)
        endpoint_for(other)
        sign(
            petition,
            django_capture_on_commit_callbacks,
            first_name="Ada",
            last_name="Lovelace",
            email="ada@example.org",
            postal_code="60601",
        )
    finally:
        other.stop()

    [allowed] = receiver.events()
    assert allowed["data"]["signature"] | {"id": 0, "created_at": ""} == {
        "id": 0,
        "created_at": "",
        "status": "counted",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.org",
        "postal_code": "60601",
    }
    [plain] = other.events()
    assert set(plain["data"]["signature"]) == {"id", "status", "created_at"}


def test_endpoints_get_only_their_events_and_petitions(
    db, receiver, django_capture_on_commit_callbacks
):
    petition, elsewhere = PetitionPageFactory(), PetitionPageFactory()
    endpoint = endpoint_for(receiver, events=["milestone.reached"])
    endpoint.petitions.add(petition)

    for _ in range(10):
        sign(elsewhere, django_capture_on_commit_callbacks)
    assert receiver.requests == []
    for _ in range(10):
        sign(petition, django_capture_on_commit_callbacks)

    [event] = receiver.events()
    assert event["type"] == "milestone.reached"
    assert event["data"]["milestone"]["threshold"] == 10
    assert event["data"]["petition"]["id"] == petition.pk


def test_an_erased_signer_is_sent_as_ids_and_scrubbed_from_the_log(
    db, receiver, django_capture_on_commit_callbacks
):
    petition = PetitionPageFactory()
    endpoint_for(receiver, send_personal_data=True)
    sign(petition, django_capture_on_commit_callbacks, email="ada@example.org", first_name="Ada")
    assert "ada@example.org" in receiver.requests[0][1]

    with django_capture_on_commit_callbacks(execute=True):
        erase_signer("ada@example.org")

    erased = receiver.events()[-1]
    assert erased["type"] == "signer.erased"
    assert erased["data"]["petitions"] == [{"id": petition.pk, "signatures": 1}]
    assert len(erased["data"]["signature_ids"]) == 1
    assert "ada@example.org" not in receiver.requests[-1][1]
    for delivery in WebhookDelivery.objects.all():
        assert "ada@example.org" not in delivery.payload
        assert "Ada" not in delivery.payload


def test_held_and_restored_signatures_send_status_changes(
    db, receiver, django_capture_on_commit_callbacks
):
    from wagtail_petition.models import Signature
    from wagtail_petition.signing import set_status

    petition = PetitionPageFactory()
    endpoint_for(receiver, events=["signature.status_changed"])
    sign(petition, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        set_status(Signature.objects.all(), Signature.Status.HELD, hold_reason="organizer")

    [event] = receiver.events()
    assert (event["data"]["old_status"], event["data"]["new_status"]) == ("counted", "held")


def test_a_reported_call_is_sent(db, receiver, django_capture_on_commit_callbacks):
    petition = PetitionPageFactory(body=[call_script()])
    block_id = petition.body[0].id
    endpoint_for(receiver, events=["call.reported"])
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(petition.url, {"block_id": block_id, "outcome": "voicemail"})

    [event] = receiver.events()
    assert event["type"] == "call.reported"
    assert event["data"]["report"]["outcome"] == "voicemail"
    assert event["data"]["report"]["block_id"] == block_id
    assert event["data"]["page"]["id"] == petition.pk
    assert event["data"]["counted"] is True


# Retries and auto-disable (django_tasks' immediate backend) -------------------


def test_a_5xx_is_retried_with_growing_waits(
    db, receiver, time_machine, django_capture_on_commit_callbacks
):
    receiver.status = 500
    endpoint_for(receiver, events=["signature.counted"])
    time_machine.move_to(timezone.now(), tick=False)
    sign(PetitionPageFactory(), django_capture_on_commit_callbacks)

    waits = []
    for _ in range(4):
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == WebhookDelivery.Status.RETRYING
        assert delivery.last_status_code == 500
        waits.append(delivery.next_attempt_at - delivery.last_attempt_at)
        time_machine.move_to(delivery.next_attempt_at)
        call_command("petition_webhooks", stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert waits == [timedelta(seconds=s) for s in (30, 120, 600, 1800)]
    assert len(receiver.requests) == 5
    assert len(set(receiver.ids())) == 1  # one event, tried five times

    receiver.status = 200
    time_machine.move_to(WebhookDelivery.objects.get().next_attempt_at)
    call_command("petition_webhooks", stdout=open(os.devnull, "w"))  # noqa: SIM115
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.DELIVERED, 6)


def test_a_delivery_whose_task_was_lost_is_sent_by_the_command(
    db, receiver, settings, time_machine, django_capture_on_commit_callbacks
):
    # A queue that never runs its tasks, as when a worker is killed mid-task:
    # the delivery stays pending. An hour on, the command queues it again.
    tasks_on(settings, "dummy")
    endpoint_for(receiver, events=["signature.counted"])
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    sign(PetitionPageFactory(), django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.PENDING

    tasks_on(settings, "immediate")
    time_machine.move_to(start + timedelta(minutes=59))
    call_command("petition_webhooks", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert receiver.requests == []
    time_machine.move_to(start + timedelta(minutes=61))
    call_command("petition_webhooks", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert receiver.ids() == [str(delivery.event_id)]


def test_the_command_prunes_the_log_but_keeps_what_is_still_owed(
    db, receiver, settings, time_machine, django_capture_on_commit_callbacks
):
    settings.WAGTAILPETITION_WEBHOOK_LOG_DAYS = 30
    endpoint = endpoint_for(receiver, events=["signature.counted"])
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    petition = PetitionPageFactory()
    sign(petition, django_capture_on_commit_callbacks)  # delivered
    receiver.status = 404
    sign(petition, django_capture_on_commit_callbacks)  # failed
    # A delivery still owed, however old (its receiver down, and retries set longer).
    owed = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_type="signature.counted",
        payload="{}",
        status=WebhookDelivery.Status.RETRYING,
        next_attempt_at=start + timedelta(days=40),
    )
    assert {d.status for d in WebhookDelivery.objects.all()} == {"delivered", "failed", "retrying"}

    time_machine.move_to(start + timedelta(days=29))
    call_command("petition_webhooks", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert WebhookDelivery.objects.count() == 3

    time_machine.move_to(start + timedelta(days=31))
    call_command("petition_webhooks", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert list(WebhookDelivery.objects.all()) == [owed]


def test_a_receiver_too_slow_to_answer_is_retried(
    db, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAILPETITION_WEBHOOK_TIMEOUT = 0.5
    receiver.delay = 2
    endpoint_for(receiver, events=["signature.counted"])
    sign(PetitionPageFactory(), django_capture_on_commit_callbacks)

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.RETRYING
    assert "timed out" in delivery.last_error
    assert delivery.last_status_code is None


def test_a_refusal_fails_at_once(db, receiver, django_capture_on_commit_callbacks):
    receiver.status = 410
    endpoint_for(receiver, events=["signature.counted"])
    sign(PetitionPageFactory(), django_capture_on_commit_callbacks)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.next_attempt_at) == (WebhookDelivery.Status.FAILED, None)


def test_an_endpoint_failing_for_three_days_is_switched_off(
    db, receiver, time_machine, django_capture_on_commit_callbacks
):
    receiver.status = 503
    petition = PetitionPageFactory()
    endpoint = endpoint_for(receiver)
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    sign(petition, django_capture_on_commit_callbacks)
    time_machine.move_to(start + timedelta(days=2))
    sign(petition, django_capture_on_commit_callbacks)
    endpoint.refresh_from_db()
    assert endpoint.active

    time_machine.move_to(start + timedelta(days=3, minutes=1))
    sign(petition, django_capture_on_commit_callbacks)

    endpoint.refresh_from_db()
    assert not endpoint.active
    assert endpoint.disabled_reason.startswith("Switched off: every delivery failed since")
    sent = len(receiver.requests)
    sign(petition, django_capture_on_commit_callbacks)
    assert len(receiver.requests) == sent  # switched off: nothing more is sent


def test_a_success_clears_the_failing_streak(
    db, receiver, time_machine, django_capture_on_commit_callbacks
):
    receiver.status = 500
    petition = PetitionPageFactory()
    endpoint = endpoint_for(receiver, events=["signature.counted"])
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    sign(petition, django_capture_on_commit_callbacks)
    receiver.status = 200
    time_machine.move_to(start + timedelta(days=2))
    sign(petition, django_capture_on_commit_callbacks)
    receiver.status = 500
    time_machine.move_to(start + timedelta(days=3, minutes=1))
    sign(petition, django_capture_on_commit_callbacks)

    endpoint.refresh_from_db()
    assert endpoint.active
    assert endpoint.failing_since == start + timedelta(days=3, minutes=1)


# Admin -------------------------------------------------------------------------


def endpoint_form(**overrides):
    return {
        "name": "Our CRM",
        "url": "https://crm.example.org/hooks",
        "events": ["signature.counted", "milestone.reached"],
        "active": "on",
        "secret": "whsec_" + base64.b64encode(b"k" * 24).decode(),
        **overrides,
    }


@pytest.mark.parametrize(
    ("codenames", "personal"),
    [
        (("add_webhookendpoint", "export_signature", "view_signature"), True),
        (("add_webhookendpoint",), False),
    ],
)
def test_only_a_user_who_may_export_turns_on_personal_data(db, codenames, personal):
    client = Client()
    client.force_login(user_with(*codenames))
    response = client.post("/admin/petition-webhooks/new/", endpoint_form(send_personal_data="on"))

    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.send_personal_data is personal
    assert endpoint.events == ["signature.counted", "milestone.reached"]


def test_the_endpoint_form_shows_the_secret_and_event_checkboxes(db):
    endpoint = WebhookEndpoint.objects.create(name="CRM", url="https://crm.example.org/")
    client = Client()
    client.force_login(user_with("change_webhookendpoint"))
    response = client.get(f"/admin/petition-webhooks/edit/{endpoint.pk}/")

    content = response.content.decode()
    assert endpoint.secret in content
    assert 'type="checkbox" name="events" value="signer.erased"' in content
    assert response.context["form"].fields["send_personal_data"].disabled


def test_a_bad_url_is_a_form_error(db):
    client = Client()
    client.force_login(user_with("add_webhookendpoint"))
    response = client.post("/admin/petition-webhooks/new/", endpoint_form(url="ftp://x.org/"))
    assert response.status_code == 200
    assert response.context["form"].errors["url"]
    assert not WebhookEndpoint.objects.exists()


def test_turning_an_endpoint_back_on_clears_why_it_was_off(db):
    endpoint = WebhookEndpoint.objects.create(
        name="CRM",
        url="https://crm.example.org/",
        active=False,
        failing_since=timezone.now(),
        disabled_reason="Switched off: every delivery failed since ...",
    )
    client = Client()
    client.force_login(user_with("change_webhookendpoint", "view_webhookendpoint"))
    listing = client.get("/admin/petition-webhooks/")
    assert "Switched off: every delivery failed since" in listing.content.decode()
    assert re.search(r"<td\s*>\s*Switched off\s*</td>", listing.content.decode())

    client.post(f"/admin/petition-webhooks/edit/{endpoint.pk}/", endpoint_form())
    endpoint.refresh_from_db()
    assert (endpoint.active, endpoint.disabled_reason, endpoint.failing_since) == (True, "", None)


@pytest.mark.parametrize(
    ("codenames", "may_send_again"),
    [
        (["view_webhookendpoint"], False),
        (["add_webhookendpoint", "change_webhookendpoint", "delete_webhookendpoint"], True),
    ],
)
def test_the_delivery_log_shows_status_attempts_and_last_answer(
    db, receiver, django_capture_on_commit_callbacks, codenames, may_send_again
):
    receiver.status = 500
    endpoint_for(receiver, events=["signature.counted"])
    sign(PetitionPageFactory(), django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(user_with(*codenames))

    response = client.get("/admin/petition-webhook-deliveries/", {"status": "retrying"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "signature.counted" in content
    assert "Retrying" in content
    assert "500 answer 500" in content
    assert ("Send again" in content) is may_send_again
    assert (
        client.get("/admin/petition-webhook-deliveries/", {"status": "delivered"})
        .context["object_list"]
        .count()
        == 0
    )


def test_a_deliverys_page_shows_the_body_sent(db, receiver, django_capture_on_commit_callbacks):
    endpoint_for(receiver, events=["signature.counted"])
    sign(PetitionPageFactory(title="Keep the pool open"), django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    client = Client()
    client.force_login(user_with("change_webhookendpoint"))

    response = client.get(f"/admin/petition-webhook-deliveries/inspect/{delivery.pk}/")

    content = response.content.decode()
    assert str(delivery.event_id) in content
    assert "Keep the pool open" in content
    assert f'action="/admin/petition-webhook-deliveries/send-again/{delivery.pk}/"' in content
    assert client.get(f"/admin/petition-webhook-deliveries/edit/{delivery.pk}/").status_code == 404


def test_send_again_posts_the_same_event(db, receiver, django_capture_on_commit_callbacks):
    endpoint = endpoint_for(receiver, events=["signature.counted"])
    sign(PetitionPageFactory(), django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    url = f"/admin/petition-webhook-deliveries/send-again/{delivery.pk}/"

    viewer = Client()
    viewer.force_login(user_with("view_webhookendpoint"))
    assert viewer.post(url).status_code == 403
    organizer = Client(enforce_csrf_checks=True)
    organizer.force_login(user_with("change_webhookendpoint"))
    assert organizer.get(url).status_code == 405
    assert organizer.post(url).status_code == 403  # no CSRF token
    listing = organizer.get("/admin/petition-webhook-deliveries/").content.decode()
    # The button's own form carries the token, as a browser posts it.
    [token] = re.findall(
        rf'<form method="post" action="{url}">\s*<input type="hidden" '
        r'name="csrfmiddlewaretoken" value="([^"]+)"',
        listing,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer.post(url, {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert receiver.ids() == [str(delivery.event_id)] * 2
    assert receiver.requests[0][1] == receiver.requests[1][1]
    assert verify(endpoint.secret, *receiver.requests[1])
    delivery.refresh_from_db()
    assert delivery.attempts == 2


# A real queue and worker (django_tasks_db) ---------------------------------------

needs_queue = pytest.mark.skipif(
    not find_spec("django_tasks_db"), reason="django-tasks-db is not installed"
)


@pytest.fixture
def queue(settings, transactional_db):
    tasks_on(settings, "django_tasks_db.DatabaseBackend")


def worker_database_url() -> str:
    """DATABASE_URL for the test database, which pytest-django named apart."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    return urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))


def run_worker():
    """Run every task due in the queue in a ``db_worker`` process, then return."""
    database = worker_database_url()
    connection.close()  # SQLite: let the worker write
    env = {**os.environ, "DATABASE_URL": database}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "db_worker",
            "--settings",
            "tests.settings_worker",
            "--backend",
            "petition",
            "--batch",
            "--no-startup-delay",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
    )


@needs_queue
@pytest.mark.concurrency
def test_the_sign_request_only_queues_and_the_worker_delivers(queue, receiver):
    from django_tasks_db.models import DBTaskResult

    petition = PetitionPageFactory()
    endpoint = endpoint_for(receiver, events=["signature.counted"])
    assert Client().post(petition.url, SignatureFactory()).status_code in (200, 303)

    assert receiver.requests == []
    queued = DBTaskResult.objects.filter(task_path="wagtail_petition.webhooks.deliver_webhook")
    assert queued.count() == 1
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.PENDING

    run_worker()

    [(headers, body)] = receiver.requests
    assert verify(endpoint.secret, headers, body)
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.DELIVERED


@needs_queue
@pytest.mark.concurrency
def test_events_sent_while_the_receiver_is_down_arrive_once_it_is_up(queue, receiver):
    petition = PetitionPageFactory()
    endpoint_for(receiver, events=["signature.counted"])
    receiver.stop()
    for _ in range(3):
        Client().post(petition.url, SignatureFactory())

    run_worker()  # the receiver is down: every attempt fails
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"retrying"}

    receiver.start()
    time.sleep(1.2)  # the worker's retries are a second apart
    run_worker()

    ids = receiver.ids()
    assert len(ids) == 3
    assert sorted(ids) == sorted(
        str(pk) for pk in WebhookDelivery.objects.values_list("event_id", flat=True)
    )
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}
    run_worker()
    assert len(receiver.requests) == 3  # nothing sent twice
