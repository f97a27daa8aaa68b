"""Rate limits are only as good as the cache they count in: on a shared Redis,
several server processes count against one limit. Runs on a throwaway Redis
server (``python -m tests.redis_server -- pytest -m redis``, which ``make test``
does when ``redis-server`` is installed)."""

import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.core.cache import caches
from django.db import connection

from tests.factories import PetitionPageFactory
from tests.servers import free_port
from wagtail_petition.models import Signature

pytestmark = pytest.mark.redis

WORKERS = 3
FORM_ACTION = re.compile(r'<form class="petition-form" method="post" action="([^"]+)"')


@pytest.fixture(autouse=True)
def redis_cache():
    if not os.environ.get("REDIS_URL"):
        reason = "REDIS_URL is not set: run python -m tests.redis_server -- pytest -m redis"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    assert type(caches["default"]).__name__ == "RedisCache"


@pytest.fixture
def gunicorn():
    """The test settings served by several gunicorn worker processes, on the test
    database, on a private port; the base URL."""
    port = free_port()
    server = subprocess.Popen(
        [Path(sys.executable).parent / "gunicorn", "--workers", str(WORKERS)]
        + ["--bind", f"127.0.0.1:{port}", "tests.wsgi:application"],
        env={**os.environ, "TESTS_DATABASE": json.dumps(dict(connection.settings_dict))},
        cwd=Path(__file__).resolve().parent.parent,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(url + "/", timeout=10)
                break
            except (requests.ConnectionError, requests.Timeout):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def sign_in_browser(base, petition, n):
    """Open the petition and sign it as a new visitor's browser would, through
    the form's action (the fast path); the status code."""
    visitor = requests.Session()
    page = visitor.get(base + petition.url, timeout=30)
    action = FORM_ACTION.search(page.text).group(1)
    data = {"first_name": "Sam", "last_name": "Signer", "email": f"visitor{n}@example.org"}
    headers = {"Origin": base, "Sec-Fetch-Site": "same-origin"}
    response = visitor.post(
        base + action, data, headers=headers, allow_redirects=False, timeout=30
    )
    return response.status_code


@pytest.mark.django_db(transaction=True)
def test_several_server_processes_count_one_address_against_one_limit(gunicorn):
    petition = PetitionPageFactory()
    # Visitors from one address (the loopback), at once, spread over the workers.
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(lambda n: sign_in_browser(gunicorn, petition, n), range(24)))

    assert statuses == [303] * 24  # every visitor thanked, none lost
    assert Signature.objects.filter(petition_id=petition.pk).count() == 24
    # The limit is 3 a day (tests/wsgi.py): on a shared cache, 3 in all, not 3 a worker.
    assert Signature.objects.filter(petition_id=petition.pk, status="counted").count() == 3
    assert petition.signature_count == 3
