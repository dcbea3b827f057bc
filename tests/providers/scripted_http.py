"""A real HTTP server on 127.0.0.1 whose answers a test scripts: big, dripping, hanging, garbage, echoing."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from types import TracebackType
from typing import Any

from canarykit.httpserver import ConnectionTrackingHTTPServer

Respond = Callable[["ScriptedHandler"], None]


class ScriptedHandler(BaseHTTPRequestHandler):
    """Reads the request, then lets the server's `respond` write the answer."""

    server: ScriptedServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_GET

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        request = {"method": self.command, "path": self.path, "headers": dict(self.headers.items())}
        request["body"] = self.rfile.read(length).decode("utf-8", errors="replace")
        self.server.requests.append(request)
        try:
            self.server.respond(self)
        finally:
            self.server.answered.set()

    def head(self, status: int = 200, **headers: str) -> None:
        """The status line and headers (`Content_Type="x"` becomes `Content-Type: x`)."""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()

    def send_all(self, body: bytes, status: int = 200, content_type: str = "application/json") -> None:
        """A complete answer with its Content-Length."""
        self.head(status, Content_Type=content_type, Content_Length=str(len(body)))
        self.wfile.write(body)

    def stream(self, body: bytes, chunk: int = 64 * 1024) -> None:
        """`body` chunked, with no Content-Length; records how much went out before the client left."""
        self.head(200, Content_Type="application/json", Transfer_Encoding="chunked")
        try:
            for start in range(0, len(body), chunk):
                piece = body[start : start + chunk]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.server.sent += len(piece)
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            self.server.client_left = True

    def drip(self, seconds_per_byte: float = 1.0) -> None:
        """A 200 with a long Content-Length, then one byte of it every `seconds_per_byte`, until stopped."""
        self.head(200, Content_Type="application/json", Content_Length="100000")
        while not self.server.stopping.wait(seconds_per_byte):
            try:
                self.wfile.write(b" ")
            except OSError:
                return

    def drip_headers(self, seconds_per_byte: float = 0.1, size: int = 200) -> None:
        """The status line and headers one byte every `seconds_per_byte`: no single read ever times out."""
        head = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * size
        for byte in head:
            if self.server.stopping.wait(seconds_per_byte):
                return
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:
                return

    def hang(self) -> None:
        """Never answer (until the server stops)."""
        self.server.stopping.wait()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


class ScriptedServer(ConnectionTrackingHTTPServer):
    """Answers every request with `respond(handler)`; `requests` records what came in."""

    def __init__(self, respond: Respond) -> None:
        super().__init__(("127.0.0.1", 0), ScriptedHandler)
        self.respond = respond
        self.requests: list[dict[str, Any]] = []
        self.answered = threading.Event()
        self.stopping = threading.Event()
        self.sent = 0
        self.client_left = False
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up mid-answer is what these tests provoke: note it, print nothing."""
        self.client_left = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stopping.set()
        self.shutdown()
        self.close_connections()
        self.server_close()
        self._thread.join(timeout=10)


def answering(body: bytes, status: int = 200, content_type: str = "application/json") -> Respond:
    """A `respond` sending `body` whole to every request."""

    def respond(handler: ScriptedHandler) -> None:
        handler.send_all(body, status, content_type)

    return respond


def vector_answer(samples: int, **extra: Any) -> bytes:
    """A valid Prometheus instant-query answer: a vector of `samples` samples (about 42 bytes each)."""
    sample = b'{"metric":{},"value":[1700000000.1,"0.5"]}'
    head = b'{"status":"success","data":{"resultType":"vector","result":['
    tail = b"]}" + b"".join(b',"%s":%s' % (k.encode(), json.dumps(v).encode()) for k, v in extra.items())
    return head + b",".join([sample] * samples) + tail + b"}"


def gzipped(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=9)
