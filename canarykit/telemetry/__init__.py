"""canarykit's own Prometheus metrics (`canarykit[metrics]`): a rollout's phase, step, weight and analysis.

`Rollout(..., metrics_port=0)` serves them for the rollout's run; `RolloutMetrics` puts them in a registry of
your own. The names, types and labels are listed in docs/metrics.md. Importing this package does not import
prometheus_client: the classes check for it when they are built (`MissingDependency` names the extra).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from canarykit._lazy import lazy_exports

if TYPE_CHECKING:
    from canarykit.telemetry.rollout_metrics import RolloutMetrics
    from canarykit.telemetry.server import MetricsServer

__all__ = ["MetricsServer", "RolloutMetrics"]
# Imported on first use: the ingress exporter needs neither.
_EXPORTS = {
    "canarykit.telemetry.server": ("MetricsServer",),
    "canarykit.telemetry.rollout_metrics": ("RolloutMetrics",),
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
