"""Local HTTP servers answering as the mocks of Argo's provider tests do, recording what they were asked."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ACCESS_TOKEN = "MyAccessToken"
"""The token Argo's mock OAuth2 server hands out (prometheus_test.go, webmetric_test.go)."""


@dataclass
class Request:
    """What a client sent: method, path, form or query parameters, headers and body."""

    method: str
    path: str
    params: dict[str, list[str]]
    headers: dict[str, str]
    body: str


@dataclass
class Reply:
    """An answer: status, body and headers."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


Responder = Callable[[Request], Reply]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        split = urlsplit(self.path)
        params = parse_qs(split.query)
        if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            params.update(parse_qs(body))
        request = Request(self.command, split.path, params, dict(self.headers.items()), body)
        self.server.requests.append(request)
        reply = self.server.respond(request)
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    do_POST = do_PUT = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, respond: Responder) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.respond = respond
        self.requests: list[Request] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def serving(respond: Responder) -> Iterator[_Server]:
    """A server on 127.0.0.1 answering every request with `respond(request)`, stopped on exit."""
    server = _Server(respond)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def oauth_token_server(request: Request) -> Reply:
    """Argo's mockOAuthServer: `/ok` grants ACCESS_TOKEN, `/ko` answers 401, anything else 404."""
    if request.path == "/ok":
        token = {"token_type": "Bearer", "expires_in": 3599, "access_token": ACCESS_TOKEN}
        return Reply(200, json.dumps(token).encode(), {"Content-Type": "application/json"})
    if request.path == "/ko":
        return Reply(401)
    return Reply(404, b"404 page not found\n", {"Content-Type": "text/plain; charset=utf-8"})


def authorized(request: Request, required: str | None) -> bool:
    """Whether `request` carries the credentials `required` names: `bearer <token>` or `basic <user:pw>`."""
    if not required:
        return True
    scheme, _, secret = required.partition(" ")
    if scheme == "basic":
        secret = base64.b64encode(secret.encode()).decode()
    return request.headers.get("Authorization") == f"{scheme.capitalize()} {secret}"
