"""A tiny demo app like argoproj/rollouts-demo: `GET /color` answers its color, failing a chosen share."""

from __future__ import annotations

import json
import math
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from canarykit.errors import CanaryError, SpecError
from canarykit.httpserver import ConnectionTrackingHTTPServer

_EPSILON = 1e-9  # keeps rates like 0.3 exact under float rounding


def _check(error_rate: float, latency: float) -> None:
    if not 0.0 <= error_rate <= 1.0:
        raise SpecError(f"error_rate must be between 0 and 1, got {error_rate!r}", "error_rate")
    if not latency >= 0.0:
        raise SpecError(f"latency must be >= 0 seconds, got {latency!r}", "latency")


class _Server(ConnectionTrackingHTTPServer):
    def __init__(self, address: tuple[str, int], app: DemoApp) -> None:
        self.app = app
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], OSError):  # a client that went away is no news
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        app = self.server.app
        if path == "/color":
            status = app._answer_color()
            self._send(status, json.dumps(app.color).encode())
        elif path in ("/", "/healthz"):
            self._send(200, b"ok\n", "text/plain")
        else:
            self._send(404, b"not found\n", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Color", self.server.app.color)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the demo has its own view."""


class DemoApp:
    """One version of the demo app on 127.0.0.1; `port=None` takes a free port at `start()`."""

    def __init__(
        self, color: str, error_rate: float = 0.0, latency: float = 0.0, port: int | None = None
    ) -> None:
        if not color:
            raise SpecError("a demo app needs a color", "color")
        _check(error_rate, latency)
        self.color = color
        self.error_rate = float(error_rate)
        self.latency = float(latency)
        self._wanted_port = port
        self._lock = threading.Lock()
        self._count = 0
        self._served: dict[int, int] = {}
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------------

    def start(self) -> DemoApp:
        """Listen and serve in a daemon thread (no-op when already running)."""
        if self._server is None:
            self._server = _Server(("127.0.0.1", self._wanted_port or 0), self)
            self._thread = threading.Thread(
                target=self._server.serve_forever, args=(0.05,), name=f"demo-app-{self.color}", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close open connections and free the port."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        server.close_connections()
        if thread is not None:
            thread.join(timeout=2)

    def __enter__(self) -> DemoApp:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- where and what ------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The port it listens on (only while running)."""
        if self._server is None:
            raise CanaryError(f"demo app {self.color} is not running")
        return int(self._server.server_address[1])

    @property
    def address(self) -> str:
        """`127.0.0.1:port`, as an nginx upstream wants it."""
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    @property
    def served(self) -> dict[int, int]:
        """Answers to `/color` so far, by status."""
        with self._lock:
            return dict(self._served)

    def set_behavior(self, error_rate: float | None = None, latency: float | None = None) -> None:
        """Change the error share (restarting its exact sequence) and/or the latency while running."""
        _check(self.error_rate if error_rate is None else error_rate, latency or 0.0)
        with self._lock:
            if error_rate is not None:
                self.error_rate, self._count = float(error_rate), 0
            if latency is not None:
                self.latency = float(latency)

    def deploy(self, color: str, error_rate: float = 0.0, latency: float = 0.0) -> None:
        """Run another version in this slot, on the same port: its color, error share and latency."""
        if not color:
            raise SpecError("a demo app needs a color", "color")
        _check(error_rate, latency)
        with self._lock:
            self.color, self.error_rate, self.latency, self._count = (
                color,
                float(error_rate),
                float(latency),
                0,
            )

    # -- for the handler -----------------------------------------------------------------------------

    def _answer_color(self) -> int:
        """Count one `/color` request, wait the latency; 500 for the n-th iff floor((n+1)r) > floor(nr)."""
        with self._lock:
            n, rate, latency = self._count, self.error_rate, self.latency
            self._count += 1
            failed = math.floor((n + 1) * rate + _EPSILON) > math.floor(n * rate + _EPSILON)
            status = 500 if failed else 200
            self._served[status] = self._served.get(status, 0) + 1
        if latency > 0:
            time.sleep(latency)
        return status
