"""Helpers for the nginx tests: tiny named backends and a client that opens a new connection per request."""

from __future__ import annotations

import http.client
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # otherwise Nagle + delayed ACKs cost 40 ms per request behind keepalive

    def do_GET(self) -> None:
        self._answer(str(getattr(self.server, "name", "")))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self._answer(f"{getattr(self.server, 'name', '')} got {len(body)} bytes")

    def _answer(self, text: str) -> None:
        body = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


class _Backend(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(("127.0.0.1", 0), _Handler)


@contextmanager
def backends(*names: str) -> Iterator[list[str]]:
    """Start one backend per name (answering its name); yields their `host:port` addresses."""
    servers = [_Backend(name) for name in names]
    threads = [threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True) for server in servers]
    for thread in threads:
        thread.start()
    try:
        yield [f"127.0.0.1:{server.server_address[1]}" for server in servers]
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def fetch(port: int, method: str = "GET", body: bytes | None = None) -> tuple[int, str]:
    """One request on a new connection to nginx on 127.0.0.1:`port`: (status, body text)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request(method, "/", body=body)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def split(port: int, requests: int = 100) -> Counter[str]:
    """Which backend answered each of `requests` sequential requests (each on a new connection)."""
    answers: Counter[str] = Counter()
    for _ in range(requests):
        status, text = fetch(port)
        answers[text if status == 200 else f"HTTP {status}"] += 1
    return answers
