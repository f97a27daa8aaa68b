"""Email confirmation (double opt-in): a signature counts only once its signer
presses the button behind the link we email them; opening the link is not enough."""

import csv
import io
import json
import multiprocessing
import re
from datetime import timedelta
from smtplib import SMTPException
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from tests.confirmation_workers import press_confirm_over_http
from tests.conftest import tasks_on
from tests.factories import PetitionPageFactory, SignatureFactory, masked_referral_codes
from wagtail_petition import signing
from wagtail_petition.confirmation import make_token, send_confirmation_email
from wagtail_petition.models import Milestone, PetitionCounter, Signature
from wagtail_petition.privacy import anonymise
from wagtail_petition.signing import confirm, set_status

LINK = re.compile(r"https?://[^\s\"<>]+\?confirm=[^\s\"<>]+")


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """Several signers share the test client's address; that is not what is tested here."""
    settings.WAGTAILPETITION_RATE_LIMITS = None


@pytest.fixture
def petition(db):
    return PetitionPageFactory(require_confirmation=True)


@pytest.fixture
def sign(db, django_capture_on_commit_callbacks):
    """Post the sign form; the email goes out when the transaction commits, as
    in production, which tests run inside: run the commit callbacks."""

    def post(petition, client=None, **data):
        data.setdefault("first_name", "Ada")
        data.setdefault("email", "ada@example.org")
        with django_capture_on_commit_callbacks(execute=True):
            return (client or Client()).post(petition.url, SignatureFactory(**data))

    return post


def link_in(message) -> str:
    """The confirmation link of an email, as a path for the test client."""
    links = set(LINK.findall(message.body))
    assert len(links) == 1, message.body
    url = links.pop()
    html = message.alternatives[0][0]
    assert f'href="{url.replace("&", "&amp;")}"' in html
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["confirm"][0]


def count(petition) -> int:
    return PetitionCounter.count_for(petition_id=petition.pk)


def queued_emails():
    return [
        result
        for result in send_confirmation_email.get_backend().results
        if result.task.func is send_confirmation_email.func
    ]


def press_the_button(client, petition, token):
    return client.post(petition.url, {"confirmation_token": token})


def test_a_signature_is_stored_pending_uncounted_and_emailed_once(sign, petition, mailoutbox):
    response = sign(petition, first_name="Ada", email="Ada@Example.org")

    assert response.status_code == 303
    signature = Signature.objects.get()
    assert signature.status == Signature.Status.PENDING
    assert signature.confirmation_emails_sent == 1
    assert signature.confirmed_at is None
    assert count(petition) == 0
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["Ada@Example.org"]
    assert message.subject == f"Confirm your signature: {petition.title}"
    assert "Hi Ada," in message.body
    link = link_in(message)
    assert link.startswith(f"{petition.url}?confirm=")
    assert message.alternatives[0][1] == "text/html"


def test_the_thank_you_state_asks_to_check_the_inbox(sign, petition):
    client = Client()
    response = sign(petition, client)

    html = client.get(response["Location"]).content.decode()
    assert "Almost done: check your inbox and click the link to confirm your signature." in html
    assert "<strong>0</strong> signatures" in html


def test_opening_the_link_shows_a_button_and_confirms_nothing(sign, petition, mailoutbox):
    sign(petition)
    link = link_in(mailoutbox[0])

    response = Client().get(link)

    assert response.status_code == 200
    html = response.content.decode()
    assert petition.title in html
    assert "Confirm my signature" in html
    assert 'method="post"' in html and 'name="csrfmiddlewaretoken"' in html
    assert f'name="confirmation_token" value="{token_of(link)}"' in html
    assert 'name="email"' not in html  # no sign form here
    assert Signature.objects.get().status == Signature.Status.PENDING
    assert count(petition) == 0


def test_the_confirmation_pages_are_never_cached_nor_leak_the_token(sign, petition, mailoutbox):
    sign(petition)
    link = link_in(mailoutbox[0])
    client = Client()

    for response in (
        client.get(link),
        client.get(f"{petition.url}?confirm=nonsense"),
        press_the_button(client, petition, token_of(link)),
    ):
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "same-origin"


