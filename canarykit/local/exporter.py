"""`AccessLogExporter`: serves ingress-nginx's request metrics, made from the local nginx access log.

What the metrics mean, and where ingress-nginx defines them: `canarykit.local.ingress_metrics`, a
prometheus_client collector (`canarykit[metrics]`) whose text this server answers with, in the 0.0.4 text
format ingress-nginx serves.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

from canarykit.local.access_log import LogFollower, parse_line
from canarykit.local.ingress_metrics import CONTENT_TYPE, IngressMetrics, Upstream

__all__ = ["AccessLogExporter", "IngressMetrics", "Upstream"]


class AccessLogExporter:
    """Serves `GET /metrics` on 127.0.0.1 (`port` None: any free port), reading new log lines per scrape."""

    def __init__(self, log_path: str | Path, metrics: IngressMetrics, port: int | None = None) -> None:
        self.log_path = Path(log_path)
        self.metrics = metrics
        self.port = port
        self.malformed_lines = 0
        self._follower = LogFollower(self.log_path)
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> str:
        """`127.0.0.1:<port>`, a Prometheus scrape target; only while started."""
        if self._server is None:
            raise RuntimeError("the exporter is not started")
        return f"127.0.0.1:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        """The metrics URL, `http://127.0.0.1:<port>/metrics`."""
        return f"http://{self.address}/metrics"

    def collect(self) -> int:
        """Count the log lines written since the last call; returns how many requests were counted."""
        with self._lock:
            records = [parse_line(line) for line in self._follower.read_lines()]
            counted = [record for record in records if record is not None]
            self.malformed_lines += len(records) - len(counted)
            for record in counted:
                self.metrics.observe(record)
            return len(counted)

    def scrape(self) -> str:
        """What `GET /metrics` answers: count the new log lines, then prometheus_client writes the text."""
        with self._lock:
            self.collect()
            return self.metrics.render()

    def set_upstreams(self, upstreams: Mapping[str, Upstream]) -> None:
        """Count what is logged so far with the old map, then switch (call it before nginx reloads)."""
        with self._lock:
            self.collect()
            self.metrics.set_upstreams(upstreams)

    def start(self) -> None:
        """Bind and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("the exporter is already started")
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port or 0), _handler(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the log file."""
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        with self._lock:
            self._follower.close()

    def __enter__(self) -> AccessLogExporter:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()


def _handler(exporter: AccessLogExporter) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            if urlsplit(self.path).path != "/metrics":
                self._reply(404, "text/plain; charset=utf-8", "404 page not found\n")
                return
            try:
                body = exporter.scrape()
            except OSError as exc:
                self._reply(500, "text/plain; charset=utf-8", f"reading {exporter.log_path}: {exc}\n")
                return
            self._reply(200, CONTENT_TYPE, body)

        def _reply(self, status: int, content_type: str, text: str) -> None:
            body = text.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: no line on stderr per scrape."""

    return Handler
