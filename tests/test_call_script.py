"""The CallScriptBlock: numbers to tap, a script filled in for the signer,
office hours, and the calls visitors report."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import ValidationError
from django.test import Client
from wagtail.models import PageViewRestriction

from tests.factories import HomePageFactory, PetitionPageFactory, SignatureFactory, call_script
from wagtail_petition import session
from wagtail_petition.blocks import CallScriptBlock
from wagtail_petition.models import CallCounter, CallReport

CHICAGO_HOURS = {
    "time_zone": "America/Chicago",
    "periods": [{"days": ["0", "1", "2", "3", "4"], "opens": "09:00", "closes": "17:00"}],
}


@pytest.fixture
def petition(db):
    return PetitionPageFactory(
        body=[
            ("paragraph", "<p>The park is where the neighbourhood meets.</p>"),
            call_script(),
        ]
    )


def block_id(page):
    return next(child.id for child in page.body if child.block_type == "call_script")


def script_of(html):
    return re.search(r'class="call-script__script">(.*?)</div>', html, re.S).group(1)


def sign(client, petition, **data):
    response = client.post(petition.url, SignatureFactory(**data))
    return client.get(response["Location"]).content.decode()


def report(client, page, outcome, block=None):
    return client.post(page.url, {"block_id": block or block_id(page), "outcome": outcome})


# Numbers ---------------------------------------------------------------------


def test_numbers_are_shown_nationally_as_tel_links_in_e164(client, db):
    petition = PetitionPageFactory(
        body=[call_script(phone_lines=[{"label": "City Hall", "number": "(312) 555-0142"}])]
    )

    html = client.get(petition.url).content.decode()

    assert 'href="tel:+13125550142">(312) 555-0142</a>' in html
    assert "City Hall" in html


def test_a_number_of_another_country_keeps_its_country_code(client, db, settings):
    petition = PetitionPageFactory(
        body=[call_script(phone_lines=[{"label": "London", "number": "+44 20 7946 0958"}])]
    )
    assert (
        'href="tel:+442079460958">+44 20 7946 0958</a>'
        in client.get(petition.url).content.decode()
    )

    settings.WAGTAILPETITION_PHONE_REGION = "GB"
    assert (
        'href="tel:+442079460958">020 7946 0958</a>' in client.get(petition.url).content.decode()
    )


@pytest.mark.parametrize("number", ["12345", "not a number", "+1 312 555 01"])
def test_an_invalid_number_is_refused_with_a_clear_message(number):
    block = CallScriptBlock()
    value = block.to_python(call_script(phone_lines=[{"label": "Office", "number": number}])[1])

    with pytest.raises(ValidationError) as error:
        block.clean(value)

    assert "Enter a valid phone number" in str(error.value.as_json_data())


def test_an_unknown_placeholder_is_refused_with_the_known_ones_listed():
    block = CallScriptBlock()
    value = block.to_python(call_script(script="Hi, I am {frist_name}.")[1])

    with pytest.raises(ValidationError) as error:
        block.clean(value)

    message = str(error.value.as_json_data())
    assert "Unknown placeholder {frist_name}" in message
    assert "{first_name}" in message


# The script ------------------------------------------------------------------


def test_a_stranger_sees_blanks_that_screen_readers_announce(client, petition):
    script = script_of(client.get(petition.url).content.decode())

    assert script.count('<span aria-hidden="true">___</span>') == 3
    assert '<span class="petition-visually-hidden">(your first name)</span>' in script
    assert "(the name of the person you are calling)" not in script  # the petition's target
    assert '<strong class="call-script__filled">Mayor Alex Rivera</strong>' in script


def test_the_query_string_never_fills_the_script(client, petition):
    html = client.get(f"{petition.url}?signed=1&first_name=Eve").content.decode()

    assert "Eve" not in html
    assert "(your first name)" in script_of(html)


def test_after_signing_the_script_carries_the_signers_own_escaped_name(client, petition):
    html = sign(
        client, petition, first_name="<script>alert(1)", last_name="O'Hara",
        postal_code="60601",
    )  # fmt: skip

    script = script_of(html)
    assert '<strong class="call-script__filled">&lt;script&gt;alert(1)</strong>' in script
    assert '<strong class="call-script__filled">O&#x27;Hara</strong>' in script
    assert '<strong class="call-script__filled">60601</strong>' in script
    assert "<script>alert" not in html
    assert "___" not in script


def test_a_second_signer_with_the_same_email_sees_only_their_own_name(petition):
    sign(Client(), petition, first_name="Ada", email="ada@example.org")

    script = script_of(sign(Client(), petition, first_name="Mallory", email="ADA@example.org"))

    assert "Mallory" in script and "Ada" not in script


def test_the_thank_you_state_puts_the_call_script_first(client, petition):
    html = sign(client, petition, first_name="Ada")

    thanks = html.index('id="petition-thanks"')
    assert thanks < html.index('class="call-script"') < html.index("The park is where")
    assert html.count('class="call-script"') == 1


# Office hours ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("utc_moment", "status"),
    [
        # Wednesday 10:30 in Chicago.
        (dt.datetime(2026, 11, 25, 16, 30), "Open now, until 5 p.m. CST"),
        # Wednesday 17:30 in Chicago.
        (dt.datetime(2026, 11, 25, 23, 30), "Closed now. Opens tomorrow 9 a.m. CST"),
        # Friday 21:00 in Chicago, already Saturday in UTC: across the weekend.
        (dt.datetime(2026, 11, 28, 3, 0), "Closed now. Opens Monday 9 a.m. CST"),
        # Monday 07:00 in Chicago.
        (dt.datetime(2026, 11, 30, 13, 0), "Closed now. Opens today 9 a.m. CST"),
    ],
)
def test_office_hours_are_read_in_the_offices_time_zone(client, db, utc_moment, status):
    petition = PetitionPageFactory(body=[call_script(office_hours=CHICAGO_HOURS)])

    with time_machine.travel(utc_moment.replace(tzinfo=ZoneInfo("UTC")), tick=False):
        html = client.get(petition.url).content.decode()

    assert f">{status}</p>" in html
    assert 'href="tel:+13125550142"' in html  # the number stays callable


def test_closing_before_opening_is_refused():
    block = CallScriptBlock()
    hours = {"time_zone": "", "periods": [{"days": ["0"], "opens": "17:00", "closes": "09:00"}]}
    value = block.to_python(call_script(office_hours=hours)[1])

    with pytest.raises(ValidationError) as error:
        block.clean(value)

    assert "Closing must come after opening." in str(error.value.as_json_data())


# Call outcomes ---------------------------------------------------------------


def test_a_reported_call_is_stored_thanked_and_counted_once_per_session(client, petition):
    sign(client, petition, first_name="Ada")

    response = report(client, petition, "voicemail")
    again = report(client, petition, "spoke")

    assert response.status_code == again.status_code == 303
    block = block_id(petition)
    assert response["Location"] == f"{petition.url}?signed=1&called={block}#call-{block}"
    stored = CallReport.objects.get()
    assert (stored.page_id, stored.block_id, stored.outcome) == (
        petition.pk,
        block_id(petition),
        "voicemail",
    )
    assert stored.signature.first_name == "Ada"
    html = client.get(response["Location"]).content.decode()
    assert "Thank you for calling! Your call has been counted." in html
    assert "1 call made" in html
    assert 'name="outcome"' not in html

    report(Client(), petition, "spoke")
    assert "2 calls made" in client.get(petition.url).content.decode()


def test_a_stranger_can_report_a_call_without_signing(client, petition):
    response = report(client, petition, "no_answer")

    block = block_id(petition)
    assert response["Location"] == f"{petition.url}?called={block}#call-{block}"
    assert CallReport.objects.get().signature is None
    assert CallCounter.count_for(page_id=petition.pk, block_id=block_id(petition)) == 1


def calls_made(petition):
    return CallCounter.count_for(page_id=petition.pk, block_id=block_id(petition))


def test_reports_from_fresh_sessions_of_one_client_count_one_call_a_day(petition, settings):
    settings.WAGTAILPETITION_RATE_LIMITS = None  # the daily rule alone
    for _ in range(40):
        assert report(Client(), petition, "spoke").status_code == 303

    assert CallReport.objects.count() == 40  # every report kept
    assert CallReport.objects.filter(counted_on__isnull=False).count() == 1
    assert calls_made(petition) == 1
    assert "1 call made" in Client().get(petition.url).content.decode()


def forget_reports(client):
    """Drop the reported outcomes from the browser's state, keeping the rest."""
    state = signing.loads(client.cookies[session.COOKIE_NAME].value, salt=session.SALT)
    del state[session.CALLS_KEY]
    client.cookies[session.COOKIE_NAME] = signing.dumps(state, salt=session.SALT, compress=True)


