"""Benchmarks of wagtail-petition, printed as Markdown tables of ratios against
baselines measured in the same run, on the empty database ``DATABASE_URL``
names (default: a SQLite file in a temporary folder, deleted afterwards)::

    python -m benchmarks.run [--only render,count,sign,hotrow,export,profile] [--quick]

``make bench`` runs it on SQLite, then on a throwaway PostgreSQL cluster.
"""

import argparse
import datetime
import itertools
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import django

SECTIONS = ("render", "count", "cache", "sign", "hotrow", "export", "profile")
TARGETS = {
    "sign/form": 1.5,
    "sign/bare": 0.33,
    "render": 0.9,
    "render/plain": 1 / 1.3,
    "count": 5,
    "cache": 5,
    "export_mb": 50,
}
_emails = itertools.count()
_addresses = itertools.count()


def table(title, headers, rows):
    print(f"\n#### {title}\n")
    print("| " + " | ".join(headers) + " |")
    print("|" + "|".join("---" for _ in headers) + "|")
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")
    sys.stdout.flush()


def met(ok):
    return "yes" if ok else "**no**"


# Requests -------------------------------------------------------------------


def signer_form():
    """What a new signer types into the form."""
    return {
        "first_name": "Sam",
        "last_name": "Signer",
        "email": f"bench-{time.time_ns()}-{next(_emails)}@example.org",
        "postal_code": "60614",
        "comment": "Keep them open.",
        "opt_in": "on",
        "source": "newsletter",
        "website": "",
    }


