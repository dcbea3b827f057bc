"""`Rollout(metrics_port=...)`: the rollout's metrics served from its construction to the end of `run()`.

Imported by the orchestrator, so it imports nothing heavy itself: prometheus_client and the collector are
loaded only when a port is given.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from canarykit.rollout.orchestrator import Rollout
    from canarykit.telemetry.server import MetricsServer


def serve_metrics(rollout: Rollout, port: int | None, address: str) -> MetricsServer | None:
    """Start serving `rollout`'s metrics (a registry of its own) on `address:port`; None without a port.

    Raises `MissingDependency` (no prometheus_client) or `SpecError` (a bad or busy port) before anything
    has moved.
    """
    if port is None:
        return None
    from canarykit.telemetry.rollout_metrics import RolloutMetrics
    from canarykit.telemetry.server import MetricsServer

    metrics = RolloutMetrics()
    server = MetricsServer(metrics.registry, port, address)
    server.start()
    metrics.watch(rollout)
    return server


@contextmanager
def metrics_served(server: MetricsServer | None) -> Iterator[None]:
    """Serve during a `run()` (again, on the same port, after an earlier one) and stop at its end."""
    if server is None:
        yield
        return
    server.start()
    try:
        yield
    finally:
        server.stop()