def test_a_signers_call_counts_once_a_day(petition, settings):
    settings.WAGTAILPETITION_RATE_LIMITS = None
    client = Client()
    with time_machine.travel(dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC), tick=False):
        sign(client, petition, first_name="Ada")
        report(client, petition, "voicemail")
        forget_reports(client)  # the browser forgets it reported
        report(client, petition, "spoke")
    assert calls_made(petition) == 1

    with time_machine.travel(dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC), tick=False):
        forget_reports(client)
        report(client, petition, "spoke")  # the next day
    assert calls_made(petition) == 2


def test_reports_beyond_the_rate_limits_are_kept_but_not_counted(petition, settings):
    settings.WAGTAILPETITION_RATE_LIMITS = ((3, 60),)
    with time_machine.travel(dt.datetime(2026, 11, 26, 12, 0, 5, tzinfo=dt.UTC), tick=False):
        for n in range(5):  # five different signers from one address
            client = Client()
            sign(client, petition, email=f"caller{n}@example.org")
            report(client, petition, "spoke")

    assert CallReport.objects.count() == 5
    assert calls_made(petition) == 3


@pytest.mark.parametrize("restriction", ["password", "login"])
def test_a_private_page_takes_no_call_reports_from_visitors_who_may_not_see_it(
    client, petition, restriction
):
    PageViewRestriction.objects.create(
        page=petition, restriction_type=restriction, password="secret"
    )

    response = report(client, petition, "spoke")

    assert response.status_code in (200, 302)  # the password form, or the login page
    assert "password" in response.content.decode() or "login" in response["Location"]
    assert not CallReport.objects.exists()
    assert calls_made(petition) == 0