def test_pressing_the_button_counts_the_signature_once_and_stamps_milestones(
    sign, petition, mailoutbox, settings
):
    settings.WAGTAILPETITION_GOAL_LADDER = [1, 10]
    sign(petition, first_name="Ada")
    token = token_of(link_in(mailoutbox[0]))
    client = Client()  # another browser than the one that signed, as from a phone's mail app

    response = press_the_button(client, petition, token)

    assert response.status_code == 303
    assert response["Location"] == f"{petition.url}?signed=1#petition-thanks"
    signature = Signature.objects.get()
    assert signature.status == Signature.Status.COUNTED
    assert signature.confirmed_at is not None
    assert count(petition) == 1
    assert list(Milestone.objects.values_list("threshold", flat=True)) == [1]
    thanks = client.get(response["Location"]).content.decode()
    assert "Your signature is confirmed." in thanks
    assert "Thank you, Ada!" in thanks
    assert "Almost done" not in thanks
    assert "<strong>1</strong> signature" in thanks
    assert "1 signature reached" in thanks or "1 signatures reached" in thanks


def test_pressing_the_button_again_counts_nothing_more_and_says_so(sign, petition, mailoutbox):
    sign(petition)
    token = token_of(link_in(mailoutbox[0]))
    press_the_button(Client(), petition, token)

    replay = press_the_button(Client(), petition, token)
    reopened = Client().get(f"{petition.url}?confirm={token}")

    for response in (replay, reopened):
        assert response.status_code == 200
        html = response.content.decode()
        assert "Your signature is already confirmed" in html
        assert "Confirm my signature" not in html
    assert count(petition) == 1


def test_confirming_twice_through_the_function_counts_once(sign, petition):
    sign(petition)
    signature = Signature.objects.get()

    assert confirm(signature) is True
    assert confirm(Signature.objects.get()) is False
    assert count(petition) == 1


def test_an_expired_link_is_answered_clearly_and_counts_nothing(sign, petition, mailoutbox):
    sign(petition)
    token = token_of(link_in(mailoutbox[0]))

    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        opened = Client().get(f"{petition.url}?confirm={token}")
        pressed = press_the_button(Client(), petition, token)

    for response in (opened, pressed):
        assert response.status_code == 400
        html = response.content.decode()
        assert "This confirmation link has expired" in html
        assert "A confirmation link works for 1\xa0week." in html
        assert "Confirm my signature" not in html
    assert Signature.objects.get().status == Signature.Status.PENDING
    assert count(petition) == 0


def test_the_link_lifetime_is_a_setting(sign, petition, mailoutbox, settings):
    settings.WAGTAILPETITION_CONFIRMATION_MAX_AGE = 60 * 60
    sign(petition)
    token = token_of(link_in(mailoutbox[0]))
    assert "The link works for 1\xa0hour." in mailoutbox[0].body

    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        response = press_the_button(Client(), petition, token)

    assert response.status_code == 400
    assert count(petition) == 0


def test_signing_again_after_expiry_sends_a_link_that_works(sign, petition, mailoutbox):
    later = timezone.now() + timedelta(days=8)
    sign(petition)

    with time_machine.travel(later):
        sign(petition)
        response = press_the_button(Client(), petition, token_of(link_in(mailoutbox[1])))

    assert response.status_code == 303
    assert count(petition) == 1


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token[:20],
        lambda token: "nonsense",
        lambda token: "",
        lambda token: "x" * 5000,
        lambda token: "é\u2028" + token,
        lambda token: token.replace(":", "::", 1),
    ],
    ids=["changed", "truncated", "nonsense", "empty", "huge", "non-ascii", "extra-colon"],
)
def test_a_tampered_link_is_answered_clearly_and_counts_nothing(
    sign, petition, mailoutbox, tamper
):
    sign(petition)
    token = tamper(token_of(link_in(mailoutbox[0])))

    opened = Client().get(petition.url, {"confirm": token})
    pressed = press_the_button(Client(), petition, token)

    for response in (opened, pressed):
        assert response.status_code == 400
        assert "This confirmation link is not valid" in response.content.decode()
    assert Signature.objects.get().status == Signature.Status.PENDING
    assert count(petition) == 0


def test_a_link_works_only_on_its_own_petition(sign, petition, mailoutbox):
    other = PetitionPageFactory(require_confirmation=True)
    sign(petition)
    token = token_of(link_in(mailoutbox[0]))

    response = press_the_button(Client(), other, token)

    assert response.status_code == 400
    assert count(petition) == count(other) == 0


def test_a_link_stops_working_once_the_signature_is_anonymised(sign, petition, mailoutbox):
    sign(petition)
    token = token_of(link_in(mailoutbox[0]))
    anonymise(Signature.objects.all())

    response = press_the_button(Client(), petition, token)

    assert response.status_code == 410
    assert "This signature is no longer on record" in response.content.decode()
    assert count(petition) == 0


