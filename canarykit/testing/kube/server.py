"""The HTTP side: a threaded server on 127.0.0.1, request handlers, failure injection, watch streams."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from canarykit.httpserver import ConnectionTrackingHTTPServer
from canarykit.testing.kube.endpoints import Endpoints
from canarykit.testing.kube.errors import ApiError, status_body
from canarykit.testing.kube.faults import TIMEOUT, FaultQueue, injected_error
from canarykit.testing.kube.routes import ListOptions, Route, parse_list_options, parse_route
from canarykit.testing.kube.store import ObjectStore
from canarykit.testing.kube.watch import run_watch

RequestRecord = tuple[str, str, str | None]

VERSION_INFO = {
    "major": "1",
    "minor": "30",
    "gitVersion": "v1.30.0",
    "gitCommit": "7c48c2bd72b9bf5c44d21d7338cc7bea77d0ad2a",
    "gitTreeState": "clean",
    "buildDate": "2024-04-17T17:27:12Z",
    "goVersion": "go1.22.2",
    "compiler": "gc",
    "platform": "linux/amd64",
}


@dataclass
class ServerState:
    """What the request handlers share: the API, faults, the request log and the stop signal."""

    store: ObjectStore
    endpoints: Endpoints
    faults: FaultQueue = field(default_factory=FaultQueue)
    hang_seconds: float = 2.0
    stopping: threading.Event = field(default_factory=threading.Event)
    requests: list[RequestRecord] = field(default_factory=list)
    open_watches: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)
    controllers: list[Callable[[], None]] = field(default_factory=list)

    def record(self, method: str, path: str, content_type: str | None) -> None:
        """Log one request for `FakeKubeAPI.requests`."""
        with self.changed:
            self.requests.append((method, path, content_type))

    def watch_opened(self, delta: int) -> None:
        """Count watch streams (+1 when one opens, -1 when it ends) so `stop` can wait for them."""
        with self.changed:
            self.open_watches += delta
            self.changed.notify_all()

    def wait_for_watches(self, timeout: float) -> None:
        """Block until every watch stream has ended, or `timeout` seconds passed."""
        with self.changed:
            self.changed.wait_for(lambda: self.open_watches == 0, timeout)


class KubeHTTPServer(ConnectionTrackingHTTPServer):
    """The fake API's server on 127.0.0.1 (a free port); `close_connections` ends open connections."""

    def __init__(self, state: ServerState) -> None:
        super().__init__(("127.0.0.1", 0), KubeRequestHandler)
        self.state = state


class KubeRequestHandler(BaseHTTPRequestHandler):
    """Answers one connection's requests (HTTP/1.1 keep-alive) from the shared `ServerState`."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: KubeHTTPServer

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: tests read `FakeKubeAPI.requests` instead."""

    def _handle(self, method: str) -> None:
        """Log the request, inject a pending fault if one matches, else answer it."""
        state = self.server.state
        path, _, query = self.path.partition("?")
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        content_type = self.headers.get("Content-Type")
        state.record(method, path, content_type)
        fault = state.faults.take(method, path)
        if fault is not None:
            self._inject(fault)
            return
        media_type = (content_type or "").split(";")[0].strip().lower()
        try:
            self._answer(method, path, query, body, media_type)
        except ApiError as error:
            self._send_json(error.code, error.body())
        except Exception as error:  # a bug in the fake: answer 500 so the test sees it
            self._send_json(500, status_body(500, "InternalError", f"FakeKubeAPI failed: {error!r}"))

    def _answer(self, method: str, path: str, query: str, body: bytes, media_type: str) -> None:
        """Serve `/version`, a watch stream, or a resource request (controllers reconcile first)."""
        for reconcile in tuple(self.server.state.controllers):
            reconcile()
        if method == "GET" and path.rstrip("/") == "/version":
            self._send_json(200, VERSION_INFO)
            return
        route = parse_route(path)
        with_options = route.target == "collection" or method == "DELETE"
        options = parse_list_options(query) if with_options else ListOptions()
        if method == "GET" and options.watch:
            self._stream_watch(route, options)
            return
        code, payload = self.server.state.endpoints.handle(method, route, options, body, media_type)
        self._send_json(code, payload)

    def _inject(self, fault: int | str) -> None:
        """Fail this request: a Status error, a hang then a closed connection, or a closed connection now."""
        if isinstance(fault, int):
            self._send_json(fault, injected_error(fault).body())
            return
        self.close_connection = True
        if fault == TIMEOUT:
            self.server.state.stopping.wait(self.server.state.hang_seconds)

    def _send_json(self, code: int, payload: dict[str, Any]) -> None:
        """Answer with a JSON body and its Content-Length (keeps the connection reusable)."""
        data = json.dumps(payload).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream_watch(self, route: Route, options: ListOptions) -> None:
        """Send watch events as HTTP/1.1 chunks until the watch ends, then close the connection."""
        state = self.server.state
        subscription = state.store.subscribe(route.resource, route.namespace, options.resource_version)
        state.watch_opened(+1)
        self.close_connection = True
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            run_watch(subscription, options, state.stopping, self._send_chunk)
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass  # the client went away
        finally:
            state.store.unsubscribe(subscription)
            state.watch_opened(-1)

    def _send_chunk(self, data: bytes) -> None:
        """Write one HTTP/1.1 chunk and flush it to the client."""
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()
