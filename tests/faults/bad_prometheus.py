"""A misbehaving stand-in for Prometheus on 127.0.0.1: every query gets the same wrong answer (`mode`).

500 (an API error), garbage (not JSON), empty (200 with no body), hang (the request is read, nothing is ever
sent back), slow (a valid answer at 1 byte/s), slow-body (its headers at once, then the body at 1 byte/s)
and oversized (a valid answer past the 10 MiB body cap, with
no Content-Length). `requests` counts the queries; `first_request` is set by the first one.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

MODES = ("500", "garbage", "empty", "hang", "slow", "slow-body", "oversized")
OVERSIZED_BYTES = 12 * 1024 * 1024
_GARBAGE = b'\x89PNG\r\n\x1a\n\x00\xff<html>not json {["status": succ'
_SAMPLE = b'{"metric":{"pod":"canary-demo-0000000000-00000"},"value":[1700000000,"1"]},'


def valid_answer() -> bytes:
    """A correct instant-query answer: a vector holding 1."""
    result = [{"metric": {}, "value": [1_700_000_000, "1"]}]
    return json.dumps({"status": "success", "data": {"resultType": "vector", "result": result}}).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.requests = 0
        self.first_request = threading.Event()
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet: clients giving up on a bad answer is the point."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        self._misbehave()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self._misbehave()

    def _misbehave(self) -> None:
        server = self.server
        with server.lock:
            server.requests += 1
        server.first_request.set()
        getattr(self, f"_mode_{server.mode.replace('-', '_')}")()

    def _mode_500(self) -> None:
        body = b'{"status":"error","errorType":"internal","error":"storage is on fire"}'
        self._send(500, body)

    def _mode_garbage(self) -> None:
        self._send(200, _GARBAGE)

    def _mode_empty(self) -> None:
        self._send(200, b"")

    def _mode_hang(self) -> None:
        self.server.stopping.wait()
        self.close_connection = True

    def _mode_slow(self) -> None:
        body = valid_answer()
        self._dribble(f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)

    def _mode_slow_body(self) -> None:
        body = valid_answer()
        self.wfile.write(f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode())
        self._dribble(body)

    def _dribble(self, data: bytes) -> None:
        """Send `data` one byte a second (until the client gives up or the server stops)."""
        self.close_connection = True
        for byte in data:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            if self.server.stopping.wait(1.0):
                return

    def _mode_oversized(self) -> None:
        self.close_connection = True
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n")
        self.wfile.write(b'{"status":"success","data":{"resultType":"vector","result":[')
        chunk = _SAMPLE * (64 * 1024 // len(_SAMPLE))
        for _ in range(OVERSIZED_BYTES // len(chunk) + 1):
            self.wfile.write(chunk)
        self.wfile.write(_SAMPLE.rstrip(b",") + b"]}}")

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


class BadPrometheus:
    """Context manager serving `mode` on 127.0.0.1 (a free port) until it exits; `url` is its address."""

    def __init__(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        self._server = _Server(mode)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def requests(self) -> int:
        return self._server.requests

    @property
    def first_request(self) -> threading.Event:
        return self._server.first_request

    def __enter__(self) -> BadPrometheus:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._server.stopping.set()  # hung and slow answers end
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