def test_a_held_signature_cannot_be_confirmed(sign, petition, mailoutbox):
    sign(petition)
    token = token_of(link_in(mailoutbox[0]))
    set_status(Signature.objects.all(), Signature.Status.HELD, hold_reason="organizer")

    response = press_the_button(Client(), petition, token)

    assert response.status_code == 409
    assert "organizers are reviewing it." in response.content.decode()
    assert Signature.objects.get().status == Signature.Status.HELD
    assert count(petition) == 0


def test_signing_again_while_pending_resends_up_to_the_limit_and_looks_the_same(
    sign, petition, mailoutbox
):
    pages = []
    for email in ["ada@example.org", " ADA@example.ORG", "ada@example.org", "ada@example.org"]:
        client = Client()
        response = sign(petition, client, first_name="Ada", email=email)
        assert response.status_code == 303
        pages.append(masked_referral_codes(client.get(response["Location"]).content))

    assert len(mailoutbox) == 3  # WAGTAILPETITION_CONFIRMATION_EMAILS_MAX
    assert {message.to[0] for message in mailoutbox} == {"ada@example.org"}
    assert Signature.objects.get().confirmation_emails_sent == 3
    assert len(set(pages)) == 1
    assert b"Almost done" in pages[0]
    assert count(petition) == 0


def test_the_email_limit_is_a_setting(sign, petition, mailoutbox, settings):
    settings.WAGTAILPETITION_CONFIRMATION_EMAILS_MAX = 1
    sign(petition)
    sign(petition)

    assert len(mailoutbox) == 1


def test_a_counted_signer_signing_again_sees_what_a_new_signer_sees_and_gets_no_email(
    sign, petition, mailoutbox
):
    sign(petition, first_name="Ada", email="ada@example.org")
    press_the_button(Client(), petition, token_of(link_in(mailoutbox[0])))

    again, newcomer = Client(), Client()
    again_thanks = again.get(sign(petition, again, email="ada@example.org")["Location"])
    new_thanks = newcomer.get(sign(petition, newcomer, email="bea@example.org")["Location"])

    assert masked_referral_codes(again_thanks.content) == masked_referral_codes(new_thanks.content)
    assert b"Almost done" in again_thanks.content
    assert [message.to for message in mailoutbox] == [["ada@example.org"], ["bea@example.org"]]
    assert count(petition) == 1


def test_a_petition_without_confirmation_counts_at_once_and_sends_nothing(sign, mailoutbox):
    petition = PetitionPageFactory(require_confirmation=False)
    client = Client()

    response = sign(petition, client)

    assert Signature.objects.get().status == Signature.Status.COUNTED
    assert count(petition) == 1
    assert mailoutbox == []
    assert "Almost done" not in client.get(response["Location"]).content.decode()


def test_a_link_for_a_petition_without_confirmation_changes_nothing(sign, mailoutbox):
    petition = PetitionPageFactory(require_confirmation=False)
    sign(petition)

    response = press_the_button(Client(), petition, "nonsense")

    assert response.status_code == 400
    assert count(petition) == 1


def test_the_email_escapes_what_the_signer_typed(sign, petition, mailoutbox):
    sign(petition, first_name="<script>Ada")

    html = mailoutbox[0].alternatives[0][0]
    assert "<script>" not in html
    assert "Hi &lt;script&gt;Ada," in html
    assert "\n" not in mailoutbox[0].subject


def test_an_email_to_the_address_typed_carries_no_message_in_the_name(sign, petition, mailoutbox):
    sign(petition, first_name="Your account is locked call 555 0100 today")

    message = mailoutbox[0]
    assert "locked" not in message.body and "locked" not in message.alternatives[0][0]
    assert "Hello," in message.body


def test_the_email_escapes_the_petition_title(sign, petition, mailoutbox):
    petition.title = 'Parks & "play" <now>'
    petition.save_revision().publish()

    sign(petition)

    html = mailoutbox[0].alternatives[0][0]
    assert "<now>" not in html
    assert "Parks &amp; &quot;play&quot; &lt;now&gt;" in html
    assert mailoutbox[0].subject == 'Confirm your signature: Parks & "play" <now>'


