"""Trust: aliases, bots and floods are held back without losing a signature
or telling the visitor; addresses are kept only as keyed hashes; input is
hardened; public pages work under a strict Content-Security-Policy."""

import re
from datetime import UTC, datetime
from unittest import mock

import django
import pytest
import time_machine
from django.core.checks import run_checks
from django.test import Client
from django_recaptcha.client import RecaptchaResponse

from tests.factories import (
    HomePageFactory,
    PetitionPageFactory,
    SignatureFactory,
    call_script,
    masked_referral_codes,
)
from wagtail_petition.models import PetitionCounter, Signature

FLOOD_LIMITS = ((3, 60), (10, 3600))


def post(client, petition, ip="203.0.113.10", **data):
    return client.post(petition.url, SignatureFactory(**data), REMOTE_ADDR=ip)


def thank_you(client, petition, **data):
    response = post(client, petition, **data)
    return client.get(response["Location"]).content


# Aliases ---------------------------------------------------------------------


def test_gmail_style_aliases_are_one_signer(petition):
    post(Client(), petition, email="ada.lovelace@gmail.com")
    post(Client(), petition, ip="203.0.113.11", email="AdaLovelace+petitions@Gmail.com")

    assert Signature.objects.count() == 1
    assert Signature.objects.get().email == "ada.lovelace@gmail.com"  # as typed
    assert petition.signature_count == 1


def test_without_alias_rules_aliases_are_two_signers(petition, settings):
    settings.WAGTAILPETITION_EMAIL_ALIASES = {}

    post(Client(), petition, email="ada.lovelace@gmail.com")
    post(Client(), petition, ip="203.0.113.11", email="adalovelace+petitions@gmail.com")

    assert petition.signature_count == 2


def test_dots_matter_on_domains_that_keep_them(petition):
    post(Client(), petition, email="ada.lovelace@example.org")
    post(Client(), petition, ip="203.0.113.11", email="adalovelace@example.org")

    assert petition.signature_count == 2


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("ada@gmail.com", "ada@\uff47\uff4d\uff41\uff49\uff4c.com"),  # fullwidth domain
        ("ada@example.org", '"ada"@example.org'),  # a needlessly quoted local part
        ("ada.lovelace@gmail.com", "AdaLovelace@googlemail.com"),  # the same inbox
        ("ada@xn--bcher-kva.de", "ada@B\u00fccher.de"),  # a domain in Unicode and in IDNA
        ("ada@example.org", "ada@example.org."),  # the root's trailing dot
    ],
)
def test_one_inbox_written_two_ways_is_one_signer(petition, first, second):
    post(Client(), petition, email=first)
    post(Client(), petition, ip="203.0.113.11", email=second)

    assert Signature.objects.count() == 1
    assert petition.signature_count == 1


# Bots --------------------------------------------------------------------------


def test_a_filled_honeypot_is_held_uncounted_and_thanked_like_anyone(petition):
    human = thank_you(Client(), petition, first_name="Sam")
    bot = thank_you(Client(), petition, ip="203.0.113.99", first_name="Sam", website="spam")

    held = Signature.objects.get(status="held")
    assert held.hold_reason == "honeypot"
    assert Signature.objects.count() == 2
    assert petition.signature_count == 1
    # Byte for byte, but for the random referral code in the share links.
    assert masked_referral_codes(bot) == masked_referral_codes(human)


def test_the_honeypot_is_hidden_by_a_class_not_an_inline_style(client, petition):
    html = client.get(petition.url).content.decode()

    trap = re.search(
        r'<div class="petition-form__trap" aria-hidden="true">(.*?)</div>\s*</div>', html, re.S
    )
    assert trap and 'name="website"' in trap.group(1)
    assert 'tabindex="-1"' in trap.group(1)
    assert "style=" not in html


@pytest.fixture
def recaptcha_petition(db, settings):
    settings.WAGTAILPETITION_RECAPTCHA = "checkbox"
    return PetitionPageFactory(use_recaptcha=True)


def verified(is_valid, score=None):
    extra = {"score": score} if score is not None else {}
    return mock.patch(
        "django_recaptcha.client.submit",
        return_value=RecaptchaResponse(is_valid=is_valid, extra_data=extra, action="sign"),
    )


