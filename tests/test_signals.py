"""Signals are the integration API: each is sent once per event, after the
transaction commits, whichever path caused it. Each test counts the sends a
receiver connected as a site's code would be sees."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.test import Client

from tests.factories import PetitionPageFactory, SignatureFactory, UserFactory, call_script
from wagtail_petition import signals
from wagtail_petition.confirmation import confirmation_url
from wagtail_petition.models import Signature

SIGNALS = {
    name: getattr(signals, name)
    for name in (
        "signature_created",
        "signature_counted",
        "signature_status_changed",
        "milestone_reached",
        "signer_erased",
        "call_reported",
    )
}


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """Every signer here posts from the test client's one address."""
    settings.WAGTAILPETITION_RATE_LIMITS = None


@pytest.fixture
def sent():
    """Every send of the app's signals, as (name, kwargs), in order."""
    log = []
    receivers = {}
    for name, signal in SIGNALS.items():

        def receiver(sender, signal=None, _name=name, **kwargs):
            log.append((_name, kwargs))

        receivers[name] = receiver
        signal.connect(receiver)
    yield log
    for name, signal in SIGNALS.items():
        signal.disconnect(receivers[name])


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run what the test does as committed work, as in production (tests run
    inside a transaction that never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def names(log):
    return [name for name, _kwargs in log]


def post_sign(petition, client=None, **data):
    return (client or Client()).post(petition.url, SignatureFactory(**data))


def test_a_signature_is_announced_created_and_counted_once(db, sent, committing):
    petition = PetitionPageFactory()
    with committing():
        post_sign(petition, email="ada@example.org")
        post_sign(petition, email="ADA@example.org")  # the same person again: no event

    assert names(sent) == ["signature_created", "signature_counted"]
    created, counted = (kwargs for _name, kwargs in sent)
    signature = Signature.objects.get()
    assert created["signature"] == signature and created["status"] == "counted"
    assert created["petition"] == petition
    assert counted["signature"] == signature and counted["cause"] == "signed"


def test_nothing_is_announced_before_the_transaction_commits_or_when_it_rolls_back(
    db, sent, committing
):
    petition = PetitionPageFactory()
    with committing(), transaction.atomic():
        post_sign(petition)
        assert sent == []  # not yet committed
    assert names(sent) == ["signature_created", "signature_counted"]

    sent.clear()
    with committing():
        try:
            with transaction.atomic():
                post_sign(petition)
                raise RuntimeError("the site's own code fails after signing")
        except RuntimeError:
            pass
    assert sent == []


def test_a_held_signature_is_created_but_not_counted(db, sent, committing):
    petition = PetitionPageFactory()
    with committing():
        post_sign(petition, website="https://spam.example")  # the honeypot

    assert names(sent) == ["signature_created"]
    assert sent[0][1]["status"] == "held"


def test_confirming_by_email_counts_once_with_its_status_change(db, sent, committing):
    petition = PetitionPageFactory(require_confirmation=True)
    with committing():
        post_sign(petition)
    assert names(sent) == ["signature_created"]
    assert sent[0][1]["status"] == "pending"

    link = confirmation_url(Signature.objects.get(), petition.url)
    token = parse_qs(urlsplit(link).query)["confirm"][0]
    sent.clear()
    with committing():
        Client().post(petition.url, {"confirmation_token": token})
        Client().post(petition.url, {"confirmation_token": token})  # pressed twice

    assert names(sent) == ["signature_status_changed", "signature_counted"]
    changed, counted = (kwargs for _name, kwargs in sent)
    assert (changed["old_status"], changed["new_status"]) == ("pending", "counted")
    assert counted["cause"] == "confirmed"


def organizer():
    user = UserFactory()
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(codename__in=["view_signature", "change_signature"]),
    )
    client = Client()
    client.force_login(user)
    return client


def bulk(client, action, signatures):
    query = "&".join(f"id={s.pk}" for s in signatures)
    return client.post(f"/admin/bulk/wagtail_petition/signature/{action}/?{query}", {})