def test_the_button_needs_a_csrf_token(sign, petition, mailoutbox):
    sign(petition)
    token = token_of(link_in(mailoutbox[0]))

    response = press_the_button(Client(enforce_csrf_checks=True), petition, token)

    assert response.status_code == 403
    assert Signature.objects.get().status == Signature.Status.PENDING
    assert count(petition) == 0


def test_the_button_works_with_csrf_checks_from_the_page_it_is_on(sign, petition, mailoutbox):
    sign(petition)
    client = Client(enforce_csrf_checks=True)
    page = client.get(link_in(mailoutbox[0])).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    token = re.search(r'name="confirmation_token" value="([^"]+)"', page).group(1)

    response = client.post(
        petition.url, {"csrfmiddlewaretoken": csrf, "confirmation_token": token}
    )

    assert response.status_code == 303
    assert count(petition) == 1


def test_the_email_is_a_task_with_json_arguments_that_a_worker_can_run(
    sign, petition, mailoutbox, settings
):
    tasks_on(settings, "dummy")
    sign(petition)

    assert mailoutbox == []  # queued, not sent: a worker sends it
    [queued] = queued_emails()
    assert queued.task.module_path == "wagtail_petition.confirmation.send_confirmation_email"
    args = json.loads(json.dumps([queued.args, queued.kwargs]))

    assert send_confirmation_email.call(*args[0], **args[1]) is True
    assert len(mailoutbox) == 1


def test_a_queued_email_is_not_sent_once_the_signature_no_longer_awaits(
    sign, petition, mailoutbox, settings
):
    tasks_on(settings, "dummy")
    sign(petition)
    [queued] = queued_emails()
    confirm(Signature.objects.get())

    assert send_confirmation_email.call(*queued.args, **queued.kwargs) is False
    assert mailoutbox == []


