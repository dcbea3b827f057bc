"""A real HTTP server on 127.0.0.1 receiving apprise's `json://` webhooks, and a poll for what it received."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from canarykit.httpserver import ConnectionTrackingHTTPServer

FAILING_PATH = "/broken"
"""Requests to paths under this one are answered 500."""


@dataclass(frozen=True)
class Received:
    """One webhook: the path it was posted to and apprise's JSON payload (title, message, type)."""

    path: str
    payload: dict[str, Any]

    @property
    def title(self) -> str:
        return str(self.payload["title"])

    @property
    def message(self) -> str:
        return str(self.payload["message"])


class WebhookServer:
    """Records every POST; answers 500 under `FAILING_PATH`, 200 elsewhere."""

    def __init__(self, server: ConnectionTrackingHTTPServer) -> None:
        self.server = server
        self.received: list[Received] = []
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"json://127.0.0.1:{self.server.server_address[1]}"

    def at(self, path: str) -> list[Received]:
        with self.lock:
            return [item for item in self.received if item.path == path]

    def wait_for(self, condition: Callable[[], bool], deadline: float = 30.0) -> None:
        """Poll `condition` until it holds; fail after `deadline` seconds of real time."""
        end = time.monotonic() + deadline
        while not condition():
            assert time.monotonic() < end, f"webhooks so far: {self.received}"
            time.sleep(0.01)


def _handler(owner: list[WebhookServer]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            payload = json.loads(self.rfile.read(length) or b"{}")
            server = owner[0]
            with server.lock:
                server.received.append(Received(self.path.split("?")[0], payload))
            self.send_response(500 if self.path.startswith(FAILING_PATH) else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def webhook_server() -> Iterator[WebhookServer]:
    """A started `WebhookServer` on a free port of 127.0.0.1, stopped afterwards."""
    owner: list[WebhookServer] = []
    server = ConnectionTrackingHTTPServer(("127.0.0.1", 0), _handler(owner))
    owner.append(WebhookServer(server))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield owner[0]
    finally:
        server.shutdown()
        server.close_connections()
        server.server_close()
        thread.join()


def closed_port() -> int:
    """A port of 127.0.0.1 nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
