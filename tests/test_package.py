"""The wheel carries everything a site needs, and a brand-new Wagtail project
runs a petition after the README's steps."""

import ast
import importlib.metadata
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import wagtail_petition

pytestmark = pytest.mark.package

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", out, ROOT],
        check=True,
        capture_output=True,
    )
    return next(out.glob("wagtail_petition-*.whl"))


def test_the_wheel_carries_templates_static_files_migrations_and_translations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    metadata = next(n for n in names if n.endswith("METADATA"))
    requires = zipfile.ZipFile(wheel).read(metadata).decode()

    for path in (
        "wagtail_petition/templates/wagtail_petition/petition_page.html",
        "wagtail_petition/templates/wagtail_petition/tags/progress.html",
        "wagtail_petition/static/wagtail_petition/css/petition.css",
        "wagtail_petition/migrations/0001_initial.py",
        "wagtail_petition/locale/en/LC_MESSAGES/django.mo",
        "wagtail_petition/locale/es/LC_MESSAGES/django.mo",
    ):
        assert path in names
    assert not any(n.startswith(("tests/", "example_site/")) for n in names)
    assert f"Version: {wagtail_petition.__version__}\n" in requires
    assert "Requires-Dist: wagtail<9,>=8.0" in requires


def test_every_third_party_module_the_package_imports_is_a_declared_dependency(wheel):
    metadata = zipfile.ZipFile(wheel).read(
        next(n for n in zipfile.ZipFile(wheel).namelist() if n.endswith("METADATA"))
    )
    declared = {}
    for line in metadata.decode().splitlines():
        if line.startswith("Requires-Dist: "):
            requirement = Requirement(line.removeprefix("Requires-Dist: "))
            extra = "recaptcha" if "recaptcha" in str(requirement.marker) else ""
            declared[canonicalize_name(requirement.name), extra] = requirement.specifier
    distributions = importlib.metadata.packages_distributions()

    for module in sorted(third_party_imports()):
        # Only the reCAPTCHA module imports the optional reCAPTCHA package.
        extra = "recaptcha" if module == "django_recaptcha" else ""
        names = {canonicalize_name(d) for d in distributions[module]}
        specifiers = [declared[n, extra] for n in names if (n, extra) in declared]
        assert specifiers, f"{module} is imported but not declared"
        assert any(s.operator == ">=" for s in specifiers[0]), f"{module} has no lower bound"


def third_party_imports() -> set[str]:
    """The top-level names of the modules the package imports, stdlib left out."""
    found = set()
    for path in (ROOT / "wagtail_petition").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"wagtail_petition"}


SMOKE = """
from django.test import Client
from wagtail.models import Site
from wagtail_petition.models import PetitionPage

home = Site.objects.get(is_default_site=True).root_page
petition = PetitionPage(title="Fix the bus shelter", slug="bus-shelter")
home.add_child(instance=petition)
petition.save_revision().publish()
client = Client()
response = client.post(petition.url, {
    "first_name": "Ada", "last_name": "Byron", "email": "ada@example.org",
})
page = client.get(response["Location"]).content.decode()
print(response.status_code, "Thank you, Ada!" in page, "<strong>1</strong> signature" in page)
from django.contrib.auth import get_user_model
editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
client.force_login(editor)
print(client.get("/admin/").status_code, client.get("/admin/reports/petitions/").status_code)
import wagtail_petition
print(wagtail_petition.__file__)
"""


def test_a_new_wagtail_project_runs_a_petition_after_the_readme_steps(wheel, tmp_path):
    # "pip install": a pure-Python wheel unpacked onto the path is what pip installs.
    packages = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(packages)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(packages)
    subprocess.run([BIN / "wagtail", "start", "mysite"], cwd=tmp_path, check=True, env=env)
    project = tmp_path / "mysite"
    settings = project / "mysite" / "settings" / "base.py"
    # "Add it to INSTALLED_APPS"
    settings.write_text(
        settings.read_text().replace('    "home",\n', '    "home",\n    "wagtail_petition",\n')
    )

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=project,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    manage("migrate", "--noinput")  # "migrate"
    output = manage("shell", "--no-imports", "-c", SMOKE)

    assert "wagtail_petition" in manage("showmigrations", "wagtail_petition")
    *_, status, thanked, counted, admin, report, module = output.split()
    assert (status, thanked, counted) == ("303", "True", "True")
    assert (admin, report) == ("200", "200")  # the admin works without optional apps
    assert Path(module).is_relative_to(packages)  # the wheel's copy, not this checkout


LEAFLET = "wagtail_petition/static/wagtail_petition/vendor/leaflet/"


def test_the_vendored_leaflet_is_the_version_package_json_pins():
    pinned = json.loads((ROOT / "wagtail_petition/static_src/package.json").read_text())
    banner = (ROOT / LEAFLET / "leaflet.js").read_text()[:200]

    assert f"Leaflet {pinned['dependencies']['leaflet']}," in banner


def test_the_wheel_carries_the_vendored_leaflet_but_not_its_npm_sources(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())

    for name in ("leaflet.js", "leaflet.css", "LICENSE", "images/marker-icon.png"):
        assert LEAFLET + name in names
    assert not any(n.startswith("wagtail_petition/static_src/") for n in names)