def test_recaptcha_passed_lets_the_signature_count(client, recaptcha_petition):
    assert "g-recaptcha" in client.get(recaptcha_petition.url).content.decode()

    with verified(True):
        response = post(client, recaptcha_petition, **{"g-recaptcha-response": "token"})

    assert response.status_code == 303
    assert recaptcha_petition.signature_count == 1


def test_recaptcha_failed_is_a_form_error_and_stores_nothing(client, recaptcha_petition):
    with verified(False):
        response = post(client, recaptcha_petition, **{"g-recaptcha-response": "token"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_captcha_error"' in html
    assert not Signature.objects.exists()


def test_recaptcha_v3_refuses_a_low_score(client, recaptcha_petition, settings):
    settings.WAGTAILPETITION_RECAPTCHA = "v3"
    settings.WAGTAILPETITION_RECAPTCHA_V3_MIN_SCORE = 0.5

    # v3 puts its token in the field's own hidden input, set by recaptcha-v3.js.
    with verified(True, score=0.1):
        low = post(client, recaptcha_petition, captcha="token")
    with verified(True, score=0.9):
        high = post(client, recaptcha_petition, captcha="token")

    assert low.status_code == 200 and high.status_code == 303
    assert "We could not confirm that you are a person." in low.content.decode()
    assert recaptcha_petition.signature_count == 1


def test_a_petition_without_recaptcha_shows_none(client, petition, settings):
    settings.WAGTAILPETITION_RECAPTCHA = "checkbox"

    assert "g-recaptcha" not in client.get(petition.url).content.decode()


# Floods ----------------------------------------------------------------------


def test_a_flood_from_one_address_counts_the_allowed_number_and_holds_the_rest(petition, settings):
    settings.WAGTAILPETITION_RATE_LIMITS = FLOOD_LIMITS
    client = Client()

    with time_machine.travel(datetime(2026, 11, 26, 12, 0, 5, tzinfo=UTC), tick=False):
        statuses = {
            post(client, petition, email=f"flood{i}@example.org").status_code for i in range(50)
        }

    assert statuses == {303}
    assert Signature.objects.count() == 50  # none lost
    assert petition.signature_count == 3 == Signature.objects.filter(status="counted").count()
    held = Signature.objects.filter(status="held")
    assert held.count() == 47
    assert set(held.values_list("hold_reason", flat=True)) == {"rate_limit"}


def test_an_over_limit_signer_sees_the_same_thank_you(petition, settings):
    settings.WAGTAILPETITION_RATE_LIMITS = ((1, 60),)

    with time_machine.travel(datetime(2026, 11, 26, 12, 0, 5, tzinfo=UTC), tick=False):
        first = thank_you(Client(), petition, first_name="Sam", email="one@example.org")
        second = thank_you(Client(), petition, first_name="Sam", email="two@example.org")

    assert Signature.objects.get(email="two@example.org").status == "held"
    assert masked_referral_codes(first) == masked_referral_codes(second)


def test_the_sustained_window_catches_a_slow_flood(petition, settings):
    settings.WAGTAILPETITION_RATE_LIMITS = FLOOD_LIMITS
    client = Client()

    for minute in range(12):
        with time_machine.travel(datetime(2026, 11, 26, 12, minute, 5, tzinfo=UTC), tick=False):
            post(client, petition, email=f"slow{minute}@example.org")

    assert petition.signature_count == 10


def test_behind_a_proxy_the_configured_header_tells_signers_apart(petition, settings):
    settings.WAGTAILPETITION_RATE_LIMITS = ((1, 60),)
    settings.WAGTAILPETITION_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    client = Client()

    with time_machine.travel(datetime(2026, 11, 26, 12, 0, 5, tzinfo=UTC), tick=False):
        for i in range(3):
            client.post(
                petition.url,
                SignatureFactory(),
                REMOTE_ADDR="10.0.0.1",
                HTTP_X_FORWARDED_FOR=f"192.0.2.77, 198.51.100.{i}",
            )

    assert petition.signature_count == 3


def test_one_ipv6_host_rotating_through_its_network_is_one_client(petition, settings):
    settings.WAGTAILPETITION_RATE_LIMITS = ((2, 60),)

    with time_machine.travel(datetime(2026, 11, 26, 12, 0, 5, tzinfo=UTC), tick=False):
        for i in range(5):  # five addresses of one /64
            post(Client(), petition, ip=f"2001:db8:1:2::{i + 1:x}", email=f"v6-{i}@example.org")
        post(Client(), petition, ip="2001:db8:1:3::1", email="neighbour@example.org")
        post(Client(), petition, ip="2001:db8:1:3::2", email="neighbour2@example.org")

    assert petition.signature_count == 4  # two from each network
    assert Signature.objects.filter(status="held").count() == 3


def test_the_ipv6_network_size_is_a_setting(petition, settings):
    settings.WAGTAILPETITION_RATE_LIMITS = ((1, 60),)
    settings.WAGTAILPETITION_IPV6_PREFIX = 128

    with time_machine.travel(datetime(2026, 11, 26, 12, 0, 5, tzinfo=UTC), tick=False):
        for i in range(3):
            post(Client(), petition, ip=f"2001:db8:1:2::{i + 1}", email=f"v6-{i}@example.org")

    assert petition.signature_count == 3


def test_signers_whose_address_is_unknown_share_one_limit(petition, settings):
    # The proxy header is configured, but requests arrive without it.
    settings.WAGTAILPETITION_RATE_LIMITS = ((2, 60),)
    settings.WAGTAILPETITION_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"

    with time_machine.travel(datetime(2026, 11, 26, 12, 0, 5, tzinfo=UTC), tick=False):
        for i in range(5):
            post(Client(), petition, email=f"unknown{i}@example.org")

    assert petition.signature_count == 2
    assert Signature.objects.filter(status="held", hold_reason="rate_limit").count() == 3


@pytest.mark.parametrize("header", ["X-Forwarded-For", "x_forwarded_for"])
def test_a_proxy_header_named_as_sent_not_as_django_reads_it_is_warned_about(db, settings, header):
    settings.WAGTAILPETITION_CLIENT_IP_HEADER = header
    assert "wagtail_petition.W005" in check_ids()
    settings.WAGTAILPETITION_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    assert "wagtail_petition.W005" not in check_ids()


def test_rate_limiting_can_be_turned_off(petition, settings):
    settings.WAGTAILPETITION_RATE_LIMITS = None
    client = Client()

    for i in range(8):
        post(client, petition, email=f"office{i}@example.org")

    assert petition.signature_count == 8


def test_a_name_is_one_line_of_visible_text(client, petition):
    post(client, petition, first_name="Ada\nClick here\r\nnow", last_name="Love\u200blace\u2028")

    signature = Signature.objects.get()
    assert (signature.first_name, signature.last_name) == ("Ada Click here now", "Lovelace")


@pytest.mark.parametrize(
    ("name", "message"),
    [("\u200b\u2060\u200e", "This field is required."), ("- . -", "Enter a name.")],
)
def test_a_name_without_a_letter_is_refused(client, petition, name, message):
    response = post(client, petition, first_name=name)

    assert message in response.content.decode()
    assert not Signature.objects.exists()


def test_names_keep_initials_apostrophes_and_joiners(client, petition):
    post(client, petition, first_name="J. R. R.", last_name="O\u2019Brien-\u0645\u200c\u0627")

    signature = Signature.objects.get()
    assert (signature.first_name, signature.last_name) == (
        "J. R. R.",
        "O\u2019Brien-\u0645\u200c\u0627",
    )


# Addresses -------------------------------------------------------------------


def test_only_a_keyed_hash_of_the_address_is_kept(petition, settings):
    post(Client(), petition, ip="203.0.113.10", email="a@example.org")
    post(Client(), petition, ip="203.0.113.10", email="b@example.org")
    settings.WAGTAILPETITION_IP_HASH_KEY = "another key"
    post(Client(), petition, ip="203.0.113.10", email="c@example.org")

    a, b, c = (Signature.objects.get(email=f"{x}@example.org").ip_hash for x in "abc")
    assert re.fullmatch(r"[0-9a-f]{64}", a)
    assert a == b != c
    assert "203.0.113" not in a


def test_keeping_addresses_can_be_turned_off(petition, settings):
    settings.WAGTAILPETITION_STORE_IP_HASH = False

    post(Client(), petition)

    assert Signature.objects.get().ip_hash == ""


# Input -------------------------------------------------------------------------


def test_unseen_characters_are_removed_from_names_and_comments(client, petition):
    post(
        client,
        petition,
        first_name="A\u202eda\x07",
        last_name="Love\x1blace",
        comment="One\r\nTwo\x0b",
    )

    signature = Signature.objects.get()
    assert (signature.first_name, signature.last_name) == ("Ada", "Lovelace")
    assert signature.comment == "One\nTwo"


@pytest.mark.parametrize(
    "name",
    [
        "https://spam.example",
        "www.spam.example",
        "Visit http:spam",
        "evil.example/login",
        "EVIL.EXAMPLE",
        "Ada mail@evil.example",
    ],
)
def test_a_name_that_is_a_web_address_is_refused(client, petition, name):
    response = post(client, petition, first_name=name)

    assert "Enter a name, not a web address." in response.content.decode()
    assert not Signature.objects.exists()


def test_editor_and_visitor_text_is_escaped(client, db):
    petition = PetitionPageFactory(
        title="<script>alert('title')</script>",
        location="<img src=x onerror=alert(1)>",
        targets=[("target", {"name": "<b>Mayor</b>", "role": ""})],
    )

    html = thank_you(client, petition, first_name="<script>x").decode()

    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Mayor" not in html
    assert "&lt;script&gt;x" in html


# Content-Security-Policy -----------------------------------------------------


def inline_code(html):
    """Inline scripts, style elements and attributes and event handlers."""
    return re.findall(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", html)


def test_public_pages_carry_a_strict_csp_and_no_inline_code(client, db):
    petition = PetitionPageFactory(body=[call_script()])
    home = HomePageFactory()

    pages = [client.get(petition.url), client.get(home.url)]
    pages.append(client.get(post(client, petition)["Location"]))  # the thank-you state

    for response in pages:
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert inline_code(response.content.decode()) == []


def test_the_admin_is_left_out_of_the_policy(admin_client, db):
    assert "Content-Security-Policy" not in admin_client.get("/admin/")


# System checks ---------------------------------------------------------------


def check_ids():
    return {message.id for message in run_checks()}


def test_recaptcha_test_keys_in_production_are_warned_about(db, settings):
    settings.WAGTAILPETITION_RECAPTCHA = "checkbox"

    assert "wagtail_petition.W002" in check_ids()
    settings.RECAPTCHA_PUBLIC_KEY, settings.RECAPTCHA_PRIVATE_KEY = "real-public", "real-private"
    assert "wagtail_petition.W002" not in check_ids()


def test_rate_limits_in_a_per_process_cache_are_warned_about(db, settings):
    locmem = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    settings.CACHES = {"default": locmem}
    assert "wagtail_petition.W003" in check_ids()
    settings.WAGTAILPETITION_RATE_LIMITS = None
    assert "wagtail_petition.W003" not in check_ids()
    settings.WAGTAILPETITION_RATE_LIMITS = ((3, 60),)
    settings.CACHES = {
        "default": {**locmem, "BACKEND": "django.core.cache.backends.redis.RedisCache"}
    }
    assert "wagtail_petition.W003" not in check_ids()


def test_confirmation_with_email_going_nowhere_is_warned_about(db, settings):
    settings.WAGTAILPETITION_REQUIRE_CONFIRMATION = True
    console = "django.core.mail.backends.console.EmailBackend"
    if django.VERSION >= (6, 1):  # EMAIL_BACKEND is deprecated there, for MAILERS
        settings.MAILERS = {"default": {"BACKEND": console}}
    else:
        settings.EMAIL_BACKEND = console

    assert "wagtail_petition.W004" in check_ids()
    settings.DEBUG = True
    assert "wagtail_petition.W004" not in check_ids()


def test_recaptcha_without_django_recaptcha_is_an_error(db, settings):
    settings.WAGTAILPETITION_RECAPTCHA = "checkbox"

    with mock.patch("wagtail_petition.checks.apps.is_installed", return_value=False):
        assert "wagtail_petition.E003" in check_ids()


def test_an_unknown_recaptcha_kind_is_an_error(db, settings):
    settings.WAGTAILPETITION_RECAPTCHA = "v4"

    assert "wagtail_petition.E004" in check_ids()


def test_counter_and_rows_agree_after_held_signatures(petition, settings):
    settings.WAGTAILPETITION_RATE_LIMITS = ((1, 60),)
    with time_machine.travel(datetime(2026, 11, 26, 12, 0, 5, tzinfo=UTC), tick=False):
        for i in range(4):
            post(Client(), petition, email=f"x{i}@example.org")

    assert PetitionCounter.count_for(petition_id=petition.pk) == 1
    assert Signature.objects.filter(status="counted").count() == 1