def new_visitor(browser):
    """Drop what an earlier sign left in the browser: every POST comes from a
    new visitor, at a new address (the benchmark's settings read X-Forwarded-For
    for the rate limits)."""
    browser.cookies.pop("sessionid", None)
    browser.cookies.pop("wagtail_petition", None)
    n = next(_addresses)
    return {"X-Forwarded-For": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"}


def poster(path, answers=None, form_page=None):
    """(send, setup) for a form posted by new signers: each client GETs the
    form (at ``form_page``, default ``path``) once for its CSRF cookie and
    token, then posts as a new visitor. ``answers``, a list, gets every
    status, warm-up included."""

    def send(browser, thread, n):
        status = browser.request("POST", path, form=signer_form(), headers=new_visitor(browser))[0]
        if answers is not None:
            answers.append(status)  # list.append is atomic
        return status

    return send, lambda browser: browser.get_form_token(form_page or path)


def fast_poster(path, page, answers=None):
    """(send, setup) for the sign form of a cacheable page, posted to the fast
    path as a browser does: no token, its Origin and Sec-Fetch-Site headers.
    Each client GETs the page once first."""
    from benchmarks import load

    origin = {"Origin": f"http://{load.HOST}", "Sec-Fetch-Site": "same-origin"}

    def send(browser, thread, n):
        headers = {**new_visitor(browser), **origin}
        status = browser.request("POST", path, form=signer_form(), headers=headers)[0]
        if answers is not None:
            answers.append(status)
        return status

    return send, lambda browser: browser.request("GET", page)


def getter(path, headers=()):
    """(send, setup) for GETs of ``path`` by clients that keep their cookies."""

    def send(browser, thread, n):
        return browser.request("GET", path, headers=headers)[0]

    return send, lambda browser: browser.request("GET", path)


def measure(server, title, cases, expected, ratios, options, server_cpu=None):
    """Run ``cases`` ({name: (send, setup)}) against ``server``, interleaved,
    and print their rates, then ``ratios`` ((case, baseline, target) triples)
    by throughput and by server CPU per request (``server_cpu()``, default the
    server's own); returns the results."""
    from benchmarks import load

    cpu = server_cpu or server.cpu_seconds
    results = load.compare(server.port, cases, server_cpu=cpu, **options)
    rows = []
    for name, runs in results.items():
        unexpected = sum(r.requests - r.statuses[expected[name]] for r in runs)
        client = sum(r.client_cpu for r in runs) / sum(r.seconds for r in runs)
        rounds = " / ".join(f"{r.rate:.0f}" for r in runs)
        rows.append(
            [
                name,
                f"{load.median_rate(runs):.0f}",
                rounds,
                f"{load.median_server_ms(runs):.2f}",
                unexpected,
                f"{client:.0%}",
            ]
        )
    table(
        title,
        [
            "case",
            "per s (median)",
            "rounds",
            "server CPU ms/request",
            "unexpected answers",
            "load generator CPU",
        ],
        rows,
    )
    rows = []
    for case, baseline, target in ratios:
        by_rate = load.median_rate(results[case]) / load.median_rate(results[baseline])
        by_cpu = load.median_server_ms(results[baseline]) / load.median_server_ms(results[case])
        rows.append(
            [
                f"{case} / {baseline}",
                f"{by_rate:.2f}",
                f"{by_cpu:.2f}",
                f"≥ {target:.3g}",
                met(by_rate >= target),
            ]
        )
    table(
        f"{title}: ratios",
        ["ratio", "by throughput", "by server CPU/request", "target", "met (throughput)"],
        rows,
    )
    return results


# Benchmarks -----------------------------------------------------------------


def bench_render(server, pages, options):
    from benchmarks import load

    _, _, content = load.Browser(server.port).request("GET", pages["million"].url)
    assert b"1,000,000" in content, "the million page does not show its count"
    queries = {name: sql_per_get(pages[name].url) for name in ("empty", "million", "body_only")}
    print(
        f"\nSQL statements per GET: {queries['empty']} with 0 signatures, "
        f"{queries['million']} with 1,000,000 (the timeline then shows 10 milestones), "
        f"{queries['body_only']} for a plain Wagtail page with the same body."
    )
    empty, million = "page, 0 signatures", "page, 1,000,000 signatures"
    plain = "plain Wagtail page, same body"
    cases = {
        empty: getter(pages["empty"].url),
        million: getter(pages["million"].url),
        plain: getter(pages["body_only"].url),
    }
    expected = dict.fromkeys(cases, 200)
    ratios = [(million, empty, TARGETS["render"]), (empty, plain, TARGETS["render/plain"])]
    measure(server, "Petition page render (GET)", cases, expected, ratios, options)


def sql_per_get(path):
    """How many SQL statements a GET of ``path`` runs, in this process."""
    from django.db import connection
    from django.test import Client

    client, statements = Client(HTTP_HOST="127.0.0.1"), []
    client.get(path)

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(path)
    return len(statements)


def bench_count(server, pages, options):
    from benchmarks import load

    petition = pages["million"]
    fast, through_page = f"/petitions/{petition.pk}/count/", f"{petition.url}count/"
    status, headers, content = load.Browser(server.port).request("GET", fast)
    assert status == 200, f"GET {fast}: {status}"
    print(
        f"\n`GET {fast}`: `{content.decode()[:200]}`; Cache-Control: "
        f"`{headers.get('Cache-Control')}`; ETag: `{headers.get('ETag')}`"
    )
    cases = {
        "page GET": getter(petition.url),
        "count (fast path)": getter(fast),
        "count (fast path), If-None-Match": getter(fast, {"If-None-Match": headers["ETag"]}),
        "count (through the page)": getter(through_page),
    }
    expected = {**dict.fromkeys(cases, 200), "count (fast path), If-None-Match": 304}
    ratios = [(name, "page GET", TARGETS["count"]) for name in cases if name != "page GET"]
    measure(server, "The live count against the page (GET)", cases, expected, ratios, options)


def bench_cache(server, pages, options):
    """The petition page through a throwaway Varnish running docs/varnish.vcl,
    against the same page from Django; server CPU is gunicorn's and Varnish's."""
    from benchmarks import load
    from tests import varnish

    if not varnish.available():
        print("\n#### The page through Varnish\n\nvarnishd is not installed: not measured.")
        return
    url = pages["empty"].url
    with varnish.server(server.port) as base:
        port = int(base.rpartition(":")[2])
        status, headers, _ = load.Browser(port).request("GET", url)
        status, headers, _ = load.Browser(port).request("GET", url)
        print(f"\nSecond GET of {url} through Varnish: {status}, X-Cache `{headers['X-Cache']}`.")
        cpu = cpu_of(pids_listening(port), server.cpu_seconds)
        cases = {"page, uncached": getter(url), "page through Varnish": (*getter(url), port)}
        expected = dict.fromkeys(cases, 200)
        ratios = [("page through Varnish", "page, uncached", TARGETS["cache"])]
        title = "The page through Varnish (server CPU: gunicorn and varnishd)"
        measure(server, title, cases, expected, ratios, options, server_cpu=cpu)


def pids_listening(port):
    """The varnishd processes serving ``port``: the manager and its child."""
    manager = [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and f"127.0.0.1:{port}".encode() in read_bytes(entry / "cmdline")
    ]
    children = [
        int(child)
        for pid in manager
        for child in read_bytes(Path(f"/proc/{pid}/task/{pid}/children")).split()
    ]
    return manager + children


def read_bytes(path):
    try:
        return path.read_bytes()
    except OSError:
        return b""


def cpu_of(pids, other):
    """A function: CPU seconds used so far by ``pids``, plus ``other()``."""

    def seconds():
        total = 0
        for pid in pids:
            stat = read_bytes(Path(f"/proc/{pid}/stat")).decode()
            if stat:
                fields = stat.rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK") + other()

    return seconds


def bench_sign(server, pages, options):
    from wagtail_petition.models import Signature

    answers = []
    page = pages["sign"]
    before = Signature.objects.filter(petition_id=page.pk).count()
    fast, through_page = "petition sign (fast path)", "petition sign (through the page)"
    form, bare = "form builder", "bare INSERT"
    cases = {
        fast: fast_poster(f"/petitions/{page.pk}/sign/", page.url, answers),
        # The page's own form has no token on a site with the fast path: the
        # token comes from another form, as the page would carry it without.
        through_page: poster(page.url, answers, form_page=pages["form"].url),
        form: poster(pages["form"].url),
        bare: poster("/bench/bare-sign/"),
    }
    expected = {fast: 303, through_page: 303, form: 200, bare: 303}
    ratios = [
        (fast, form, TARGETS["sign/form"]),
        (fast, bare, TARGETS["sign/bare"]),
        (through_page, form, TARGETS["sign/form"]),
        (through_page, bare, TARGETS["sign/bare"]),
    ]
    measure(server, "Sign throughput over HTTP (POSTs/s)", cases, expected, ratios, options)
    exactness(page, before + answers.count(303))


def exactness(petition, answered, stored="signatures stored (one per 303 answer)"):
    """After the concurrent signing: nothing lost, counted once, milestones once."""
    from wagtail_petition.models import Milestone, PetitionCounter, Signature

    rows = Signature.objects.filter(petition_id=petition.pk)
    counter = PetitionCounter.count_for(petition_id=petition.pk)
    counted = rows.filter(status=Signature.Status.COUNTED).count()
    stamped = sorted(
        Milestone.objects.filter(petition_id=petition.pk).values_list("threshold", flat=True)
    )
    expected = sorted(petition.milestones_crossed(0, counter))
    table(
        "Exactness after the concurrent sign runs",
        ["check", "expected", "found", "ok"],
        [
            [
                stored,
                answered,
                rows.count(),
                met(rows.count() == answered),
            ],
            ["counter == counted rows", counted, counter, met(counter == counted)],
            ["milestones, each stamped once", expected, stamped, met(stamped == expected)],
        ],
    )


def bench_export(max_seconds):
    """The admin's CSV export of every signature, served by one gunicorn worker
    whose peak RSS (VmHWM, reset before) is compared with its RSS before; the
    download stops after ``max_seconds``."""
    from benchmarks import load
    from benchmarks.server import gunicorn
    from home.management.commands.load_demo import ADMIN_PASSWORD, ADMIN_USERNAME
    from wagtail_petition.models import Signature

    with gunicorn(workers=1, threads=1) as server:
        (pid,) = server.worker_pids()
        admin = load.Browser(server.port, timeout=900)
        admin.get_form_token("/admin/login/")
        login = {"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD, "next": "/admin/"}
        assert admin.request("POST", "/admin/login/", form=login)[0] == 302, "login failed"
        for _ in admin.stream("/admin/signatures/?export=csv&status=held"):
            pass  # warm up: the export's code and templates loaded
        before = memory_kb(pid, "VmRSS")
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset VmHWM to VmRSS
        start = time.perf_counter()
        lines, first_byte = 0, None
        for chunk in admin.stream("/admin/signatures/?export=csv"):
            first_byte = first_byte or time.perf_counter() - start
            lines += chunk.count(b"\n")
            if time.perf_counter() - start > max_seconds:
                break  # bounded: report the rows read so far
        seconds = time.perf_counter() - start
        peak = memory_kb(pid, "VmHWM")
        admin.close()
    rows, total = lines - 1, Signature.objects.count()
    growth = (peak - before) / 1024
    table(
        "Admin CSV export of every signature (/admin/signatures/?export=csv, one worker)",
        [
            "rows",
            "first byte",
            "seconds",
            "rows/s",
            "worker RSS before",
            "peak RSS (VmHWM)",
            "growth",
            "target",
            "met",
        ],
        [
            [
                f"{rows:,} of {total:,}",
                f"{first_byte:.1f} s",
                f"{seconds:.1f}",
                f"{rows / seconds:,.0f}",
                f"{before / 1024:.0f} MB",
                f"{peak / 1024:.0f} MB",
                f"{growth:.1f} MB",
                "< 50 MB",
                met(growth < TARGETS["export_mb"] and rows == total),
            ]
        ],
    )


def memory_kb(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


# The run --------------------------------------------------------------------


def describe():
    from django.db import connection
    from wagtail import __version__ as wagtail_version

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    return (
        f"{connection.vendor} {version}; {os.cpu_count()} cores ({cpu}); "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"Wagtail {wagtail_version}; {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    parser.add_argument("--quick", action="store_true", help="one short round each")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client connections")
    args = parser.parse_args(argv)
    only = args.only.split(",")
    options = {
        "clients": args.clients,
        "rounds": 1 if args.quick else 3,
        "seconds": 2.0 if args.quick else 8.0,
        "max_requests": 50_000,
    }

    folder = tempfile.mkdtemp(prefix="wagtail-petition-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/db.sqlite3")
    os.environ.update(DJANGO_SETTINGS_MODULE="benchmarks.settings", DEBUG="0")
    try:
        django.setup()
        from django.db import connection

        from benchmarks import data
        from benchmarks.server import gunicorn
        from wagtail_petition.models import Signature

        if connection.introspection.table_names():
            sys.exit("DATABASE_URL names a database with tables: the benchmarks need an empty one")
        pages = data.prepare()
        print(f"\n### {connection.vendor}: {describe()}")
        print(
            f"\nServer: gunicorn, {args.workers} workers x {args.threads} threads; "
            f"{args.clients} client connections; {options['rounds']} interleaved rounds of "
            f"{options['seconds']:g} s per case, after a 1 s warm-up of each."
        )
        connection.close()
        with gunicorn(workers=args.workers, threads=args.threads) as server:
            if "sign" in only:  # first: the three tables start alike, nearly empty
                bench_sign(server, pages, options)
        if "hotrow" in only:  # no server: the processes call sign() themselves
            from benchmarks.hotrow import bench_hot_row

            hot, spread = data.hot_row_petitions()
            before = Signature.objects.filter(petition_id=hot.pk).count()
            signed = bench_hot_row(
                hot,
                spread,
                rounds=options["rounds"],
                seconds=options["seconds"],
                table=table,
                met=met,
            )
            exactness(hot, before + signed, "signatures stored (one per sign() call)")
        with gunicorn(workers=args.workers, threads=args.threads) as server:
            started = time.perf_counter()
            data.add_signatures(pages["million"], data.MILLION)
            connection.close()
            print(
                f"\n{data.MILLION:,} signatures inserted in {time.perf_counter() - started:.0f} s."
            )
            if "render" in only:
                bench_render(server, pages, options)
            if "count" in only:
                bench_count(server, pages, options)
            if "cache" in only:
                bench_cache(server, pages, options)
        if "export" in only:
            bench_export(max_seconds=60 if args.quick else 300)
        if "profile" in only:
            from benchmarks.profile_sign import profile

            for title, headers, rows in profile(pages, n=100 if args.quick else 300):
                table(title, headers, rows)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