def test_holding_and_restoring_in_the_admin_announce_each_change(db, sent, committing):
    petition = PetitionPageFactory()
    with committing():
        post_sign(petition)
    signature = Signature.objects.get()
    sent.clear()
    client = organizer()

    with committing():
        bulk(client, "hold", [signature])
        bulk(client, "hold", [signature])  # already held: no change, no event
        bulk(client, "restore", [signature])

    changes = [(k["old_status"], k["new_status"]) for n, k in sent if n != "milestone_reached"]
    assert changes == [("counted", "held"), ("held", "counted")]
    # It counted before it was held: restoring it is no new supporter.
    assert "signature_counted" not in names(sent)


def test_restoring_a_signature_held_on_arrival_counts_it_for_the_first_time(db, sent, committing):
    petition = PetitionPageFactory()
    with committing():
        post_sign(petition, website="https://spam.example")
    sent.clear()

    with committing():
        bulk(organizer(), "restore", Signature.objects.all())

    assert names(sent) == ["signature_status_changed", "signature_counted"]
    assert sent[1][1]["cause"] == "restored"


def test_each_milestone_is_announced_once_with_its_moment(db, sent, committing):
    petition = PetitionPageFactory()
    client = Client()
    with committing():
        for n in range(11):
            post_sign(petition, client, email=f"signer{n}@example.org")

    reached = [kwargs for name, kwargs in sent if name == "milestone_reached"]
    assert [(k["milestone"].threshold, k["petition"]) for k in reached] == [(10, petition)]
    assert reached[0]["milestone"].reached_at is not None


def test_a_milestone_lost_to_holding_is_announced_again_when_reached_again(db, sent, committing):
    petition = PetitionPageFactory()
    with committing():
        for n in range(10):
            post_sign(petition, email=f"signer{n}@example.org")
    last = Signature.objects.order_by("-pk")[:1]
    client = organizer()

    with committing():
        bulk(client, "hold", last)
        bulk(client, "restore", last)

    reached = [k["milestone"].threshold for n, k in sent if n == "milestone_reached"]
    assert reached == [10, 10]


def test_erasing_a_person_is_announced_once_without_their_address(db, sent, committing):
    park, pool = PetitionPageFactory(), PetitionPageFactory()
    with committing():
        post_sign(park, email="ottoline@example.org")
        post_sign(pool, email="Ottoline@Example.org")
    sent.clear()
    eraser = UserFactory(is_superuser=True)
    client = Client()
    client.force_login(eraser)

    with committing():
        client.post(
            "/admin/petition-privacy/erase/", {"email": "ottoline@example.org", "confirm": "1"}
        )

    assert names(sent) == ["signer_erased"]
    erased = sent[0][1]
    assert sorted((page.pk, n) for page, n in erased["petitions"]) == sorted(
        [(park.pk, 1), (pool.pk, 1)]
    )
    assert sorted(erased["signature_ids"]) == sorted(
        Signature.objects.values_list("pk", flat=True)
    )
    assert erased["user"] == eraser
    assert "ottoline" not in repr(erased).lower()


def test_a_call_report_is_announced_once_per_visitor_and_block(db, sent, committing):
    petition = PetitionPageFactory(body=[call_script()])
    block_id = petition.body[0].id
    client = Client()
    with committing():
        client.post(petition.url, {"block_id": block_id, "outcome": "voicemail"})
        client.post(petition.url, {"block_id": block_id, "outcome": "spoke"})  # again: ignored
        Client().post(petition.url, {"block_id": block_id, "outcome": "skipped"})

    reports = [k for n, k in sent if n == "call_reported"]
    assert [(k["report"].outcome, k["counted"], k["page"]) for k in reports] == [
        ("voicemail", True, petition),
        ("skipped", False, petition),
    ]


def test_a_failing_receiver_is_logged_and_loses_neither_the_signature_nor_other_receivers(
    db, sent, committing, caplog
):
    def broken(sender, **kwargs):
        raise ConnectionError("the CRM is down")

    signals.signature_created.connect(broken)
    try:
        with committing():
            response = post_sign(PetitionPageFactory())
    finally:
        signals.signature_created.disconnect(broken)

    assert response.status_code == 303
    assert Signature.objects.count() == 1
    assert names(sent) == ["signature_created", "signature_counted"]
    assert "the CRM is down" in caplog.text
