"""`canarykit demo --metrics-port`: each experiment's Rollout serves canarykit's metrics on one port."""

from __future__ import annotations

from typing import TYPE_CHECKING

from canarykit.telemetry.dependency import require_prometheus_client
from canarykit.telemetry.server import check_port

if TYPE_CHECKING:
    from canarykit.local.view import DemoView
    from canarykit.rollout.orchestrator import Rollout


class MetricsPort:
    """The demo's metrics port: as asked (0: any free one), then the one the first experiment bound.

    Made before the stack starts: a port outside 0..65535 is a `SpecError`, a missing prometheus_client
    `MissingDependency`; nothing is bound yet.
    """

    def __init__(self, port: int | None) -> None:
        self.port, self.announced = port, False
        if port is not None:
            require_prometheus_client("--metrics-port")
            check_port(port)

    def serving(self, rollout: Rollout, view: DemoView) -> None:
        """Keep the port `rollout` bound for the next experiments; say its address the first time."""
        server = rollout.metrics_server
        if server is None:
            return
        self.port = server.port
        if not self.announced:
            view.note(f"metrics: {server.url}")
            self.announced = True
