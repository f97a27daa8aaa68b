"""Where a signature's time goes, in one process (no server, no network).

Signs through Django's test client with CSRF checks on, posting as a browser
does, and times the phases of the request with wrappers that keep exclusive
time (a phase nested in another is not counted twice), attributing each SQL
statement to the phase that ran it. Also: the statements of one signature, the
same numbers for the form builder and the bare INSERT, and what the rate limits
cost. Run alone with ``python -m benchmarks.run --only profile``.
"""

import contextlib
import functools
import inspect
import itertools
import re
import time
from collections import Counter
from unittest import mock
from urllib.parse import urlencode

from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import caches
from django.core.handlers.base import BaseHandler
from django.db import connection
from django.middleware.csrf import CsrfViewMiddleware
from django.test import Client, override_settings
from django_tasks.backends.immediate import ImmediateBackend
from wagtail.contrib.forms.models import AbstractForm
from wagtail.models import Page

from wagtail_petition import endpoints, screening, session, signing
from wagtail_petition.conf import DEFAULTS
from wagtail_petition.forms import SignatureForm
from wagtail_petition.models import PetitionCounter, PetitionMixin, PetitionSettings

REST = "Django: middleware, request, response (rest)"
#: (owner, attribute, phase): what is timed.
PHASES = [
    (BaseHandler, "get_response", REST),
    (CsrfViewMiddleware, "process_view", "CSRF check (reads the POST)"),
    (Page, "route_for_request", "Wagtail: Site and page routing"),
    (Page, "get_view_restrictions", "Wagtail: page view restrictions"),
    (PetitionMixin, "serve", "petition: routing and sign view glue"),
    (endpoints, "live_petition", "fast path: the petition by id"),
    (PetitionSettings, "for_page", "petition: site settings (paused? blocked?)"),
    (PetitionMixin, "get_form", "petition: sign form built"),
    (SignatureForm, "full_clean", "petition: sign form validated"),
    (screening, "screen", "petition: screen() (IP hash, rate limits)"),
    (signing, "sign", "petition: sign() INSERT, savepoint, commit"),
    (ImmediateBackend, "enqueue", "Wagtail: reference index task on save"),
    (PetitionCounter, "add", "petition: counter UPDATE"),
    (signing, "stamp_milestones", "petition: count and milestones read after commit"),
    (session, "remember_signed", "petition: remember_signed()"),
    (session, "save", "petition: the signer's state cookie"),
    (PetitionMixin, "get_signed_url", "petition: thank-you URL (get_url)"),
    (SessionMiddleware, "process_response", "session write (new session row)"),
    (AbstractForm, "serve", "form builder: serve, validation"),
    (AbstractForm, "get_form", "form builder: form built (its fields' query)"),
    (AbstractForm, "process_form_submission", "form builder: submission INSERT"),
    (AbstractForm, "render_landing_page", "form builder: landing page rendered"),
]
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
_emails = itertools.count()


class Phases:
    """Exclusive time and SQL statements per phase."""

    def __init__(self):
        self.seconds = Counter()
        self.queries = Counter()
        self.statements = []
        self.stack = []
        self.last = 0.0

    def _switch(self, push=None):
        now = time.perf_counter()
        if self.stack:
            self.seconds[self.stack[-1]] += now - self.last
        if push:
            self.stack.append(push)
        else:
            self.stack.pop()
        self.last = now

    def wrap(self, name, function):
        @functools.wraps(function)
        def timed(*args, **kwargs):
            self._switch(push=name)
            try:
                result = function(*args, **kwargs)
                if name == "Wagtail: page view restrictions":
                    len(result)  # run the lazy query here, not later in the hook
                return result
            finally:
                self._switch()

        return timed

    def count_query(self, execute, sql, params, many, context):
        phase = self.stack[-1] if self.stack else REST
        self.queries[phase] += 1
        self.statements.append((phase, sql))
        return execute(sql, params, many, context)

    @contextlib.contextmanager
    def installed(self):
        with contextlib.ExitStack() as stack:
            for owner, attribute, name in PHASES:
                original = inspect.getattr_static(owner, attribute)
                if isinstance(original, staticmethod):
                    timed = staticmethod(self.wrap(name, original.__func__))
                elif isinstance(original, classmethod):
                    timed = classmethod(self.wrap(name, original.__func__))
                else:
                    timed = self.wrap(name, original)
                stack.enter_context(mock.patch.object(owner, attribute, timed))
            stack.enter_context(connection.execute_wrapper(self.count_query))
            yield self


