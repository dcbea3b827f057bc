"""canarykit's own Prometheus metrics (`canarykit[metrics]`): a rollout's phase, step, weight and analysis.

`Rollout(..., metrics_port=0)` serves them for the rollout's run; `RolloutMetrics` puts them in a registry of
your own. The names, types and labels are listed in docs/metrics.md. Importing this package does not import
prometheus_client: the classes check for it when they are built (`MissingDependency` names the extra).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from canarykit.telemetry.rollout_metrics import RolloutMetrics
    from canarykit.telemetry.server import MetricsServer

__all__ = ["MetricsServer", "RolloutMetrics"]
_HOMES = {
    "MetricsServer": "canarykit.telemetry.server",
    "RolloutMetrics": "canarykit.telemetry.rollout_metrics",
}


def __getattr__(name: str) -> Any:
    """`RolloutMetrics` and `MetricsServer`, imported on first use (the ingress exporter needs neither)."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