def test_a_mail_server_failure_is_logged_and_the_signer_still_gets_the_thank_you(
    sign, petition, mailoutbox, caplog
):
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=SMTPException("refused")
    ):
        response = sign(petition)

    assert response.status_code == 303
    assert Signature.objects.get().status == Signature.Status.PENDING
    assert mailoutbox == []
    assert "Could not send the confirmation email" in caplog.text
    assert "refused" in caplog.text


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_processes_pressing_the_button_at_once_count_the_signature_once():
    petition = PetitionPageFactory(require_confirmation=True)
    result = signing.sign(
        petition, status=Signature.Status.PENDING, **SignatureFactory(email="ada@example.org")
    )
    token = make_token(result.signature)
    processes = 4
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(processes), context.Queue()
    workers = [
        context.Process(
            target=press_confirm_over_http,
            args=(connection.settings_dict["NAME"], petition.url, token, barrier, results),
        )
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    statuses = sorted(results.get(timeout=120) for _ in workers)
    for worker in workers:
        worker.join(timeout=60)

    assert [worker.exitcode for worker in workers] == [0] * processes
    assert all(status in (200, 303) for status in statuses)
    assert 303 in statuses
    assert count(petition) == 1
    assert Signature.objects.get().status == Signature.Status.COUNTED


def test_confirming_from_another_browser_thanks_the_confirmed_signer(sign, petition, mailoutbox):
    sign(petition, first_name="Ada")
    client = Client()

    response = press_the_button(client, petition, token_of(link_in(mailoutbox[0])))

    assert "sessionid" not in client.cookies  # no session written
    assert "Thank you, Ada!" in client.get(response["Location"]).content.decode()


def test_a_signature_can_be_confirmed_for_a_day_after_the_deadline_and_not_later(
    sign, mailoutbox, settings
):
    settings.WAGTAILPETITION_CONFIRMATION_GRACE = 24 * 60 * 60
    deadline = timezone.now() + timedelta(hours=1)
    petition = PetitionPageFactory(require_confirmation=True, deadline=deadline)
    sign(petition, email="early@example.org")
    sign(petition, email="late@example.org")
    early, late = (token_of(link_in(message)) for message in mailoutbox)

    with time_machine.travel(deadline + timedelta(hours=23), tick=False):
        confirmed = press_the_button(Client(), petition, early)
    with time_machine.travel(deadline + timedelta(hours=25), tick=False):
        opened = Client().get(f"{petition.url}?confirm={late}")
        refused = press_the_button(Client(), petition, late)

    assert confirmed.status_code == 303
    assert refused.status_code == opened.status_code == 403
    assert "This petition has closed" in refused.content.decode()
    assert "Confirm my signature" not in opened.content.decode()
    assert Signature.objects.get(email="late@example.org").status == "pending"
    assert count(petition) == 1


# Someone else's address -------------------------------------------------------


@pytest.mark.parametrize("petition_confirms", [True, False])
@pytest.mark.parametrize("squat", ["honeypot", "flood"])
def test_the_owner_of_an_address_squatted_with_a_held_signature_gets_it_counted(
    sign, mailoutbox, settings, petition_confirms, squat
):
    petition = PetitionPageFactory(require_confirmation=petition_confirms)
    if squat == "honeypot":
        sign(petition, first_name="Mallory", email="ada@example.org", website="bot.example")
    else:
        settings.WAGTAILPETITION_RATE_LIMITS = ((1, 60),)
        sign(petition, email="first@example.org")
        sign(petition, first_name="Mallory", email="ada@example.org")  # over the limit
        settings.WAGTAILPETITION_RATE_LIMITS = None
    assert Signature.objects.get(email="ada@example.org").status == "held"
    mailoutbox.clear()

    thanks = sign(petition, Client(), first_name="Ada", email="ada@example.org")
    assert thanks.status_code == 303
    [message] = mailoutbox  # a link to prove the address is theirs
    assert message.to == ["ada@example.org"]
    press_the_button(Client(), petition, token_of(link_in(message)))

    signature = Signature.objects.get(email="ada@example.org")
    assert (signature.status, signature.first_name) == ("counted", "Ada")
    # Hers, and the flood's first, unconfirmed signature where no confirmation is asked.
    assert count(petition) == 1 + (squat == "flood" and not petition_confirms)


def test_a_signature_an_organizer_held_stays_held_when_signed_again(sign, petition, mailoutbox):
    sign(petition, email="ada@example.org")
    set_status(Signature.objects.all(), Signature.Status.HELD, hold_reason="organizer")
    mailoutbox.clear()

    sign(petition, email="ada@example.org")

    assert Signature.objects.get().status == "held" and mailoutbox == []


def test_the_owner_confirms_their_own_details_not_a_squatters(sign, petition, mailoutbox):
    sign(petition, first_name="Mallory", last_name="M", email="ada@example.org", opt_in="on")
    sign(petition, Client(), first_name="Ada", last_name="Lovelace", email="ada@example.org")

    page = Client().get(f"{petition.url}?confirm={token_of(link_in(mailoutbox[-1]))}")
    press_the_button(Client(), petition, token_of(link_in(mailoutbox[-1])))

    assert "You are confirming the signature of Ada Lovelace." in page.content.decode()
    signature = Signature.objects.get()
    assert (signature.first_name, signature.last_name, signature.opt_in) == (
        "Ada",
        "Lovelace",
        False,
    )


def test_a_squatter_cannot_use_up_an_addresss_emails_for_good(sign, petition, mailoutbox):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            sign(petition, first_name="Mallory", email="ada@example.org")
        assert len(mailoutbox) == 3  # per day
        traveller.shift(timedelta(days=1, minutes=1))
        sign(petition, first_name="Ada", email="ada@example.org")

    assert len(mailoutbox) == 4
    assert "Hi Ada," in mailoutbox[-1].body


def test_the_export_tells_which_opt_ins_are_confirmed(sign, petition, mailoutbox, admin_client):
    sign(petition, email="confirmed@example.org", opt_in="on")
    sign(petition, email="unconfirmed@example.org", opt_in="on")
    press_the_button(Client(), petition, token_of(link_in(mailoutbox[0])))

    export = b"".join(admin_client.get("/admin/signatures/?export=csv").streaming_content)
    rows = {row["Email"]: row for row in csv.DictReader(io.StringIO(export.decode()))}

    assert rows["confirmed@example.org"]["Wants updates, address confirmed"] == "True"
    assert rows["unconfirmed@example.org"]["Wants updates"] == "True"
    assert rows["unconfirmed@example.org"]["Wants updates, address confirmed"] == "False"


def test_a_known_and_a_new_address_take_the_same_work_in_the_request(sign, petition, settings):
    sign(petition, email="known@example.org")
    confirm(Signature.objects.get())
    tasks_on(settings, "dummy")

    sign(petition, email="known@example.org")
    sign(petition, email="new@example.org")

    # One queued task each, sent or not by the worker, never in the request.
    queued = queued_emails()
    assert len(queued) == 2
    assert [send_confirmation_email.call(*q.args, **q.kwargs) for q in queued] == [False, True]
