"""A webhook receiver for the tests: a real HTTP server in a thread."""

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.servers import free_port


class Receiver:
    """An HTTP server in a thread that records every request and answers
    ``status`` (after ``delay`` seconds); ``stop()`` takes it down, ``start()``
    brings it back on the same port."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/hooks/"
        self.requests = []
        self.status = 200
        self.delay = 0
        self.server = None

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                body = self.rfile.read(length).decode()
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                time.sleep(receiver.delay)
                with contextlib.suppress(BrokenPipeError):  # the sender gave up waiting
                    self.send_response(receiver.status)
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()
                    self.wfile.write(f"answer {receiver.status}".encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def events(self):
        return [json.loads(body) for headers, body in self.requests]

    def ids(self):
        return [headers["webhook-id"] for headers, body in self.requests]
