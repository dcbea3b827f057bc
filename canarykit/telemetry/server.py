"""`MetricsServer`: prometheus_client's WSGI app for one registry, on a port of its own, stopped at will."""

from __future__ import annotations

import socket
import threading
from socketserver import ThreadingMixIn
from types import TracebackType
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from canarykit.errors import SpecError
from canarykit.telemetry.dependency import require_prometheus_client

if TYPE_CHECKING:
    from prometheus_client.registry import Collector

MAX_PORT = 65535
POLL_SECONDS = 0.05
"""How often the serving thread looks for `stop()`: stopping takes at most this long."""


def check_port(port: object) -> None:
    """A port number from 0 (any free one) to 65535, else a `SpecError` naming `metrics_port`."""
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= MAX_PORT:
        raise SpecError(
            f"metrics_port must be a port number from 0 to {MAX_PORT}, got {port!r}", "metrics_port"
        )


class MetricsServer:
    """Serves `registry` at `http://address:port/metrics` (any path) in a daemon thread.

    `port=0` picks a free port; `port` holds the one in use once started, and a restart binds it again.
    A port that cannot be bound is a `SpecError` naming `metrics_port`.
    """

    def __init__(self, registry: Collector, port: int = 0, address: str = "127.0.0.1") -> None:
        check_port(port)
        if not isinstance(address, str) or not address:
            raise SpecError(
                f"metrics_address must be a host name or IP address, got {address!r}", "metrics_address"
            )
        require_prometheus_client("serving metrics")
        self.registry, self.port, self.address = registry, port, address
        self._server: WSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def url(self) -> str:
        host = f"[{self.address}]" if ":" in self.address else self.address
        return f"http://{host}:{self.port}/metrics"

    def start(self) -> None:
        """Bind and serve; does nothing when already serving."""
        if self._server is not None:
            return
        from prometheus_client import make_wsgi_app

        family = _family(self.address, self.port)
        try:
            server = _Server((self.address, self.port), family)
        except OSError as fault:
            raise SpecError(
                f"cannot serve metrics on {self.address}:{self.port}: {fault}", "metrics_port"
            ) from None
        server.set_app(make_wsgi_app(self.registry))
        self._server, self.port = server, int(server.server_address[1])
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": POLL_SECONDS},
            name="canarykit-metrics",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and free the port; does nothing when not serving."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> MetricsServer:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()


class _Server(ThreadingMixIn, WSGIServer):
    """A thread per scrape; the threads never hold the process open."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], family: socket.AddressFamily) -> None:
        self.address_family = family
        super().__init__(address, _QuietHandler)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No line on stderr per scrape."""


def _family(address: str, port: int) -> socket.AddressFamily:
    """IPv4 or IPv6, as `address` resolves (`::1` needs IPv6); an unknown host name is a `SpecError`."""
    try:
        infos = socket.getaddrinfo(address, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError as fault:
        raise SpecError(f"metrics_address {address!r} does not resolve: {fault}", "metrics_address") from None
    return infos[0][0]
