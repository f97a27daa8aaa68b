"""The example site's demo content: what `make demo` shows."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count

from wagtail_petition.models import Milestone, PetitionPage, Signature


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_builds_a_signed_petition_and_can_run_twice(client, db, settings):
    # The example site's languages: its petition in English and in Spanish.
    settings.WAGTAIL_I18N_ENABLED = True
    settings.LANGUAGE_CODE = "en"
    settings.LANGUAGES = [("en", "English"), ("es", "Español")]
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES
    first = load_demo()
    second = load_demo()

    petition, spanish = PetitionPage.objects.order_by("pk")
    assert (petition.locale.language_code, spanish.locale.language_code) == ("en", "es")
    assert spanish.translation_key == petition.translation_key and spanish.live
    assert spanish.signature_count == 64
    assert Signature.objects.filter(language="es").exists()
    assert petition.live and petition.targets and petition.location
    assert Signature.objects.count() == petition.signature_count == 64
    assert not Signature.objects.values("email_normalised").annotate(n=Count("pk")).filter(n__gt=1)
    assert sorted(Milestone.objects.values_list("threshold", flat=True)) == [10, 25, 50]
    assert "log in as 'admin' with password 'petition-demo'" in first
    assert "64 signatures, 64 added now" in first
    assert "64 signatures, 0 added now" in second
    assert get_user_model().objects.get(username="admin").is_superuser
    editor = get_user_model().objects.get(username="editor")
    assert editor.has_perm("wagtailadmin.access_admin")
    assert not editor.has_perm("wagtail_petition.view_signature")
    assert "or as 'editor', same password" in first

    home = client.get("/").content.decode()
    assert petition.title.replace("'", "&#x27;") in home
    page = client.get(petition.url).content.decode()
    assert "<strong>64</strong> signatures" in page
    assert "50 signatures reached" in page
    assert "Lakeport, IL, USA" in page


def manage_check(**environ):
    example_site = Path(__file__).resolve().parent.parent / "example_site"
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(DJANGO_SETTINGS_MODULE="example.settings", DATABASE_URL="sqlite://:memory:")
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=example_site,
        env={**env, **environ},
        capture_output=True,
        text=True,
    )


def test_the_example_site_refuses_its_public_demo_key_with_debug_off():
    refused = manage_check(DEBUG="0")
    assert refused.returncode != 0 and "home.E001" in refused.stderr
    assert manage_check(DEBUG="0", SECRET_KEY="a-long-random-production-key").returncode == 0


def test_make_demo_serves_on_the_loopback_address_only():
    root = Path(__file__).resolve().parent.parent
    commands = subprocess.run(
        ["make", "-n", "demo"], cwd=root, capture_output=True, text=True, check=True
    ).stdout

    assert "runserver 127.0.0.1:" in commands
    assert "0.0.0.0" not in commands
