"""Browser tests: Playwright drives Debian's Chromium, headless, against a live
test server; axe-core audits each public view.

They need Chromium (``CHROMIUM``, default ``/usr/bin/chromium``) and axe-core
from npm (``npm ci --prefix tests/browser``); ``make test`` sets up both when
it can. Where either is missing they are skipped with a message, except under
CI (``CI`` set), where a missing browser fails the run.
"""

import json
import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from tests.conftest import turn_on_i18n
from tests.factories import PetitionPageFactory, call_script, site_root
from wagtail_petition.models import PetitionPage

HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Playwright's synchronous API keeps an event loop in the test's thread; the
# tests' own database calls (factories, assertions) are made between its steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def missing() -> str:
    """Why the browser tests cannot run here, or ''."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[test]')"
    if not shutil.which(CHROMIUM):
        return (
            f"Chromium is not at {CHROMIUM}: install Debian's (apt-get install chromium; "
            "make test does it when run as root) or set CHROMIUM"
        )
    if not AXE.exists():
        return "axe-core is not installed: npm ci --prefix tests/browser (make test does it)"
    return ""


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    reason = missing() if browser_items else ""
    if not reason:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"Browser tests cannot run under CI: {reason}.")
    skip = pytest.mark.skip(reason=f"Browser tests skipped: {reason}.")
    for item in browser_items:
        item.add_marker(skip)


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def playwright():
    """Playwright's driver: one per test session, which every browser shares
    (its synchronous API allows only one at a time)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


def launch(playwright, *args):
    """Debian's Chromium, headless, with ``args`` besides the usual ones."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, *args]
    )


@pytest.fixture(scope="session")
def browser(playwright):
    browser = launch(playwright)
    yield browser
    browser.close()


def new_page(browser, **options):
    context = browser.new_context(locale="en-US", **options)
    context.set_default_timeout(15_000)
    return context.new_page()


def log_in(page, base_url, username, password):
    """Sign in to the Wagtail admin at ``base_url`` in ``page``."""
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")


@pytest.fixture
def page(browser):
    """A tab in a fresh browser profile, JavaScript on, at a laptop's size."""
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    yield page
    page.context.close()


@pytest.fixture
def page_without_js(browser):
    page = new_page(browser, viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    yield page
    page.context.close()


@pytest.fixture
def petition(transactional_db):
    """A petition with a call script, 9 signatures short of its first milestone."""
    from tests.factories import sign_many

    petition = PetitionPageFactory(
        body=[
            ("paragraph", "<p>The park is where the neighbourhood meets.</p>"),
            call_script(),
        ]
    )
    sign_many(petition, 9)
    return petition


@pytest.fixture
def demo(transactional_db, settings):
    """The example site's demo content, as `make demo` shows it, in English
    and Spanish: its English petition."""
    turn_on_i18n(settings)
    # What Wagtail's migrations create and the demo builds on, gone after the
    # flush that ends each transactional test: the default site, the "Editors" group.
    site_root()
    Group.objects.get_or_create(name="Editors")
    call_command("load_demo", stdout=StringIO())
    return PetitionPage.objects.live().get(
        slug="keep-our-libraries-open", locale__language_code="en"
    )


@pytest.fixture
def url(live_server):
    """The live server's address of a page."""
    return lambda page: live_server.url + page.url


# Auditing and screenshots -------------------------------------------------------


def audit(page, name):
    """Run axe-core in ``page`` (WCAG 2.0-2.2, A and AA) and fail on any violation of
    impact "serious" or "critical", naming the rule and the elements."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's strict
        # Content-Security-Policy stays on, and the page never fetches axe itself.
        page.evaluate(AXE.read_text())
    results = page.evaluate(
        """() => axe.run(document, {runOnly: {type: "tag", values: [
            "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})"""
    )
    serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    report = [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "elements": [node["html"][:160] for node in v["nodes"][:5]],
        }
        for v in serious
    ]
    assert not report, f"axe found in {name}:\n{json.dumps(report, indent=2)}"
    return results


def screenshot(target, name, **options):
    """Save a screenshot of ``target``, a page or an element's locator, to
    ``WAGTAILPETITION_SCREENSHOTS`` (``make screenshots`` sets it to docs/images),
    else to tests/browser/screenshots for a look."""
    folder = Path(os.environ.get("WAGTAILPETITION_SCREENSHOTS") or HERE / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    target.screenshot(path=str(folder / f"{name}.png"), **options)
