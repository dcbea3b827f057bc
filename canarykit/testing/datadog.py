"""A local Datadog API for tests: `/api/v1/query` and `/api/v2/query/scalar` on 127.0.0.1, answers scripted.

It checks what Datadog checks before answering: the `DD-API-KEY` and `DD-APPLICATION-KEY` headers (403
`{"errors":["Forbidden"]}` otherwise) and the request's shape (400 with Datadog's `errors` list); each
problem is also kept in `problems`. Every other request gets the standing answer (`answer()`).

    with DatadogServer("api-key", "app-key") as datadog:
        datadog.answer({"status": "ok", "series": [{"pointlist": [[1598867925000, 0.0003]]}]})
        provider = DatadogProvider("avg:cpu{*}", api_key="api-key", app_key="app-key", address=datadog.url)
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from canarykit.httpserver import ConnectionTrackingHTTPServer
from canarykit.testing.datadog_shapes import scalar_request_problems, v1_query_problems

FORBIDDEN = '{"errors":["Forbidden"]}'
NOT_FOUND = '{"errors":["Not found"]}'
ENDPOINTS = (("GET", "/api/v1/query"), ("POST", "/api/v2/query/scalar"))


@dataclass(frozen=True)
class DatadogRequest:
    """One request as the server saw it: `params` of the query string, `body` parsed when it is JSON."""

    method: str
    path: str
    params: Mapping[str, str]
    headers: Mapping[str, str] = field(repr=False)
    body: Any = None


@dataclass
class _Answer:
    status: int
    body: bytes
    hold: threading.Event | None


class DatadogServer:
    """Datadog's two query APIs with scripted answers; `requests` and `problems` record what came in."""

    def __init__(self, api_key: str, app_key: str) -> None:
        self.api_key, self.app_key = api_key, app_key
        self.requests: list[DatadogRequest] = []
        self.problems: list[str] = []
        self._answer = _Answer(200, b'{"status":"ok","series":[]}', None)
        self._changed = threading.Condition()
        self._server = ConnectionTrackingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.datadog = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._stopping = threading.Event()

    def __repr__(self) -> str:
        return f"DatadogServer(url={self.url!r}, requests={len(self.requests)})"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def answer(
        self, body: str | Mapping[str, Any], status: int = 200, hold: threading.Event | None = None
    ) -> None:
        """What every later valid request gets; with `hold`, only once that event is set."""
        text = body if isinstance(body, str) else json.dumps(body)
        self._answer = _Answer(status, text.encode(), hold)

    def wait_for_requests(self, count: int, timeout: float = 10.0) -> list[DatadogRequest]:
        """The requests once at least `count` came in; `TimeoutError` if they do not within `timeout`."""
        end = time.monotonic() + timeout
        with self._changed:
            while len(self.requests) < count:
                left = end - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(self.requests)} of {count} requests came in within {timeout} s")
                self._changed.wait(left)
            return list(self.requests)

    def start(self) -> DatadogServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release held answers, end open connections and stop serving (once)."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> DatadogServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def respond(self, request: DatadogRequest) -> tuple[int, bytes]:
        """The status and body for `request`: a refusal when Datadog would refuse it, else the answer."""
        with self._changed:
            self.requests.append(request)
            self._changed.notify_all()
        headers = {name.lower(): value for name, value in request.headers.items()}
        if headers.get("dd-api-key") != self.api_key or headers.get("dd-application-key") != self.app_key:
            return self._refuse(403, "wrong or missing DD-API-KEY / DD-APPLICATION-KEY", FORBIDDEN)
        if (request.method, request.path) not in ENDPOINTS:
            return self._refuse(404, f"no such endpoint: {request.method} {request.path}", NOT_FOUND)
        problems = self._shape_problems(request, headers)
        if problems:
            return self._refuse(400, "; ".join(problems), json.dumps({"errors": problems}))
        answer = self._answer
        if answer.hold is not None:
            while not (answer.hold.wait(0.05) or self._stopping.is_set()):
                pass
        return answer.status, answer.body

    def _shape_problems(self, request: DatadogRequest, headers: Mapping[str, str]) -> list[str]:
        if request.path == "/api/v1/query":
            return v1_query_problems(request.params)
        return scalar_request_problems(request.body, headers.get("content-type", ""))

    def _refuse(self, status: int, problem: str, body: str) -> tuple[int, bytes]:
        with self._changed:
            self.problems.append(problem)
        return status, body.encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = 64 * 1024  # headers and body leave in one write (flushed after each request)

    def do_GET(self) -> None:
        length = int(self.headers.get("Content-Length", "0") or "0")
        raw = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        params = {name: values[-1] for name, values in parse_qs(parts.query, keep_blank_values=True).items()}
        request = DatadogRequest(self.command, parts.path, params, dict(self.headers.items()), _json(raw))
        status, body = self.server.datadog.respond(request)  # type: ignore[attr-defined]
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw.decode("utf-8", errors="replace")