def browser_post(path, form_page=None):
    """A function that posts a new signer's form to ``path`` as a browser does
    (urlencoded, from a new address, with the CSRF cookie and token of one
    earlier GET of ``form_page`` if given, else of ``path``)."""
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    token = CSRF_INPUT.search(client.get(form_page or path).content).group(1).decode()

    def post(**extra):
        client.cookies.pop("sessionid", None)  # every post a new visitor
        client.cookies.pop("wagtail_petition", None)
        n = next(_emails)
        data = {
            "first_name": "Sam",
            "last_name": "Signer",
            "email": f"profile-{time.time_ns()}-{n}@example.org",
            "postal_code": "60614",
            "comment": "Keep them open.",
            "opt_in": "on",
            "source": "newsletter",
            "website": "",
            "csrfmiddlewaretoken": token,
        }
        headers = {
            "HTTP_X_FORWARDED_FOR": f"198.51.{n // 250 % 250}.{n % 250}",
            "HTTP_ORIGIN": "http://127.0.0.1",
            "HTTP_SEC_FETCH_SITE": "same-origin",
            **extra,
        }
        return client.post(
            path, urlencode(data), content_type="application/x-www-form-urlencoded", **headers
        )

    return post


def ms_per_post(post, n, **extra):
    for _ in range(10):
        post(**extra)
    start = time.perf_counter()
    for _ in range(n):
        post(**extra)
    return (time.perf_counter() - start) / n * 1000


def queries_per_post(post):
    phases = Phases()
    with connection.execute_wrapper(phases.count_query):
        post()
    return len(phases.statements)


class CountingCache:
    """The cache, counting the calls made to it."""

    def __init__(self, cache):
        self.cache = cache
        self.calls = Counter()

    def __getattr__(self, name):
        self.calls[name] += 1
        return getattr(self.cache, name)


def profile(pages, n=300):
    """Print where a sign's time goes; returns the tables as (title, headers, rows)."""
    form_url = pages["form"].url
    sign = browser_post(f"/petitions/{pages['sign'].pk}/sign/", form_page=form_url)
    tables = []

    # Endpoints compared in one process: no server, no client, no network.
    posts = {
        "petition sign": sign,
        "petition sign (through the page)": browser_post(pages["sign"].url, form_page=form_url),
        "form builder": browser_post(form_url),
        "bare INSERT view": browser_post("/bench/bare-sign/"),
    }
    timings = {name: ms_per_post(post, n) for name, post in posts.items()}
    rows = [
        [name, f"{ms:.2f}", queries_per_post(post), f"{timings['petition sign'] / ms:.2f}"]
        for (name, post), ms in zip(posts.items(), timings.values(), strict=True)
    ]
    tables.append(
        (
            "In one process: ms per POST and SQL statements",
            ["endpoint", "ms/POST", "SQL statements", "sign time / this"],
            rows,
        )
    )

    # The phases of a sign, and of a form-builder POST.
    measured = {}
    for name, post in [("sign", sign), ("form builder", posts["form builder"])]:
        ms_per_post(post, 10)
        with Phases().installed() as measured[name]:
            for _ in range(n):
                post()
    sign_phases, form_phases = measured.values()
    total = sum(sign_phases.seconds.values())
    names = [name for name, _ in sign_phases.seconds.most_common()]
    names += [name for name in form_phases.seconds if name not in names]

    def cells(phases, name):
        return [f"{phases.seconds[name] / n * 1000:.2f}", f"{phases.queries[name] / n:g}"]

    rows = [
        [
            name,
            *cells(sign_phases, name),
            f"{sign_phases.seconds[name] / total:.0%}",
            *cells(form_phases, name),
        ]
        for name in names
    ]
    rows.append(
        [
            "total",
            f"{total / n * 1000:.2f}",
            f"{len(sign_phases.statements) / n:g}",
            "100%",
            f"{sum(form_phases.seconds.values()) / n * 1000:.2f}",
            f"{len(form_phases.statements) / n:g}",
        ]
    )
    tables.append(
        (
            f"Where the time goes: exclusive ms per POST, mean of {n}",
            ["phase", "sign ms", "sign SQL", "sign share", "form builder ms", "form builder SQL"],
            rows,
        )
    )

    with Phases().installed() as one:
        sign()
    rows = [[i, phase, sql[:90]] for i, (phase, sql) in enumerate(one.statements, 1)]
    tables.append(("The SQL statements of one sign", ["#", "phase", "statement"], rows))

    # Rate limits on (the default windows), each signer from an address of its own.
    counting = CountingCache(screening.cache)
    limits = DEFAULTS["RATE_LIMITS"]
    with (
        override_settings(WAGTAILPETITION_RATE_LIMITS=limits),
        mock.patch.object(screening, "cache", counting),
    ):
        ms_on = ms_per_post(sign, n)
    calls = sum(counting.calls.values()) / (n + 10)
    per_method = ", ".join(f"{k} {v / (n + 10):g}" for k, v in counting.calls.items())
    with override_settings(WAGTAILPETITION_RATE_LIMITS=None):
        ms_off = ms_per_post(sign, n)
    backend = type(caches["default"]).__name__
    tables.append(
        (
            f"Rate limits {limits} ({backend}), a new address per sign",
            ["rate limits", "ms/sign", "cache calls/sign"],
            [
                ["off (None)", f"{ms_off:.2f}", 0],
                [
                    "on (default)",
                    f"{ms_on:.2f}",
                    f"{calls:g} ({per_method})",
                ],
            ],
        )
    )
    return tables