def test_skipping_is_stored_but_not_counted_as_a_call(client, petition):
    response = report(client, petition, "skipped")

    assert CallReport.objects.get().outcome == "skipped"
    html = client.get(response["Location"]).content.decode()
    assert "0 calls made" in html
    assert "No problem. The number stays here if you want to call later." in html


def test_the_page_everyone_is_served_shows_no_visitors_report(client, petition):
    response = report(client, petition, "spoke")

    mine = client.get(response["Location"])
    public = client.get(petition.url)

    assert "Thank you for calling!" in mine.content.decode()
    assert "no-store" in mine["Cache-Control"]
    assert "Thank you for calling!" not in public.content.decode()
    assert 'name="outcome"' in public.content.decode()  # the question, as for anyone
    assert "public" in public["Cache-Control"]


THIS_BLOCK = object()


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"block_id": "not-a-block", "outcome": "spoke"}, 404),
        ({"block_id": THIS_BLOCK, "outcome": "hung_up"}, 400),
        ({"block_id": THIS_BLOCK}, 400),
        ({"block_id": "x" * 65, "outcome": "spoke"}, 400),
    ],
)
def test_a_bad_report_is_refused_and_stores_nothing(client, petition, data, status):
    data = {k: block_id(petition) if v is THIS_BLOCK else v for k, v in data.items()}

    response = client.post(petition.url, data)

    assert response.status_code == status
    assert not CallReport.objects.exists()


def test_a_report_for_a_block_of_another_page_is_refused(client, petition):
    other = PetitionPageFactory(body=[call_script()])

    response = report(client, other, "spoke", block=block_id(petition))

    assert response.status_code == 404
    assert not CallReport.objects.exists()


def test_a_report_without_a_csrf_token_is_refused(petition):
    client = Client(enforce_csrf_checks=True)

    response = report(client, petition, "spoke")

    assert response.status_code == 403
    assert not CallReport.objects.exists()


# Any page --------------------------------------------------------------------


def test_the_block_works_on_a_page_that_is_not_a_petition(client, db):
    home = HomePageFactory(body=[call_script(target="Councillor Lee")])

    html = client.get(home.url).content.decode()
    response = report(client, home, "spoke")

    assert 'href="tel:+13125550142">(312) 555-0142</a>' in html
    assert '<strong class="call-script__filled">Councillor Lee</strong>' in html
    assert "(your first name)" in html
    assert response.status_code == 303
    assert CallReport.objects.get().page_id == home.pk
    assert "1 call made" in client.get(home.url).content.decode()
