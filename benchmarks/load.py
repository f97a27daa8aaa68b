"""A small HTTP load generator: threads, each a "browser" with one keep-alive
connection and its own cookies, sending requests for a bounded time and count."""

import http.client
import re
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

HOST = "127.0.0.1"
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One client: a keep-alive connection to the server and a cookie jar."""

    def __init__(self, port, timeout=120):
        self.connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
        self.cookies = {}
        self.csrf_token = ""

    def request(self, method, path, form=None, headers=()):
        """Send a request and read the whole answer: (status, headers, body)."""
        headers = {"Host": HOST, **dict(headers)}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode({**form, "csrfmiddlewaretoken": self.csrf_token})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body, headers)
            response = self.connection.getresponse()
        except (ConnectionError, http.client.HTTPException):
            # The server closed an idle keep-alive connection: open a new one, once.
            self.connection.close()
            self.connection.request(method, path, body, headers)
            response = self.connection.getresponse()
        content = response.read()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.headers, content

    def stream(self, path, chunk_size=1 << 16):
        """GET ``path`` and yield its body in chunks, never holding all of it."""
        headers = {"Host": HOST, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        self.connection.request("GET", path, headers=headers)
        response = self.connection.getresponse()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status}")
        while chunk := response.read(chunk_size):
            yield chunk

    def get_form_token(self, path):
        """GET a page with a form, as a browser does before posting it: keep the
        CSRF cookie and the form's token."""
        status, _, content = self.request("GET", path)
        match = CSRF_INPUT.search(content)
        if status != 200 or not match:
            raise RuntimeError(f"GET {path}: {status}, no CSRF token in the page")
        self.csrf_token = match.group(1).decode()

    def close(self):
        self.connection.close()


@dataclass
class Result:
    requests: int
    seconds: float
    statuses: Counter
    client_cpu: float  # CPU seconds the load generator itself used
    server_cpu: float  # CPU seconds the server used, if measured

    @property
    def rate(self):
        return self.requests / self.seconds

    @property
    def server_ms(self):
        """Server CPU per request, in ms: steadier than the rate on a shared machine."""
        return self.server_cpu / self.requests * 1000


def run(port, send, *, clients=8, seconds=5.0, max_requests=100_000, setup=None, server_cpu=None):
    """Run ``send(browser, thread_number, request_number) -> status`` from
    ``clients`` threads until ``seconds`` pass or ``max_requests`` are sent,
    after each thread's ``setup(browser)`` (not timed). ``server_cpu``, a
    function, tells the CPU seconds the server has used so far."""
    server_cpu = server_cpu or (lambda: 0.0)
    browsers = [Browser(port) for _ in range(clients)]
    for browser in browsers:
        if setup:
            setup(browser)
    statuses = Counter()
    lock = threading.Lock()
    budget = iter(range(max_requests))
    start = threading.Barrier(clients + 1)
    deadline = 0.0

    def work(number):
        start.wait()
        counted = Counter()
        for n in budget:  # shared: at most max_requests in all
            if time.perf_counter() >= deadline:
                break
            counted[send(browsers[number], number, n)] += 1
        with lock:
            statuses.update(counted)

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    cpu, server_began = time.process_time(), server_cpu()
    began = time.perf_counter()
    deadline = began + seconds
    start.wait()
    for thread in threads:
        thread.join(timeout=seconds + 300)
    elapsed = time.perf_counter() - began
    for browser in browsers:
        browser.close()
    client = time.process_time() - cpu
    return Result(sum(statuses.values()), elapsed, statuses, client, server_cpu() - server_began)


def compare(port, cases, *, rounds=3, warmup=1.0, **options):
    """Run every case of ``cases`` ({name: (send, setup)}, or (send, setup,
    port) for a case sent to another port than ``port``) ``rounds`` times,
    interleaved so that drift on a noisy machine hits them alike, after a
    short warm-up of each (every server worker loads its code); returns
    {name: [Result, ...]}."""
    for send, setup, *other_port in cases.values():
        run(*other_port or [port], send, setup=setup, **{**options, "seconds": warmup})
    results = {name: [] for name in cases}
    for _ in range(rounds):
        for name, (send, setup, *other_port) in cases.items():
            results[name].append(run(*other_port or [port], send, setup=setup, **options))
    return results


def median_rate(results):
    return statistics.median(r.rate for r in results)


def median_server_ms(results):
    return statistics.median(r.server_ms for r in results)
