"""System checks warn operators about settings that would hurt signers."""

import pytest
from django.core.checks import run_checks

# On Django 6, the model checks ask the database which features it supports.
pytestmark = pytest.mark.django_db


def check_ids():
    return {message.id for message in run_checks() if not message.is_silenced()}


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_sqlite_without_immediate_transactions_is_warned_about(settings):
    settings.DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "x.sqlite3"}}

    assert "wagtail_petition.W001" in check_ids()


def test_the_test_settings_pass_the_checks():
    assert not {i for i in check_ids() if i.startswith("wagtail_petition.")}


def test_a_ladder_that_goes_down_is_an_error(settings):
    settings.WAGTAILPETITION_GOAL_LADDER = [100, 50]

    assert "wagtail_petition.E002" in check_ids()


def test_a_ladder_path_that_does_not_import_is_an_error(settings):
    settings.WAGTAILPETITION_GOAL_LADDER = "nowhere.ladder"

    assert "wagtail_petition.E001" in check_ids()
