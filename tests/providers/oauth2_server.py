"""A token endpoint on 127.0.0.1 speaking OAuth2 client credentials (RFC 6749 §4.4), for the tests.

Paths (Argo's mock, then more): `/ok` grants a new token each time (`token-1`, `token-2`, ...), `/ko`
answers 401 with no body, `/params-only` refuses credentials in a basic-auth header (401
`invalid_client`) and takes them from the form, `/short` grants tokens living 30 s, `/form` answers
`text/plain` form encoding, `/no-token` grants nothing, `/scope-error` answers 400 `invalid_scope`,
`/echo` answers 401 quoting the secret, then all it received. `requests` records every request.
"""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote_plus

CLIENT_ID = "someId"
CLIENT_SECRET = "mySecret"


class _Handler(BaseHTTPRequestHandler):
    server: TokenServer

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
        request = {"path": self.path, "headers": dict(self.headers.items()), "form": form}
        with self.server.lock:
            self.server.requests.append(request)
        self.server.route(self, request)

    def reply(self, status: int, body: bytes = b"", content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


class TokenServer(ThreadingHTTPServer):
    """The token endpoint; use as a context manager, `url` + a path as the `tokenUrl`."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.issued = 0
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> TokenServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=10)

    def route(self, handler: _Handler, request: dict[str, Any]) -> None:
        path = request["path"]
        credentials = _credentials(request)
        if path == "/ko":
            handler.reply(401)
        elif path == "/echo":
            body = f"refused secret {json.dumps(credentials)} in {json.dumps(request)}"
            handler.reply(401, body.encode(), "text/plain")
        elif (
            credentials != (CLIENT_ID, CLIENT_SECRET)
            or request["form"].get("grant_type") != "client_credentials"
        ):
            handler.reply(401, b'{"error": "invalid_client", "error_description": "bad credentials"}')
        elif path == "/params-only" and "Authorization" in request["headers"]:
            handler.reply(401, b'{"error": "invalid_client"}')
        elif path == "/scope-error":
            handler.reply(400, b'{"error":"invalid_scope","error_description":"no such scope"}')
        elif path == "/no-token":
            handler.reply(200, b'{"token_type": "Bearer"}')
        elif path == "/form":
            handler.reply(200, f"access_token={self.issue()}&token_type=bearer".encode(), "text/plain")
        else:
            lifetime = 30 if path == "/short" else 3599
            token = {"token_type": "Bearer", "expires_in": lifetime, "access_token": self.issue()}
            handler.reply(200, json.dumps(token).encode())

    def issue(self) -> str:
        with self.lock:
            self.issued += 1
            return f"token-{self.issued}"


def _credentials(request: dict[str, Any]) -> tuple[str, str] | None:
    """The client id and secret, from a basic-auth header (URL-escaped, as RFC 6749 says) or the form."""
    header = request["headers"].get("Authorization", "")
    if header.startswith("Basic "):
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        return unquote_plus(user), unquote_plus(password)
    form = request["form"]
    if "client_id" in form:
        return form["client_id"], form.get("client_secret", "")
    return None
